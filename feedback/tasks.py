"""Celery entry points for feedback: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core.i18n import DeferredText
from feedback import notifications, services


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def notify_idea_event(
    idea_ids: list[int],
    event_key: str,
    title: DeferredText | str,
    body: DeferredText | str = "",
    url: str = "",
    actor_id: int | None = None,
) -> int:
    """Fan an idea event out to its people. Safe to retry: the event key dedupes."""
    return notifications.idea_event_notify(
        idea_ids=idea_ids, event_key=event_key, title=title, body=body, url=url, actor_id=actor_id
    )


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def deliver_pending_notifications() -> int:
    """Tell people of the held idea notifications that fell due (beat, every minute, and
    queued for the end of each undo window). Idempotent: see the service."""
    return services.pending_notifications_deliver()
