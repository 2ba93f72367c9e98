"""Celery entry points for product risk: thin wrappers around services. A recompute's own
work runs in ``core.tasks`` (every kind of job alike)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from productrisk.services.flags import product_risk_recompute_request
from productrisk.services.notifications import product_risks_notify


@shared_task
def recompute_product_risk() -> int:
    """Beat's hourly entry: queue a recompute (or join the one queued); its job's id."""
    return product_risk_recompute_request().pk


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def notify_product_risks(risk_ids: list[int]) -> int:
    """Tell PMs and CSMs about these flags. Safe to retry: dedupe keys name each fact."""
    return product_risks_notify(risk_ids=risk_ids)
