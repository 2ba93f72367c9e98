"""A PM's triage in the browser: the queue and its count, likely duplicates one click
from the merge confirmation, putting ideas on the roadmap from the queue and from the
idea's page, and roadmap actions that ask before telling anyone.

Screenshots of the queue and of the roadmap confirmation are saved in the test output
folder (pytest-playwright's ``--output``, ``test-results/`` by default); each test
prints where.
"""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from feedback import services as feedback_services
from feedback.models import Idea
from notifications.models import Alert
from roadmap.models import Column, RoadmapItem
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory
from tests.e2e.browser import sign_in_on
from tests.feedback.factories import IdeaFactory, VoteFactory, demand_refresh
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _aged(title: str, days: int, **fields) -> Idea:
    idea = IdeaFactory(title=title, **fields)
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=days))
    return idea


def test_triage_queue_orders_counts_and_suggests_duplicates(sign_in, live_server, output_path):
    UserFactory(username="e2e-pm", role=Role.PM)
    old = _aged("Export any table to CSV", 40)
    _aged("Export health scores to CSV", 20)
    rich = _aged("Slack alerts", 2)
    _aged("Already shipped", 90, status="shipped")
    VoteFactory(idea=rich, contact=ContactFactory(account=AccountFactory(arr=Decimal(90_000))))
    demand_refresh()

    page = sign_in("e2e-pm")
    page.get_by_role("link", name="Triage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage")
    expect(page.locator(".site-nav a[href='/ideas/triage/'] .nav-count")).to_contain_text("3")
    titles = page.locator(".triage-table tbody .cell-title")
    expect(titles).to_have_text(
        ["Export any table to CSV", "Export health scores to CSV", "Slack alerts"]
    )
    row = page.locator(f"#idea-{old.pk}")
    expect(row.locator(".cell-sub .badge.status-open")).to_have_text("Open")
    # Likely duplicates arrive once the row is seen.
    expect(row.locator(".triage-duplicates")).to_contain_text("Export health scores to CSV")
    shot = os.path.join(output_path, "triage-queue.png")
    page.screenshot(path=shot, full_page=True)

    page.get_by_role("link", name="By demand").click()
    expect(titles.first).to_have_text("Slack alerts")

    page.get_by_role("link", name="Oldest first").click()
    row = page.locator(f"#idea-{old.pk}")
    row.locator(".triage-duplicates").get_by_role("link", name="Merge into this").click()
    expect(page.get_by_role("button", name="Merge")).to_be_visible()
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage")
    old.refresh_from_db()
    assert old.status == "merged"
    expect(page.locator(".site-nav a[href='/ideas/triage/'] .nav-count")).to_contain_text("2")


def test_pm_puts_ideas_on_the_roadmap_from_the_queue_and_from_the_idea_page(sign_in, live_server):
    UserFactory(username="e2e-pm", role=Role.PM)
    queued = _aged("Dark mode", 5)
    other = _aged("Scheduled exports", 3)
    existing = RoadmapItemFactory(title="Exports v2", target_quarter="2027-Q2", is_public=False)

    page = sign_in("e2e-pm")
    page.goto(f"{live_server.url}/ideas/triage/")
    page.locator(f"#idea-{queued.pk}").get_by_role("link", name="Put on the roadmap").click()
    page.get_by_role("link", name="New item for this idea").click()
    expect(page.get_by_label("Title")).to_have_value("Dark mode")
    page.get_by_label("Target quarter").fill("2027-Q1")
    page.get_by_role("button", name="Add to the roadmap").click()
    item = RoadmapItem.objects.get(title="Dark mode")
    assert list(item.ideas.all()) == [queued]

    page.goto(f"{live_server.url}/ideas/{other.pk}/")
    page.get_by_role("link", name="Put on the roadmap").click()
    page.get_by_label("or add it to").select_option(label="Exports v2 (Planned, draft)")
    page.get_by_role("button", name="Link").click()
    assert list(existing.ideas.all()) == [other]
    page.goto(f"{live_server.url}/ideas/{other.pk}/")
    panel = page.locator("#roadmap")
    expect(panel).to_contain_text("Exports v2")
    expect(panel).to_contain_text("target 2027-Q2")


def test_publishing_asks_how_many_will_be_told_and_tells_them_once_confirmed(
    sign_in, live_server, output_path
):
    UserFactory(username="e2e-pm", role=Role.PM)
    customer = UserFactory(username="e2e-customer", role=Role.CUSTOMER)
    idea = IdeaFactory(title="Export to CSV")
    feedback_services.vote_cast(idea=idea, actor=customer)
    item = RoadmapItemFactory(title="Spreadsheet exports", is_public=False)
    item.ideas.add(idea)

    page = sign_in("e2e-pm")
    page.goto(f"{live_server.url}/roadmap/edit/")
    page.wait_for_load_state("load")  # htmx is a deferred script
    page.evaluate("window.__sameDocument = true")
    page.locator(f"#edit-item-{item.pk} button[name=public]").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("1 person will be told")
    shot = os.path.join(output_path, "roadmap-confirmation.png")
    page.screenshot(path=shot, full_page=True)
    item.refresh_from_db()
    assert not item.is_public
    assert not Alert.objects.filter(recipient=customer).exists()

    # The confirmation takes the focus: Enter answers it.
    expect(dialog.get_by_role("button", name="Yes, go ahead")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#editor-board [role=status]")).to_have_text(
        "“Spreadsheet exports” is public."
    )
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    assert page.evaluate("window.__sameDocument") is True
    item.refresh_from_db()
    assert item.is_public
    assert Alert.objects.filter(recipient=customer).count() == 1


def test_unpublishing_without_javascript_asks_on_a_page(sign_in, live_server, browser):
    UserFactory(username="e2e-pm", role=Role.PM)
    item = RoadmapItemFactory(title="Dark mode", is_public=True, column=Column.PLANNED)
    context = browser.new_context(java_script_enabled=False)
    page = sign_in_on(context.new_page(), live_server.url, "e2e-pm", "correct-horse-battery")
    page.goto(f"{live_server.url}/roadmap/edit/")
    page.locator(f"#edit-item-{item.pk} button[name=public]").click()
    expect(page.get_by_role("heading", level=1)).to_have_count(0)
    expect(page.get_by_role("alertdialog")).to_contain_text("disappears from the public roadmap")
    item.refresh_from_db()
    assert item.is_public
    page.get_by_role("button", name="Yes, go ahead").click()
    expect(page.locator(".alert")).to_contain_text("“Dark mode” is a draft again.")
    item.refresh_from_db()
    assert not item.is_public
