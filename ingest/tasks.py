"""Celery entry points for ingest: thin wrappers around services."""

from celery import shared_task

from ingest.services import imports


@shared_task
def run_import_job(job_id: int) -> None:
    imports.import_job_run(job_id=job_id)
