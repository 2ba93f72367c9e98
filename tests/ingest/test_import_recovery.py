"""An import is never stuck or lost: a redelivered one restarts from its stored file,
the reaper hands one whose heartbeat stopped to another worker (or fails it with the
reason), a queued one the broker never delivered is sent again, and its upload is
deleted when it ends, whatever the outcome. Tasks run inline here;
tests/ingest/test_import_worker_killed.py does it with real worker processes."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Source, Ticket
from ingest.models import ImportJob
from ingest.services import imports
from tests.accounts.factories import AccountFactory

pytestmark = pytest.mark.django_db

STALE = 60
TICKETS_CSV = (
    "Ticket ID,Organization,Subject,Created at\n"
    "T-1,ACME,Login fails,2025-01-05T09:00:00Z\n"
    "T-2,ACME,Export slow,2025-01-06T09:00:00Z\n"
)


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.JOB_STALE_SECONDS = STALE
    settings.JOB_RESEND_SECONDS = 30
    settings.JOB_MAX_ATTEMPTS = 3
    AccountFactory(external_id="ACME", name="Acme")


def _ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def _stored(csv: str = TICKETS_CSV) -> ImportJob:
    return imports.import_job_create(
        kind="tickets", source=Source.API, upload=io.BytesIO(csv.encode()), file_name="t.csv"
    )


def _died(job: ImportJob, *, attempts: int = 1, seconds: float = STALE + 1) -> None:
    """As a worker killed mid-run leaves it: running, its heartbeat stopped."""
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=attempts, started_at=_ago(seconds), heartbeat_at=_ago(seconds)
    )


def test_a_redelivered_import_whose_worker_died_restarts_from_its_file():
    job = _stored()
    _died(job)
    imports.import_job_run(job_id=job.pk)  # the broker's redelivery
    job.refresh_from_db()
    assert (job.status, job.rows_inserted, job.attempts) == ("succeeded", 2, 2)
    assert Ticket.objects.count() == 2
    assert not Path(job.file_path).exists()


def test_a_redelivery_while_its_worker_is_alive_does_nothing():
    job = _stored()
    _died(job, seconds=5)
    assert imports.import_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == "running"
    assert Path(job.file_path).exists()


def test_the_reaper_hands_an_import_whose_heartbeat_stopped_to_a_worker():
    job = _stored()
    _died(job)
    done = imports.imports_recover()
    assert (done.requeued, done.sent) == (1, 1)
    job.refresh_from_db()
    assert (job.status, job.rows_inserted, job.attempts) == ("succeeded", 2, 2)
    assert not Path(job.file_path).exists()


def test_the_reaper_gives_up_after_the_last_attempt_and_deletes_the_upload():
    job = _stored()
    _died(job, attempts=3)
    assert imports.imports_recover().failed == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert "3 times" in job.message
    assert job.finished_at is not None
    assert not Path(job.file_path).exists()


@pytest.mark.parametrize("door", ["records", "cli"])
def test_an_import_without_a_stored_file_fails_with_the_reason(door):
    """A JSON batch or the command line's file cannot be read again: its job says to
    send it again, instead of staying "running" for ever."""
    job = imports.import_job_create(
        kind="tickets", source=Source.API if door == "records" else Source.CSV
    )
    assert job.status == "running"  # recorded running: nothing should queue it
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=_ago(STALE + 1))
    assert imports.imports_recover().failed == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert "Send the data again" in job.message


def test_a_queued_import_the_broker_never_delivered_is_sent_again():
    job = _stored()
    assert imports.imports_recover().sent == 0  # just recorded: its message may be on its way
    ImportJob.objects.filter(pk=job.pk).update(created_at=_ago(31))
    assert imports.imports_recover().sent == 1
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.sent_at is not None


@pytest.mark.parametrize(
    ("csv", "status"),
    [
        (TICKETS_CSV, "succeeded"),
        (TICKETS_CSV + "T-3,NOPE,Unknown account,2025-01-06T09:00:00Z\n", "rejected"),
        ("\x00\x01binary", "rejected"),
    ],
)
def test_the_upload_is_deleted_when_the_job_ends_whatever_the_outcome(csv, status):
    job = imports.import_job_start(job=_stored(csv))
    assert job.status == status
    assert not Path(job.file_path).exists()


def test_the_sweep_removes_uploads_no_job_waits_for():
    waiting = _stored()
    orphan = Path(imports._upload_dir()) / "orphan.csv"
    orphan.write_text("x")
    young = Path(imports._upload_dir()) / "young.csv"
    young.write_text("x")
    old = time.time() - 2 * 3600
    for path in (Path(waiting.file_path), orphan):
        os.utime(path, (old, old))

    assert imports.import_uploads_sweep() == 1
    assert not orphan.exists()
    assert young.exists()
    assert Path(waiting.file_path).exists()


def test_a_running_import_shows_the_progress_its_heartbeat_wrote():
    job = _stored()
    ImportJob.objects.filter(pk=job.pk).update(status="running", bytes_done=job.bytes_total // 2)
    job.refresh_from_db()
    assert imports.import_progress(job) == 50 or imports.import_progress(job) == 49
