"""Celery entry points for health scores: thin wrappers around services. A recompute's
own work runs in ``core.tasks`` (every kind of job alike)."""

from __future__ import annotations

from celery import shared_task

from core import jobs
from healthscores import services


@shared_task
def recompute_health_all() -> None:
    """Beat's nightly entry: queue a recompute of every account."""
    services.recompute_request(account_ids=None, cause=jobs.cause_scheduled())
