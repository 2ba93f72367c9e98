"""Services for import jobs: record the job first, then run it inline or on a worker."""

from __future__ import annotations

import logging
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.cache import cache

from accounts.models import Source, User
from core.queue import queue_task_on_commit
from ingest.models import ImportJob
from ingest.services import pipeline

logger = logging.getLogger(__name__)

#: Uploads larger than this run on a Celery worker; smaller ones in the request.
INLINE_LIMIT_BYTES = 2 * 1024 * 1024


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
    """Record a job; with ``upload``, keep the file where a worker can read it."""
    job = ImportJob(kind=kind, source=source, partial=partial, created_by=user, file_name=file_name)
    if upload is not None:
        target = _upload_dir() / f"{uuid.uuid4().hex}.csv"
        with target.open("wb") as out:
            shutil.copyfileobj(upload, out, length=1024 * 1024)
        job.file_path = str(target)
        job.bytes_total = target.stat().st_size
    else:
        job.bytes_total = size
    job.save()
    return job


def import_job_enqueue(*, job: ImportJob) -> None:
    queue_task_on_commit("ingest.tasks.run_import_job", job.pk)


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


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued file job once; a second delivery finds it claimed and does nothing."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    if not claimed:
        return None
    job = ImportJob.objects.get(pk=job_id)
    path = Path(job.file_path)
    try:
        with path.open("rb") as stream:
            return pipeline.run_csv(job, stream)
    finally:
        path.unlink(missing_ok=True)


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
    with path.open("rb") as stream:
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
    return pipeline.run_records(job, records)


def import_progress(job: ImportJob) -> int:
    """Percent done, from the worker's live byte count while the job runs."""
    if job.is_finished or not job.bytes_total:
        return job.progress_percent
    done = cache.get(pipeline.progress_key(job.pk), 0)
    return min(99, int(100 * done / job.bytes_total))
