"""Plays and tasks on the account timeline: a play when it starts, a task when it is
closed or added by hand; the open steps of a play stay out of the story."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.timeline import account_timeline
from plays.services import tasks as task_services
from tests.accounts.factories import AccountFactory
from tests.plays.factories import PlaybookFactory, PlayFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_a_play_shows_when_it_starts_and_its_steps_when_they_close(csm):
    account = AccountFactory(csm_owner=csm)
    now = timezone.now()
    play = PlayFactory(
        account=account,
        playbook=PlaybookFactory(name="Red rescue"),
        cause="Health dropped to red",
        started_at=now - timedelta(days=2),
    )
    call = TaskFactory(account=account, play=play, title="Call the champion", owner=csm)
    TaskFactory(account=account, play=play, title="Agree a plan", owner=csm)  # still open
    skipped = TaskFactory(account=account, play=play, title="Send the survey", owner=csm)
    task_services.task_complete(actor=csm, task=call)
    task_services.task_skip(actor=csm, task=skipped, reason="They answered last week")
    by_hand = TaskFactory(account=account, title="Book the QBR", created_by=csm)

    page = account_timeline(account=account, viewer=csm, kinds=["play", "task"])

    titles = [(e.kind, e.title) for e in page.entries]
    assert ("play", "Play started: Red rescue") in titles
    assert ("task", "Task done: Call the champion") in titles
    assert ("task", "Task skipped: Send the survey") in titles
    assert ("task", "Task added: Book the QBR") in titles
    assert not any("Agree a plan" in title for _kind, title in titles)
    assert titles[-1] == ("play", "Play started: Red rescue")  # the oldest
    entries = {e.title: e for e in page.entries}
    assert entries["Play started: Red rescue"].detail == "Health dropped to red"
    assert entries["Task skipped: Send the survey"].detail == "They answered last week"
    assert entries["Task done: Call the champion"].actor == (csm.get_full_name() or csm.username)
    assert entries["Task added: Book the QBR"].url.endswith(f"/plays/tasks/{by_hand.pk}/")


def test_tasks_of_another_account_stay_off_this_timeline(csm):
    account, other = AccountFactory(), AccountFactory()
    TaskFactory(account=other, title="Not ours", created_by=csm)
    PlayFactory(account=other)

    page = account_timeline(account=account, viewer=csm, kinds=["play", "task"])

    assert page.entries == []
