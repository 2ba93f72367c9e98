"""A worker SIGKILLed in the middle of an uploaded import: the import restarts from its
stored file on another worker within seconds of its heartbeat stopping, lands every
row, and its upload is deleted.

Real components: PostgreSQL, a Redis of the test's own, and Celery worker processes.
The import is held in the middle of its transaction by a table lock the test takes, so
the kill lands while it runs and its heartbeat thread beats.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import psycopg
import pytest

from accounts.models import Account, Source
from ingest.models import ImportJob
from ingest.services import imports
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

STALE_SECONDS = 5
ROWS = 200


def test_an_import_of_a_killed_worker_restarts_from_its_file_on_another(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.JOB_STALE_SECONDS = STALE_SECONDS
    settings.JOB_RESEND_SECONDS = 1
    csv = "external_id,name\n" + "".join(f"A-{n},Account {n}\n" for n in range(ROWS))
    log = tmp_path / "workers.log"
    env = {"JOB_HEARTBEAT_SECONDS": "1", "MEDIA_ROOT": settings.MEDIA_ROOT}
    with redis_server() as redis, broker_at(redis.url):
        first = start_worker(redis.url, log, **env)
        second = None
        lock = psycopg.connect(database_url())
        try:
            # The accounts table is locked: the import reads and validates its rows,
            # then waits to write them, its transaction open.
            lock.execute(f"LOCK TABLE {Account._meta.db_table} IN EXCLUSIVE MODE")
            job = imports.import_job_create(
                kind="accounts", source=Source.API, upload=io.BytesIO(csv.encode())
            )
            imports.import_job_enqueue(job=job)  # what the REST door does for a big body
            upload = Path(job.file_path)

            def running() -> bool:
                job.refresh_from_db()
                return job.status == ImportJob.Status.RUNNING

            assert wait_for(running, 30), log.read_text()[-3000:]
            time.sleep(2)
            beat = ImportJob.objects.get(pk=job.pk).heartbeat_at
            assert beat > job.heartbeat_at  # beating while it waits

            kill(first)
            killed_at = time.monotonic()
            lock.rollback()
            assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING
            assert upload.exists()
            second = start_worker(redis.url, log, **env)

            def finished() -> bool:
                imports.imports_recover()  # what the beat runs every minute
                job.refresh_from_db()
                return job.is_finished

            assert wait_for(finished, 40, 0.5), log.read_text()[-3000:]
            recovered_in = time.monotonic() - killed_at
        finally:
            lock.close()
            for worker in (first, second):
                if worker is not None:
                    stop(worker)

    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert (job.attempts, job.rows_seen, job.rows_inserted) == (2, ROWS, ROWS)
    assert Account.objects.filter(external_id__startswith="A-").count() == ROWS
    assert not upload.exists()
    assert recovered_in < STALE_SECONDS + 20
