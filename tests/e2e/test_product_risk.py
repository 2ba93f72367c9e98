"""Customers of three accounts upvote one idea on the board; the recompute their votes
trigger opens a product-risk flag; a product manager finds it on the risk dashboard with
its ARR at risk, links the idea to a roadmap item, ships the item, and sees the flag
resolved."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core.roles import Role
from productrisk.models import ProductRisk
from tests.accounts.factories import AccountFactory, UserFactory
from tests.e2e.browser import sign_in_on
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)

IDEA = "Export dashboards to PDF"


def test_three_accounts_ask_and_the_pm_ships_the_gap(sign_in, live_server, browser):
    from django.utils import timezone

    from roadmap.models import RoadmapItem

    today = timezone.now().date()
    idea = IdeaFactory(title=IDEA)
    UserFactory(username="e2e-pm", role=Role.PM, first_name="Pat")
    # Customers of three accounts upvote it on the board; two of the accounts renew
    # within the 90-day window, so their ARR is at risk.
    for index, renews_in in enumerate((30, 60, 300)):
        account = AccountFactory(
            name=f"Voter {index}",
            arr=Decimal("100000"),
            started_on=today - timedelta(days=200),
            renews_on=today + timedelta(days=renews_in),
        )
        UserFactory(username=f"voter{index}", role=Role.CUSTOMER, contact__account=account)
        voter = sign_in_on(
            browser.new_context().new_page(),
            live_server.url,
            f"voter{index}",
            "correct-horse-battery",
        )
        voter.get_by_role("link", name="Ideas").click()
        voter.get_by_role("button", name=f"Vote for “{IDEA}”").click()
        expect(voter.get_by_role("button", name=f"Remove your vote for “{IDEA}”")).to_contain_text(
            str(index + 1)
        )
        voter.context.close()

    # The third vote's debounced recompute (inline here, a minute later in production)
    # opened the flag; nobody ran it by hand.
    risk = ProductRisk.objects.get(idea=idea)
    assert risk.status == ProductRisk.Status.OPEN
    assert risk.accounts_affected == 3

    page = sign_in("e2e-pm")
    page.get_by_role("navigation").get_by_role("link", name="Product risks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Product risks")
    row = page.get_by_test_id("risk-row").filter(has_text=IDEA)
    expect(row).to_be_visible()
    expect(row.get_by_test_id("arr-at-risk")).to_have_text("$200,000")
    expect(page.get_by_test_id("total-arr-at-risk")).to_have_text("$200,000")

    row.get_by_role("link", name=IDEA, exact=True).click()
    expect(page.get_by_test_id("risk-status")).to_have_text("Open")
    expect(page.get_by_test_id("risk-arr-at-risk")).to_have_text("$200,000")
    expect(page.get_by_test_id("evidence-row")).to_have_count(3)

    # Link: the roadmap editor opens with the idea preselected; add a public item for it.
    page.get_by_role("link", name="Link to a roadmap item").click()
    expect(page).to_have_url(re.compile(rf"/roadmap/edit/.*link_idea={idea.pk}"))
    page.wait_for_load_state("load")
    panel = page.get_by_test_id("link-idea")
    expect(panel).to_contain_text(IDEA)
    panel.get_by_role("link", name="New item for this idea").click()
    expect(page.get_by_label("Title")).to_have_value(IDEA)
    page.get_by_label("Title").fill("PDF export")
    page.get_by_label("Public", exact=True).check()
    expect(page.get_by_role("checkbox", name=re.compile(IDEA))).to_be_checked()
    page.get_by_role("button", name="Add to the roadmap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roadmap editor")

    item = RoadmapItem.objects.get(title="PDF export")
    assert list(item.ideas.all()) == [idea]
    page.goto(f"{live_server.url}/ideas/risks/{risk.pk}/")
    expect(page.get_by_test_id("risk-status")).to_have_text("Planned")
    expect(page.get_by_test_id("roadmap-item")).to_contain_text("PDF export")

    # Ship: the item moves to Shipped; its idea ships and the flag resolves.
    page.goto(f"{live_server.url}/roadmap/edit/{item.pk}/")
    page.get_by_label("Column").select_option("shipped")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roadmap editor")

    page.goto(f"{live_server.url}/ideas/risks/{risk.pk}/")
    expect(page.get_by_test_id("risk-status")).to_have_text("Resolved")
    expect(page.get_by_role("heading", name="Impact after shipping")).to_be_visible()
    expect(page.get_by_test_id("impact-empty")).to_be_visible()  # no history yet
    risk.refresh_from_db()
    assert risk.status == ProductRisk.Status.RESOLVED

    page.goto(f"{live_server.url}/ideas/risks/?status=resolved")
    expect(page.get_by_test_id("risk-row").filter(has_text=IDEA)).to_be_visible()
