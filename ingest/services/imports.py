"""Services for import jobs: record the job first, then run it inline or on a worker.

The life of an import (the same rules as ``core.jobs``'s recomputes):

* **record** — a file upload is stored under ``MEDIA_ROOT/imports`` and its job row
  recorded *queued*; a door that holds its data in memory (a JSON batch, the command
  line's file) records it *running* and imports it in the same process.
* **send** — a big file's job is sent to a worker once committed. The queued row is the
  outbox: the beat (:func:`imports_recover`) sends again a queued job no worker took
  within ``JOB_RESEND_SECONDS``, so a broker outage delays an import, never loses it.
* **claim** — queued → running, counting ``attempts``; a redelivered message also takes
  a running job whose heartbeat stopped (its worker died) and restarts it from the
  stored file. Imports are one transaction, all or nothing, so a restart starts clean.
* **heartbeat** — while it runs, a thread writes ``heartbeat_at`` and ``bytes_done``
  (the progress bar) every couple of seconds, outside the import's transaction.
* **recover** — the beat, every minute: a running job whose heartbeat stopped goes back
  to the queue and to a worker, or fails with the reason after ``JOB_MAX_ATTEMPTS``
  claims, or at once when there is no stored file to restart from.
* **end** — whatever the outcome, the stored file is deleted when the job ends; the
  nightly sweep (:func:`import_uploads_sweep`) removes files no job is waiting for.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Source, User
from core.heartbeat import heartbeat
from core.queue import queue_task, queue_task_on_commit
from ingest.models import MAX_STORED_ERRORS, ImportJob, WriteKey
from ingest.services import pipeline

logger = logging.getLogger(__name__)

#: Uploads larger than this run on a Celery worker; smaller ones in the request.
INLINE_LIMIT_BYTES = 2 * 1024 * 1024
#: An import's heartbeat also carries its progress bar: it beats at least this often.
PROGRESS_SECONDS = 2
#: Stored files younger than this are never swept: their job row may not be committed.
SWEEP_GRACE = timedelta(hours=1)


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_job_create(
    *,
    kind: str,
    source: str,
    partial: bool = False,
    user: User | None = None,
    file_name: str = "",
    upload: BinaryIO | None = None,
    size: int = 0,
) -> ImportJob:
    """Record a job. With ``upload``, keep the file where a worker can read it and leave
    the job queued; without, the caller imports its data now: the job is running."""
    job = ImportJob(kind=kind, source=source, partial=partial, created_by=user, file_name=file_name)
    if upload is not None:
        target = _upload_dir() / f"{uuid.uuid4().hex}.csv"
        with target.open("wb") as out:
            shutil.copyfileobj(upload, out, length=1024 * 1024)
        job.file_path = str(target)
        job.bytes_total = target.stat().st_size
    else:
        now = timezone.now()
        job.bytes_total = size
        job.status = ImportJob.Status.RUNNING
        job.started_at = job.heartbeat_at = now
        job.attempts = 1
    job.save()
    return job


def _mark_sent(job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(sent_at=timezone.now())


def import_job_enqueue(*, job: ImportJob) -> None:
    """Send the job to a worker once committed (never raises: the beat sends it again)."""
    queue_task_on_commit("ingest.tasks.run_import_job", job.pk, on_sent=lambda: _mark_sent(job.pk))


def import_job_send(job_id: int) -> bool:
    sent = queue_task("ingest.tasks.run_import_job", job_id)
    if sent:
        _mark_sent(job_id)
    return sent


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Run a recorded file job: in this process when small, on a worker when big.

    A crash inside the pipeline has already marked the job failed with its reason; it is
    logged here and the job row, not an exception, is what the door answers with.
    """
    if job.bytes_total > INLINE_LIMIT_BYTES:
        import_job_enqueue(job=job)
    else:
        try:
            import_job_run(job_id=job.pk)
        except Exception:
            logger.exception("Import job %s failed", job.pk)
    job.refresh_from_db()  # where tasks run inline, a queued job has finished already
    return job


def _stale(now: datetime) -> Q:
    """Running, and its heartbeat stopped: the process importing it is gone."""
    before = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    return Q(status=ImportJob.Status.RUNNING) & (
        Q(heartbeat_at__lt=before) | Q(heartbeat_at__isnull=True, created_at__lt=before)
    )


def _beating(job: ImportJob) -> AbstractContextManager[None]:
    """The job's heartbeat, carrying its progress (``bytes_done``) to the pages."""

    def beat() -> None:
        ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.RUNNING, attempts=job.attempts
        ).update(heartbeat_at=timezone.now(), bytes_done=job.bytes_done)

    return heartbeat(beat, every=min(PROGRESS_SECONDS, settings.JOB_HEARTBEAT_SECONDS))


def _end(job: ImportJob, message: str) -> None:
    """Fail a job that cannot go on, and delete its stored file."""
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).exclude(status__in=ImportJob.FINISHED).update(
        status=ImportJob.Status.FAILED,
        message=message,
        started_at=job.started_at or now,
        finished_at=now,
    )
    _delete_upload(job)


def _delete_upload(job: ImportJob) -> None:
    if job.file_path:
        Path(job.file_path).unlink(missing_ok=True)


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued file job, or restart one whose worker died (a message redelivered by
    the broker); a delivery while another worker is alive on it does nothing."""
    now = timezone.now()
    claimable = Q(status=ImportJob.Status.QUEUED) | (
        _stale(now) & Q(attempts__lt=settings.JOB_MAX_ATTEMPTS)
    )
    claimed = ImportJob.objects.filter(claimable, pk=job_id).update(
        status=ImportJob.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        bytes_done=0,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    job = ImportJob.objects.get(pk=job_id)
    path = Path(job.file_path)
    if not job.file_path or not path.is_file():
        _end(job, _("The uploaded file is gone, so nothing was imported. Upload it again."))
        return None
    if job.attempts > 1:
        logger.warning("Import job %s restarts from its file (attempt %s).", job_id, job.attempts)
    try:
        with _beating(job), path.open("rb") as stream:
            return pipeline.run_csv(job, stream)
    except Exception as exc:  # the pipeline's own failure keeps its message
        _end(job, _("The import failed: %(error)s") % {"error": exc})
        raise
    finally:
        _delete_upload(job)


def import_file(
    *, kind: str, path: Path, partial: bool = False, user: User | None = None
) -> ImportJob:
    """The CLI door: import a file in this process, reading it in place."""
    job = import_job_create(
        kind=kind,
        source=Source.CSV,
        partial=partial,
        user=user,
        file_name=path.name,
        size=path.stat().st_size,
    )
    with _beating(job), path.open("rb") as stream:
        return pipeline.run_csv(job, stream)


def import_records(
    *,
    kind: str,
    records: list[dict],
    source: str,
    user: User | None = None,
    partial: bool = False,
) -> ImportJob:
    """The REST and tracking doors: a batch of JSON objects, imported now."""
    job = import_job_create(kind=kind, source=source, partial=partial, user=user)
    with _beating(job):
        return pipeline.run_records(job, records)


def import_progress(job: ImportJob) -> int:
    """Percent done, from the byte count the running job's heartbeat writes."""
    return job.progress_percent


@dataclass
class ImportsRecovered:
    requeued: int = 0
    failed: int = 0
    sent: int = 0


def imports_recover(now: datetime | None = None) -> ImportsRecovered:
    """The reaper and the outbox's sender for imports, run by the beat every minute.

    A running job whose heartbeat stopped lost its process: it goes back to the queue
    and to a worker, restarting from its stored file; it fails with the reason when it
    has no file to restart from (a JSON batch, the command line's file: send it again)
    or after ``JOB_MAX_ATTEMPTS`` claims. Queued jobs that no worker took within
    ``JOB_RESEND_SECONDS`` are sent again.
    """
    now = now or timezone.now()
    done = ImportsRecovered()
    for job in ImportJob.objects.filter(_stale(now)).only(
        "pk", "attempts", "file_path", "started_at"
    ):
        dead = ImportJob.objects.filter(_stale(now), pk=job.pk, attempts=job.attempts)
        if not job.file_path or not Path(job.file_path).is_file():
            if dead.exists():
                _end(
                    job,
                    _(
                        "The process importing it stopped, so nothing was imported (an "
                        "import is all or nothing). Send the data again."
                    ),
                )
                done.failed += 1
        elif job.attempts >= settings.JOB_MAX_ATTEMPTS:
            if dead.exists():
                _end(
                    job,
                    _(
                        "The worker importing it stopped %(count)d times, so nothing was "
                        "imported and it is not tried again."
                    )
                    % {"count": job.attempts},
                )
                done.failed += 1
        elif dead.update(status=ImportJob.Status.QUEUED, sent_at=None):
            logger.warning("Import job %s lost its worker; queued again.", job.pk)
            done.requeued += 1
            done.sent += import_job_send(job.pk)
    resend_before = now - timedelta(seconds=settings.JOB_RESEND_SECONDS)
    for pk in (
        ImportJob.objects.filter(status=ImportJob.Status.QUEUED)
        .exclude(file_path="")
        .filter(
            Q(sent_at__isnull=True, created_at__lt=resend_before) | Q(sent_at__lt=resend_before)
        )
        .values_list("pk", flat=True)
    ):
        done.sent += import_job_send(pk)
    return done


def import_oldest_pending(now: datetime) -> datetime | None:
    """When the longest-waiting queued file job was recorded (for /healthz)."""
    return (
        ImportJob.objects.filter(status=ImportJob.Status.QUEUED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def import_uploads_sweep(*, grace: timedelta = SWEEP_GRACE) -> int:
    """Delete stored uploads that no queued or running job will read (a job that ended
    while its file could not be deleted, a request that died before recording its job);
    returns how many. Files younger than ``grace`` are left: their job may be on its way."""
    waiting = set(
        ImportJob.objects.filter(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
        .exclude(file_path="")
        .values_list("file_path", flat=True)
    )
    cutoff = time.time() - grace.total_seconds()
    removed = 0
    for path in _upload_dir().iterdir():
        if str(path) in waiting or not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def import_tracking_batch(
    *, write_key: WriteKey, records: list[dict]
) -> tuple[ImportJob, ImportJob]:
    """The tracking door: land a batch of usage records, partial, and add its counts to
    the job of its write key and minute. Returns the batch (its own counts and row
    errors, for the answer) and that job.

    A busy source sends several batches a second; a job each would bury the import
    history. The batch is landed first, in its own transaction, so the shared job row
    is locked only for the moment its counts are added.
    """
    batch = ImportJob(
        kind=ImportJob.Kind.USAGE, source=Source.SEGMENT, partial=True, write_key=write_key
    )
    try:
        pipeline.run_records(batch, records, persist=False)
    finally:  # a failed batch is counted too, and its job says it failed
        job = _add_to_minute_job(write_key, batch)
    return batch, job


def _add_to_minute_job(write_key: WriteKey, batch: ImportJob) -> ImportJob:
    now = timezone.now()
    minute = now.replace(second=0, microsecond=0)
    with transaction.atomic():
        job, _created = ImportJob.objects.get_or_create(
            write_key=write_key,
            minute=minute,
            defaults={
                "kind": ImportJob.Kind.USAGE,
                "source": Source.SEGMENT,
                "partial": True,
                "file_name": write_key.name,
                "status": ImportJob.Status.SUCCEEDED,
                "started_at": batch.started_at or now,
            },
        )
        changes: dict = {
            "rows_seen": F("rows_seen") + batch.rows_seen,
            "rows_inserted": F("rows_inserted") + batch.rows_inserted,
            "rows_updated": F("rows_updated") + batch.rows_updated,
            "rows_duplicate": F("rows_duplicate") + batch.rows_duplicate,
            "rows_rejected": F("rows_rejected") + batch.rows_rejected,
            "finished_at": now,
        }
        if batch.status != ImportJob.Status.SUCCEEDED:
            changes.update(status=batch.status, message=batch.message)
        if batch.errors:
            # Stored errors need the row read: lock it, and number each batch's rows
            # after those of the batches before it, so that every row is told apart.
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            room = MAX_STORED_ERRORS - len(locked.errors)
            if room > 0:
                changes["errors"] = locked.errors + [
                    {**error, "row": error["row"] + locked.rows_seen}
                    for error in batch.errors[:room]
                ]
        ImportJob.objects.filter(pk=job.pk).update(**changes)
    job.refresh_from_db()
    return job
