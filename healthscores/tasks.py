"""Celery entry points for health scores: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from healthscores import services


@shared_task
def recompute_health(run_id: int) -> None:
    services.recompute_run(run_id=run_id)


@shared_task
def recompute_health_all() -> None:
    """Beat's nightly entry: queue a recompute of every account."""
    services.recompute_request(account_ids=None)
