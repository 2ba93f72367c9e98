"""Shipping in the browser waits for the undo window: Undo (a plain button, reached
from the keyboard) puts the item back and nobody is told; otherwise the voters are told
once when the window has passed."""

import time

import pytest
from playwright.sync_api import expect

from core.roles import Role
from feedback import services as feedback_services
from feedback.statuses import IdeaStatus
from feedback.tasks import deliver_pending_notifications
from notifications.models import Alert
from roadmap.models import Column
from tests.accounts.factories import UserFactory
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db(transaction=True)

WINDOW_S = 1


@pytest.fixture
def shipping(settings):
    settings.FEEDBACK_NOTIFY_DELAY_SECONDS = WINDOW_S
    UserFactory(username="e2e-pm", role=Role.PM)
    voters = [UserFactory(username=f"e2e-voter-{n}", role=Role.CUSTOMER) for n in range(2)]
    idea = IdeaFactory(title="Export to CSV", status=IdeaStatus.IN_PROGRESS)
    for voter in voters:
        feedback_services.vote_cast(idea=idea, actor=voter)
    item = RoadmapItemFactory(
        title="Spreadsheet exports", column=Column.IN_PROGRESS, is_public=True
    )
    item.ideas.add(idea)
    Alert.objects.all().delete()
    return item, idea, voters


def _ship(page, live_server, item):
    page.goto(f"{live_server.url}/roadmap/edit/")
    page.wait_for_load_state("load")  # htmx is a deferred script
    page.locator(f"#edit-item-{item.pk} button[name=direction][value=right]").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("2 people will be told")
    dialog.get_by_role("button", name="Yes, go ahead").click()
    expect(page.get_by_test_id("undo-panel")).to_contain_text("Spreadsheet exports")


def test_undo_after_shipping_tells_nobody(sign_in, live_server, shipping):
    item, idea, voters = shipping
    page = sign_in("e2e-pm")
    _ship(page, live_server, item)

    undo = page.get_by_role("button", name="Undo the change to “Spreadsheet exports”")
    undo.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Undone")).to_contain_text(
        "“Spreadsheet exports” is as it was, and no one was told."
    )
    item.refresh_from_db()
    idea.refresh_from_db()
    assert (item.column, idea.status) == (Column.IN_PROGRESS, IdeaStatus.IN_PROGRESS)
    time.sleep(WINDOW_S + 0.5)
    deliver_pending_notifications.delay()  # what beat runs every minute
    assert not Alert.objects.filter(recipient__in=voters).exists()


def test_after_the_window_the_voters_are_told_once(sign_in, sign_out, live_server, shipping):
    item, _idea, voters = shipping
    page = sign_in("e2e-pm")
    _ship(page, live_server, item)
    assert not Alert.objects.filter(recipient__in=voters).exists()

    time.sleep(WINDOW_S + 0.5)
    deliver_pending_notifications.delay()
    deliver_pending_notifications.delay()  # a second run (beat, a retry) adds nothing

    for voter in voters:
        assert Alert.objects.filter(recipient=voter).count() == 1
    page.reload()
    expect(page.get_by_test_id("undo-panel")).to_have_count(0)
    sign_out(page)
    voter_page = sign_in(voters[0].username)
    voter_page.goto(f"{live_server.url}/notifications/")
    expect(voter_page.locator("main")).to_contain_text("Shipped: Spreadsheet exports")
