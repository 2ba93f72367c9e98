"""A worker SIGKILLed in the middle of a full recompute: its chunk goes to another worker
within seconds of its heartbeat stopping, and the run finishes with every account
counted once.

Real components: PostgreSQL, a Redis of the test's own, and Celery worker processes.
The chunk is held in the middle of its work by a table lock the test takes, so the kill
lands while the chunk's transaction is open and its heartbeat thread beating.
"""

from __future__ import annotations

import time

import psycopg
import pytest

from core import jobs
from core.models import Job, JobChunk
from healthscores import services
from healthscores.models import HealthSnapshot
from tests.accounts.factories import AccountFactory
from tests.processes import (
    broker_at,
    database_url,
    kill,
    redis_server,
    start_worker,
    stop,
    wait_for,
)

pytestmark = [
    pytest.mark.needs_postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]

#: The worker beats every second; the test's reaper calls a heartbeat older than
#: STALE_SECONDS dead (the worker's pinned clock lags the test's by its start-up time).
STALE_SECONDS = 5
WORKER_ENV = {"JOB_HEARTBEAT_SECONDS": "1", "HEALTH_CHUNK_SIZE": "2"}


def _running_chunk() -> JobChunk | None:
    return JobChunk.objects.filter(status=JobChunk.Status.RUNNING).first()


def test_a_chunk_of_a_killed_worker_is_finished_by_another_within_seconds(settings, tmp_path):
    """GIVEN a full recompute of 5 accounts in chunks of 2 on a real worker
    WHEN the worker is SIGKILLed while a chunk is being written
    THEN the reaper leaves the chunk alone while its heartbeat beats, queues it again
    once the heartbeat stops, and a second worker finishes the run: every chunk done
    once, every account counted once, within seconds rather than the broker's hour."""
    settings.JOB_STALE_SECONDS = STALE_SECONDS
    settings.JOB_RESEND_SECONDS = 1
    AccountFactory.create_batch(5)
    log = tmp_path / "workers.log"
    with redis_server() as redis, broker_at(redis.url):
        first = start_worker(redis.url, log, **WORKER_ENV)
        second = None
        # Another session locks the snapshots table: the chunk computes, then waits to
        # write, its transaction open.
        lock = psycopg.connect(database_url())
        try:
            lock.execute(f"LOCK TABLE {HealthSnapshot._meta.db_table} IN EXCLUSIVE MODE")
            run = services.recompute_request()
            assert wait_for(lambda: _running_chunk() is not None, 30), log.read_text()[-3000:]
            chunk = _running_chunk()
            beat = chunk.heartbeat_at

            # Alive and beating: the reaper leaves it alone however long it waits.
            time.sleep(STALE_SECONDS + 0.5)
            chunk.refresh_from_db()
            assert chunk.heartbeat_at > beat
            assert jobs.jobs_recover().requeued == 0
            assert JobChunk.objects.get(pk=chunk.pk).status == JobChunk.Status.RUNNING

            kill(first)
            killed_at = time.monotonic()
            lock.rollback()
            second = start_worker(redis.url, log, **WORKER_ENV)

            def finished() -> bool:
                jobs.jobs_recover()  # what the beat runs every minute
                run.refresh_from_db()
                return run.status in (Job.Status.SUCCEEDED, Job.Status.FAILED)

            assert wait_for(finished, 40, 0.5), log.read_text()[-3000:]
            recovered_in = time.monotonic() - killed_at
        finally:
            lock.close()
            for worker in (first, second):
                if worker is not None:
                    stop(worker)

    assert run.status == Job.Status.SUCCEEDED, run.error
    assert (run.chunks_total, run.chunks_done, run.accounts_processed) == (3, 3, 5)
    assert set(JobChunk.objects.filter(job=run).values_list("status", flat=True)) == {"done"}
    assert JobChunk.objects.get(pk=chunk.pk).attempts == 2
    assert HealthSnapshot.objects.count() == 5
    # The heartbeat stops with the worker; the chunk waits STALE_SECONDS, not an hour.
    assert recovered_in < STALE_SECONDS + 20
