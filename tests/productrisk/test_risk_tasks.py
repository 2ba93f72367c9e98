"""What starts a product-risk recompute: beat, ingests, the command, the task."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError

from accounts.signals import announce_account_data_changed
from csplatform.beat import DEFAULT_ENTRIES, build_schedule
from csplatform.env import Env
from productrisk.models import ProductRisk
from productrisk.services.flags import PENDING_KEY, product_risk_recompute_soon
from productrisk.tasks import recompute_product_risk
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.feedback.factories import IdeaFactory, VoteFactory


def three_votes():
    idea = IdeaFactory()
    for _ in range(3):
        VoteFactory(idea=idea, contact=ContactFactory(account=AccountFactory()))
    return idea


def test_beat_recomputes_hourly_and_each_run_expires_before_the_next():
    entry = next(e for e in DEFAULT_ENTRIES if e.name == "recompute-product-risk")
    schedule = build_schedule([entry], Env({}))["recompute-product-risk"]
    assert schedule["task"] == "productrisk.tasks.recompute_product_risk"
    assert schedule["schedule"].hour == set(range(24))
    assert len(schedule["schedule"].minute) == 1
    assert schedule["options"]["expires"] < timedelta(hours=1).total_seconds()


def test_task_retries_on_a_lost_database():
    assert OperationalError in recompute_product_risk.autoretry_for


@pytest.mark.django_db
def test_task_recomputes_and_clears_the_debounce_key():
    idea = three_votes()
    cache.set(PENDING_KEY, 1)
    result = recompute_product_risk.delay(today="2026-11-30").get()
    assert result["opened"] == 1
    assert ProductRisk.objects.filter(idea=idea).exists()
    assert cache.get(PENDING_KEY) is None


@pytest.mark.django_db
def test_a_queued_recompute_is_not_queued_twice():
    cache.set(PENDING_KEY, 1)
    assert product_risk_recompute_soon() is False
    cache.delete(PENDING_KEY)


@pytest.mark.django_db
def test_an_ingest_announcement_queues_a_recompute(django_capture_on_commit_callbacks):
    cache.delete(PENDING_KEY)
    idea = three_votes()
    with django_capture_on_commit_callbacks(execute=True):
        announce_account_data_changed([idea.votes.first().account_id])
    assert ProductRisk.objects.filter(idea=idea).exists()


@pytest.mark.django_db
def test_management_command_recomputes_and_says_what_it_did():
    three_votes()
    out = StringIO()
    call_command("recompute_product_risk", "--day", "2026-11-30", stdout=out)
    assert "1 flags opened" in out.getvalue()
    assert ProductRisk.objects.count() == 1
    call_command("recompute_product_risk", stdout=out)
    assert ProductRisk.objects.count() == 1
