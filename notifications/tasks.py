"""Celery entry points for notifications: thin wrappers around services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from notifications import services


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def send_alert_emails() -> int:
    """E-mail the alerts still waiting. Each is locked while it is sent and marked sent
    only once the server accepted it, so a retry or two workers never send one twice
    and a killed worker loses none."""
    return services.alert_emails_send()


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def send_digests() -> int:
    """Send the daily digests due in their recipients' morning. Hourly, so every time
    zone gets its morning; a retry or a second run finds each person's day sent."""
    return services.digests_send()
