"""Celery entry points for product risk: thin wrappers around services."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

from productrisk.services.flags import PENDING_KEY, product_risk_recompute
from productrisk.services.notifications import product_risks_notify


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def recompute_product_risk(today: str | None = None) -> dict[str, int]:
    """Recompute every product-risk flag (hourly, and debounced after votes and ingests).

    Idempotent, so a retry after a lost connection is safe. The debounce key is cleared
    first: whatever changes while this run reads queues the next run.
    """
    cache.delete(PENDING_KEY)
    day = date.fromisoformat(today) if today else None
    return product_risk_recompute(today=day).as_dict()


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def notify_product_risks(risk_ids: list[int]) -> int:
    """Tell PMs and CSMs about these flags. Safe to retry: dedupe keys name each fact."""
    return product_risks_notify(risk_ids=risk_ids)
