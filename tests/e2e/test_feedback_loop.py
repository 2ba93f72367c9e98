"""The whole loop of the board, in a real browser: a customer posts an idea, a second
customer upvotes it without a reload, a PM plans it from triage, puts it on the roadmap
and ships it; the first customer finds the notifications, and the shipped item is on
the public changelog for a visitor who is not signed in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.roles import Role
from feedback.models import Idea
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from roadmap.models import Column, RoadmapItem
from tests.accounts.factories import AccountFactory, UserFactory
from tests.e2e.browser import sign_in_on

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Schedule report e-mails weekly"
ITEM = "Scheduled report e-mails"


def _signed_in(browser, live_server, username: str):
    return sign_in_on(
        browser.new_context().new_page(), live_server.url, username, "correct-horse-battery"
    )


def test_an_idea_goes_from_a_customer_to_the_changelog_and_back(browser, live_server):
    UserFactory(username="alice", role=Role.CUSTOMER, contact__account=AccountFactory(name="Alpha"))
    UserFactory(username="bob", role=Role.CUSTOMER, contact__account=AccountFactory(name="Beta"))
    UserFactory(username="paula", role=Role.PM)

    # A customer posts the idea; posting is their first vote.
    alice = _signed_in(browser, live_server, "alice")
    alice.get_by_role("link", name="Ideas").click()
    alice.get_by_role("link", name="Post an idea").first.click()  # header or empty state
    alice.get_by_label("Title").fill(TITLE)
    alice.get_by_label("Description").fill("Our managers want the **usage report** on Mondays.")
    alice.get_by_role("button", name="Post idea").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text(TITLE)
    idea = Idea.objects.get(title=TITLE)
    assert idea.vote_count == 1

    # A second customer upvotes it from the board, in place.
    bob = _signed_in(browser, live_server, "bob")
    bob.get_by_role("link", name="Ideas").click()
    bob.wait_for_load_state("load")  # htmx is a deferred script
    bob.evaluate("window.__sameDocument = true")
    bob.get_by_role("button", name=f"Vote for “{TITLE}”").click()
    voted = bob.get_by_role("button", name=f"Remove your vote for “{TITLE}”")
    expect(voted).to_contain_text("2")
    assert bob.evaluate("window.__sameDocument") is True
    bob.context.close()

    # The PM plans it from triage, with a word to its voters.
    pm = _signed_in(browser, live_server, "paula")
    pm.get_by_role("link", name="Triage").click()
    row = pm.locator("tbody tr", has_text=TITLE)
    row.locator("summary", has_text="Status").click()
    row.get_by_label("New status").select_option(IdeaStatus.PLANNED.value)
    row.get_by_label("Public message").fill("Planned for next quarter.")
    row.get_by_role("button", name="Change status").click()
    # A decision takes the idea out of the queue; "All ideas" shows it planned.
    expect(pm.locator("tbody tr", has_text=TITLE)).to_have_count(0)
    pm.goto(f"{live_server.url}/ideas/triage/?status=all")
    expect(pm.locator("tbody tr", has_text=TITLE)).to_contain_text("Planned")

    # …puts it on the public roadmap…
    pm.goto(f"{live_server.url}/roadmap/edit/")
    pm.get_by_role("link", name="New item").click()
    pm.get_by_label("Title").fill(ITEM)
    pm.get_by_label("Public", exact=True).check()
    pm.get_by_label("Find ideas to link").press_sequentially("report e-mails", delay=20)
    pm.get_by_role("checkbox", name=TITLE).check()
    pm.get_by_role("button", name="Add to the roadmap").click()
    expect(pm.get_by_role("heading", level=1)).to_have_text("Roadmap editor")

    # …and ships it: two moves to the right, from the keyboard.
    for column in ("in_progress", "shipped"):
        pm.goto(f"{live_server.url}/roadmap/edit/")
        pm.wait_for_load_state("load")  # htmx is a deferred script
        move = pm.get_by_role("button", name=f"Move {ITEM} to the next column")
        move.focus()
        pm.keyboard.press("Enter")
        # Moving a public item tells its voters: the board asks first, focus on the answer.
        expect(pm.get_by_role("alertdialog")).to_be_visible()
        expect(pm.get_by_role("button", name="Yes, go ahead")).to_be_focused()
        pm.keyboard.press("Enter")
        expect(
            pm.locator(f"section[data-column='{column}']").get_by_role(
                "link", name=ITEM, exact=True
            )
        ).to_be_visible()
    shipped = pm.locator("section[data-column='shipped']")
    expect(shipped.get_by_role("link", name=ITEM, exact=True)).to_be_visible()
    item = RoadmapItem.objects.get(title=ITEM)
    assert item.column == Column.SHIPPED
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHIPPED
    pm.context.close()

    # The customer who asked hears of it: once per event, in the app.
    alice.get_by_role("link", name="Notifications").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(alice.locator("tbody tr", has_text="Planned")).to_have_count(1)
    expect(alice.locator("tbody tr", has_text=f"Shipped: {ITEM}")).to_have_count(1)
    assert Alert.objects.filter(recipient__username="alice").count() == 3  # planned,
    # in progress (the item moved its idea along) and shipped
    alice.context.close()

    # Anyone, signed out, reads it on the changelog.
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/changelog/")
    entry = visitor.locator(f"#item-{item.pk}")
    expect(entry.get_by_role("heading", name=ITEM)).to_be_visible()
    expect(entry).to_contain_text(TITLE)
