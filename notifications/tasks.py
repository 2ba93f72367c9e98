"""Celery entry points for notifications: thin wrappers around services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from notifications import services


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def send_alert_emails() -> int:
    """E-mail the alerts not e-mailed yet. Each is claimed before sending, so a retry or
    two workers at once never send one twice."""
    return services.alert_emails_send()
