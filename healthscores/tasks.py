"""Celery entry points for health scores: thin wrappers around services."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError

from healthscores import services

#: Database hiccups worth another try: a dropped connection, a deadlock, a failover.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@shared_task
def recompute_health(
    account_ids: list[int] | None = None, day: str | None = None, run_id: int | None = None
) -> None:
    """Recompute the health of ``account_ids`` (default: every account) for ``day``
    (ISO date, default: today UTC). Callers that already recorded a run pass its id."""
    if run_id is None:
        run_id = services.recompute_create(
            account_ids=account_ids, day=date.fromisoformat(day) if day else None
        ).pk
    services.recompute_run(run_id=run_id)


@shared_task(bind=True, max_retries=3)
def recompute_health_chunk(self, chunk_id: int) -> None:
    try:
        services.recompute_chunk(chunk_id=chunk_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
        services.recompute_chunk_fail(chunk_id=chunk_id, error=exc)
        raise
    except Exception as exc:
        services.recompute_chunk_fail(chunk_id=chunk_id, error=exc)
        raise


@shared_task
def recompute_health_all() -> None:
    """Beat's nightly entry: queue a recompute of every account."""
    services.recompute_request(account_ids=None)
