"""What starts a product-risk recompute: beat, ingests, the command, the task."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError

from accounts.signals import announce_account_data_changed
from core.models import Job
from csplatform.beat import DEFAULT_ENTRIES, build_schedule
from csplatform.env import Env
from productrisk.models import ProductRisk
from productrisk.services.flags import product_risk_recompute_soon
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


def test_chunk_tasks_retry_on_a_lost_database():
    from core.tasks import TRANSIENT_ERRORS

    assert OperationalError in TRANSIENT_ERRORS


@pytest.mark.django_db
def test_task_runs_a_recompute_job_and_keeps_its_figures(django_capture_on_commit_callbacks):
    idea = three_votes()
    with django_capture_on_commit_callbacks(execute=True):
        job_id = recompute_product_risk.delay().get()
    job = Job.objects.get(pk=job_id)
    assert (job.kind, job.status) == ("productrisk", Job.Status.SUCCEEDED)
    assert job.result["opened"] == 1
    assert ProductRisk.objects.filter(idea=idea).exists()


@pytest.mark.django_db
def test_a_burst_of_requests_is_one_queued_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert product_risk_recompute_soon() is True
        assert product_risk_recompute_soon() is False
        assert product_risk_recompute_soon() is False
    assert Job.objects.filter(kind="productrisk").count() == 1
    assert len(queued) == 1  # one task for the one job


@pytest.mark.django_db
def test_an_ingest_announcement_queues_a_recompute(django_capture_on_commit_callbacks):
    idea = three_votes()
    with django_capture_on_commit_callbacks(execute=True):
        announce_account_data_changed([idea.votes.first().account_id])
    assert ProductRisk.objects.filter(idea=idea).exists()


@pytest.mark.django_db
def test_management_command_recomputes_and_says_what_it_did():
    three_votes()
    out = StringIO()
    call_command("recompute_product_risk", stdout=out)
    assert "1 flags opened" in out.getvalue()
    assert ProductRisk.objects.count() == 1
    call_command("recompute_product_risk", stdout=out)
    assert ProductRisk.objects.count() == 1
