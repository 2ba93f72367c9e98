"""Celery entry points for ingest: thin wrappers around services."""

import logging

from celery import shared_task

from ingest.services import imports

logger = logging.getLogger(__name__)


@shared_task
def run_import_job(job_id: int) -> None:
    imports.import_job_run(job_id=job_id)


@shared_task
def recover_imports() -> dict[str, int]:
    """The beat's reaper and re-sender of imports (``imports.imports_recover``)."""
    done = imports.imports_recover()
    if done.requeued or done.failed or done.sent:
        logger.warning("Import jobs recovered: %s", vars(done))
    return vars(done)


@shared_task
def sweep_import_uploads() -> int:
    return imports.import_uploads_sweep()
