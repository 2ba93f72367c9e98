"""Celery entry points for TTFV: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from ttfv import services


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def recompute_ttfv(account_ids: list[int] | None = None) -> None:
    """Recompute onboardings of ``account_ids`` (default every account). Idempotent, so
    a retry after a database hiccup or a second delivery is harmless."""
    services.onboarding_recompute(account_ids=account_ids)
