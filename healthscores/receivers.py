"""Subscriptions to what ``accounts`` announces or does; each one only calls our own
services. ``accounts`` cannot import healthscores, so these are the inverted dependency,
never a place for business logic."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import Account
from core.jobs import NO_CAUSE, JobCause
from healthscores import services
from healthscores.totals import health_days_of_accounts, health_totals_refresh

#: Attribute under which ``days_before_account_delete`` leaves the days for the recount.
_DAYS_ATTRIBUTE = "_healthscores_total_days"


def recompute_after_data_change(
    sender, account_ids: list[int], cause: JobCause = NO_CAUSE, **kwargs
) -> None:
    services.recompute_request(account_ids=account_ids, cause=cause)


def days_before_account_delete(sender, instance: Account, **kwargs: Any) -> None:
    """Note the days the account's snapshots count in, while they still exist: the
    delete cascades to them, and afterwards nothing says which days they were in."""
    setattr(instance, _DAYS_ATTRIBUTE, health_days_of_accounts([instance.pk]))


def recount_after_account_delete(sender, instance: Account, **kwargs: Any) -> None:
    """Recount the noted days once the cascade has removed the snapshots.

    Django sends ``post_delete`` inside the delete's transaction, after the dependent
    rows are gone, so the totals change with the delete or not at all: an erased
    account never lingers in the impact report's baseline.
    """
    days = getattr(instance, _DAYS_ATTRIBUTE, None)
    if days:
        with transaction.atomic():
            health_totals_refresh(days)
