"""Celery entry points for accounts: thin wrappers around services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from accounts import alerts, imports


@shared_task
def run_import_job(job_id: int) -> None:
    imports.import_job_run(job_id=job_id)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def send_alert_emails() -> int:
    """E-mail the alerts not e-mailed yet. Each is claimed before sending, so a retry or
    two workers at once never send one twice."""
    return alerts.alert_emails_send()
