"""Recovering recompute work: the reaper hands work whose heartbeat stopped to another
worker (or gives up on it with a reason), and the outbox sends again what no worker
took. Tasks run inline here, so "sent" means "ran"; tests/core/test_worker_killed.py
does the same with real worker processes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core import jobs
from core.models import Job, JobChunk
from healthscores.models import HealthSnapshot
from tests.accounts.factories import AccountFactory

STALE = 60

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.JOB_STALE_SECONDS = STALE
    settings.JOB_RESEND_SECONDS = 30
    settings.JOB_MAX_ATTEMPTS = 3


def _ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def _planned(accounts: int = 2, chunk_size: int = 1) -> Job:
    """A running full job cut into chunks, none of them computed (nothing was sent)."""
    AccountFactory.create_batch(accounts)
    job = jobs.job_create("health")
    Job.objects.filter(pk=job.pk).update(status="queued")
    kind = jobs.job_kind("health")
    ids = kind.all_ids()
    Job.objects.filter(pk=job.pk).update(
        status="running", started_at=_ago(1), heartbeat_at=_ago(1), attempts=1,
        chunks_total=len(ids), accounts_total=len(ids),
    )  # fmt: skip
    JobChunk.objects.bulk_create(
        JobChunk(job=job, index=n, first_id=pk, last_id=pk, sent_at=timezone.now())
        for n, pk in enumerate(ids)
    )
    return job


def test_a_chunk_whose_heartbeat_stopped_is_queued_again_and_finished():
    job = _planned(accounts=1)
    dead = JobChunk.objects.get(job=job)
    JobChunk.objects.filter(pk=dead.pk).update(
        status="running", attempts=1, heartbeat_at=_ago(STALE + 1)
    )
    Job.objects.filter(pk=job.pk).update(heartbeat_at=_ago(STALE + 1))

    recovered = jobs.jobs_recover()

    assert (recovered.requeued, recovered.sent) == (1, 1)
    job.refresh_from_db()
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == ("done", 2)
    assert (job.status, job.chunks_done, job.accounts_processed) == ("succeeded", 1, 1)
    assert HealthSnapshot.objects.count() == 1


def test_a_queued_chunk_of_a_job_nothing_moved_for_a_while_is_sent_again():
    job = _planned(accounts=2)
    JobChunk.objects.filter(job=job).update(sent_at=_ago(31))
    Job.objects.filter(pk=job.pk).update(heartbeat_at=_ago(31))
    assert jobs.jobs_recover().sent == 2
    job.refresh_from_db()
    assert (job.status, job.chunks_done) == ("succeeded", 2)


def test_a_chunk_that_is_beating_is_left_alone():
    job = _planned()
    alive = JobChunk.objects.filter(job=job).first()
    JobChunk.objects.filter(pk=alive.pk).update(
        status="running", attempts=1, heartbeat_at=_ago(STALE - 5)
    )

    assert jobs.jobs_recover().requeued == 0
    alive.refresh_from_db()
    assert alive.status == "running"
    # Its sibling waits its turn behind it: the job is moving, nothing is sent again.
    assert JobChunk.objects.filter(job=job, status="queued").count() == 1


def test_a_chunk_that_lost_its_worker_too_often_fails_the_job_with_the_reason():
    job = _planned(accounts=1)
    chunk = JobChunk.objects.get(job=job)
    JobChunk.objects.filter(pk=chunk.pk).update(
        status="running", attempts=3, heartbeat_at=_ago(STALE + 1)
    )

    assert jobs.jobs_recover().failed == 1
    job.refresh_from_db()
    chunk.refresh_from_db()
    assert chunk.status == "failed"
    assert "stopped" in chunk.error
    assert job.status == "failed"
    assert "3 times" in job.error
    assert job.finished_at is not None


def test_a_redelivered_chunk_takes_over_from_a_dead_worker_but_not_from_a_live_one():
    job = _planned(accounts=1)
    chunk = JobChunk.objects.get(job=job)
    JobChunk.objects.filter(pk=chunk.pk).update(status="running", attempts=1, heartbeat_at=_ago(5))
    assert jobs.job_chunk_run(chunk_id=chunk.pk) is False  # its worker is alive

    JobChunk.objects.filter(pk=chunk.pk).update(heartbeat_at=_ago(STALE + 1))
    assert jobs.job_chunk_run(chunk_id=chunk.pk) is True  # the broker's redelivery
    job.refresh_from_db()
    assert (job.status, job.chunks_done) == ("succeeded", 1)


def test_a_worker_the_reaper_gave_up_on_writes_nothing():
    """A chunk taken over by a second claim: the first claim's results are rolled back,
    so the chunk is counted once."""
    job = _planned(accounts=1)
    chunk = JobChunk.objects.get(job=job)
    JobChunk.objects.filter(pk=chunk.pk).update(
        status="running", attempts=1, heartbeat_at=_ago(STALE + 1)
    )
    claimed = jobs._chunk_claim(chunk.pk)
    assert claimed is not None
    assert claimed.attempts == 2
    # The first worker, which was only slow, finishes now: its claim no longer holds.
    stale_claim = JobChunk.objects.select_related("job").get(pk=chunk.pk)
    stale_claim.attempts = 1
    JobChunk.objects.filter(pk=chunk.pk).update(attempts=2)
    assert jobs.job_chunk_run(chunk_id=chunk.pk) is False
    job.refresh_from_db()
    assert job.chunks_done == 0
    assert not HealthSnapshot.objects.exists()


def test_a_failed_chunk_goes_back_to_the_queue_for_its_retry(monkeypatch):
    job = _planned(accounts=1)
    chunk = JobChunk.objects.get(job=job)
    kind = jobs.job_kind("health")

    def down(job, scope):
        raise ConnectionError("the database went away")

    monkeypatch.setitem(jobs._kinds, "health", jobs.JobKind(**{**vars(kind), "compute": down}))
    with pytest.raises(ConnectionError):
        jobs.job_chunk_run(chunk_id=chunk.pk)
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts) == ("queued", 1)


def test_an_unplanned_job_whose_worker_died_runs_again_and_no_longer_blocks_full_runs():
    AccountFactory.create_batch(2)
    dead = Job.objects.create(
        is_full=True, status="running", attempts=1, started_at=_ago(STALE + 5),
        heartbeat_at=_ago(STALE + 1),
    )  # fmt: skip
    assert jobs.jobs_recover().requeued == 1
    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.accounts_processed) == ("succeeded", 2, 2)
    assert jobs.full_job_request("health").queued


def test_a_queued_job_the_broker_never_delivered_is_sent_again():
    AccountFactory()
    job = jobs.job_create("health")
    Job.objects.filter(pk=job.pk).update(due_at=_ago(10))
    assert jobs.jobs_recover().sent == 0  # recorded moments ago: its message may be on its way

    Job.objects.filter(pk=job.pk).update(due_at=_ago(31))
    assert jobs.jobs_recover().sent == 1
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.sent_at is not None


def test_a_debounced_job_is_not_sent_again_before_it_is_due():
    job = jobs.job_create("productrisk")
    Job.objects.filter(pk=job.pk).update(
        due_at=timezone.now() + timedelta(seconds=60), sent_at=_ago(40)
    )
    assert jobs.jobs_recover().sent == 0


def test_recompute_all_sends_a_full_run_that_was_never_sent(django_capture_on_commit_callbacks):
    """A full run recorded while the broker was away (``recompute_health --queue``) is
    sent when someone asks for one, instead of answering "already queued" forever."""
    AccountFactory()
    waiting = jobs.job_create("health")
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.full_job_request("health")
    assert not result.queued
    assert result.job.pk == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == "succeeded"


def test_the_oldest_pending_job_is_the_longest_due(client):
    first = jobs.job_create("health")
    Job.objects.filter(pk=first.pk).update(due_at=_ago(100))
    later = jobs.job_create("productrisk")
    Job.objects.filter(pk=later.pk).update(due_at=timezone.now() + timedelta(seconds=50))
    assert abs((timezone.now() - jobs.oldest_pending()).total_seconds() - 100) < 2
