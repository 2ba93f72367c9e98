"""An ingest of urgent tickets turns an account red; the recompute it wakes runs the
play rules, which start the red-rescue play; the CSM lands on the cockpit, sees the new
play and its first step due today, opens the account and completes that step; the
account's timeline shows both."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import Role
from healthscores import services as health
from healthscores.models import AccountHealth
from plays.models import Play, Rule, Task
from tests.accounts.factories import (
    AccountFactory,
    ContactFactory,
    DailyUsageFactory,
    UserFactory,
)
from tests.healthscores.factories import DailyEventContactFactory
from tests.plays.factories import PlaybookFactory, RuleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _quiet_for_a_week(account) -> None:
    """Busy a week ago, silent since: not red yet, one bad signal away from it."""
    today = health.today_utc()
    week_ago = today - timedelta(days=7)
    for contact in ContactFactory.create_batch(8, account=account):
        DailyEventContactFactory(
            account=account, contact=contact, day=week_ago - timedelta(days=25)
        )
    DailyUsageFactory(account=account, day=week_ago, event_count=300)
    DailyUsageFactory(account=account, day=today - timedelta(days=40), event_count=300)
    health.recompute_now(account_ids=[account.pk], day=week_ago)


def test_a_red_account_starts_a_play_the_csm_completes_from_the_cockpit(
    sign_in, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    csm = UserFactory(username="e2e-plays", role=Role.CSM, first_name="Casey")
    account = AccountFactory(
        name="Dunmore Freight", external_id="DUN", csm_owner=csm, licensed_seats=10
    )
    playbook = PlaybookFactory(
        name="Red rescue", steps=[("Call the champion", 0), ("Agree a recovery plan", 7)]
    )
    RuleFactory(name="Red accounts", playbook=playbook, trigger=Rule.Trigger.BAND)
    _quiet_for_a_week(account)
    assert not Play.objects.exists()

    # The ingest: five urgent tickets through the bulk import API, as a help desk sync
    # would send them. Its announcement wakes the health recompute, whose end runs the
    # rules (tasks run inline here; in production a worker takes each after commit).
    importer = Client()
    importer.force_login(csm)
    today = health.today_utc().isoformat()
    response = importer.post(
        reverse("api-import", kwargs={"kind": "tickets"}),
        data=[
            {
                "ticket_id": f"DUN-{n}",
                "organization": "DUN",
                "subject": f"Outage {n}",
                "created_at": today,
                "priority": "urgent",
                "status": "open",
            }
            for n in range(5)
        ],
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert AccountHealth.objects.get(account=account).effective_band == "red"
    play = Play.objects.get(account=account, playbook=playbook)
    assert play.state == Play.State.ACTIVE

    page = sign_in("e2e-plays")  # a CSM lands on the cockpit
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    new_plays = page.locator("#new-plays")
    expect(new_plays.get_by_test_id("cockpit-play")).to_contain_text("Red rescue")
    due_today = page.locator("#due-today")
    row = due_today.get_by_role("row", name=re.compile("Call the champion"))
    expect(row).to_contain_text("Dunmore Freight")

    row.get_by_role("link", name="Dunmore Freight").click()
    page.wait_for_load_state("load")  # htmx must be ready before the form is used
    tasks = page.locator("#tasks")
    first = tasks.get_by_role("row", name=re.compile("Call the champion"))
    first.get_by_role("button", name=re.compile("Done")).click()
    expect(tasks.get_by_role("row", name=re.compile("Call the champion"))).to_have_count(0)
    expect(tasks.get_by_role("row", name=re.compile("Agree a recovery plan"))).to_be_visible()

    done = Task.objects.get(play=play, title="Call the champion")
    assert (done.status, done.closed_by) == (Task.Status.DONE, csm)
    play.refresh_from_db()
    assert play.state == Play.State.ACTIVE  # one step left

    # The account's timeline tells the story: the play's start and the step done.
    page.goto(f"{live_server.url}{reverse('accounts:timeline', args=[account.pk])}")
    expect(page.locator("li.timeline-item[data-kind='task']")).to_contain_text(
        "Task done: Call the champion"
    )
    expect(page.locator("li.timeline-item[data-kind='play']")).to_contain_text(
        "Play started: Red rescue"
    )
