"""Celery entry points of the recompute jobs (``core.jobs``): thin wrappers, retried on
the database hiccups worth another try."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from core import jobs

logger = logging.getLogger(__name__)

#: Database hiccups worth another try: a dropped connection, a deadlock, a failover.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@shared_task
def run_job(job_id: int) -> None:
    """Claim a queued job and fan its chunks out; a redelivery finds it claimed."""
    jobs.job_run(job_id=job_id)


@shared_task(bind=True, max_retries=3)
def run_job_chunk(self: Task, chunk_id: int) -> None:
    try:
        jobs.job_chunk_run(chunk_id=chunk_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
        jobs.job_chunk_fail(chunk_id=chunk_id, error=exc)
        raise
    except Exception as exc:
        jobs.job_chunk_fail(chunk_id=chunk_id, error=exc)
        raise


@shared_task
def recover_jobs() -> dict[str, int]:
    """The beat's reaper and re-sender of recompute work (``core.jobs.jobs_recover``)."""
    done = jobs.jobs_recover()
    if done.requeued or done.failed or done.finished or done.sent:
        logger.warning("Recompute jobs recovered: %s", vars(done))
    return vars(done)
