"""Notification settings in a real browser: a customer moves idea updates to the daily
digest from her settings, an idea she follows moves and she gets no e-mail at once,
then the morning's digest task sends her one e-mail with it; the inbox names her zone
and shows her no severity."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.roles import Role
from feedback import services as feedback_services
from feedback.statuses import IdeaStatus
from notifications import tasks
from tests.accounts.factories import UserFactory
from tests.feedback.factories import FollowFactory, IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_customer_takes_idea_updates_as_a_digest(page, live_server, sign_in):
    alice = UserFactory(
        username="alice",
        role=Role.CUSTOMER,
        email="alice@alpha.test",
        time_zone="Europe/Madrid",
    )
    pm = UserFactory(username="paula", role=Role.PM)
    idea = IdeaFactory(title="Weekly usage report", author=alice)
    FollowFactory(idea=idea, user=alice)

    sign_in("alice")
    page.goto(f"{live_server.url}/me/")
    page.get_by_role("link", name="Notification settings").click()
    page.get_by_label("Idea updates").select_option("daily")
    page.get_by_role("button", name="Save notification settings").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()

    mail.outbox.clear()
    feedback_services.idea_status_change(idea=idea, status=IdeaStatus.PLANNED, actor=pm)
    assert [m for m in mail.outbox if m.to == ["alice@alpha.test"]] == []

    page.goto(f"{live_server.url}/notifications/")
    row = page.locator("tbody tr", has_text="Weekly usage report")
    expect(row).to_have_count(1)
    expect(page.get_by_role("columnheader", name="Severity")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Received (Europe/Madrid time)")).to_be_visible()

    # The hourly beat task at the pinned noon in Madrid, past her digest hour: one
    # e-mail, and no second one when the task runs again.
    tasks.send_digests.delay()
    tasks.send_digests.delay()
    (digest,) = [m for m in mail.outbox if m.to == ["alice@alpha.test"]]
    assert digest.subject == "Your daily digest: 1 notification"
    assert "Weekly usage report" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
