"""Celery entry points for TTFV: thin wrappers around services. A recompute's own work
runs in ``core.tasks`` (every kind of job alike)."""

from __future__ import annotations

from celery import shared_task

from ttfv import services


@shared_task
def recompute_ttfv(account_ids: list[int] | None = None) -> None:
    """Beat's nightly entry (every account): queue an onboarding recompute."""
    services.onboarding_recompute_request(account_ids=account_ids)
