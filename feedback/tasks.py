"""Celery entry points for feedback: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from feedback import notifications


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def notify_idea_event(
    idea_ids: list[int],
    event_key: str,
    title: str,
    body: str = "",
    url: str = "",
    actor_id: int | None = None,
) -> int:
    """Fan an idea event out to its people. Safe to retry: the event key dedupes."""
    return notifications.idea_event_notify(
        idea_ids=idea_ids, event_key=event_key, title=title, body=body, url=url, actor_id=actor_id
    )
