"""Writes for health scores: requesting and running recomputes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from healthscores.models import RecomputeRun


def recompute_request(*, account_ids: Iterable[int] | None = None) -> RecomputeRun:
    """Record a recompute and queue it once the row (and the caller's data) is committed.

    ``account_ids=None`` means every account (the nightly run).
    """
    from healthscores.tasks import recompute_health

    run = RecomputeRun.objects.create(account_ids=sorted(set(account_ids or [])))
    transaction.on_commit(lambda: recompute_health.delay(run.pk))
    return run


def recompute_run(*, run_id: int) -> RecomputeRun | None:
    """Run a queued recompute. Returns None when another worker claimed it or it is gone.

    The conditional update is the claim: a task delivered twice (acks_late, a retry)
    finds the row no longer queued and does nothing.
    """
    claimed = RecomputeRun.objects.filter(pk=run_id, status=RecomputeRun.Status.QUEUED).update(
        status=RecomputeRun.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = RecomputeRun.objects.get(pk=run_id)
    try:
        accounts = Account.objects.all()
        if run.account_ids:
            accounts = accounts.filter(pk__in=run.account_ids)
        # The scoring engine replaces this count; the job row and its claim stay.
        run.accounts_processed = accounts.count()
        run.status = RecomputeRun.Status.SUCCEEDED
    except Exception as exc:
        run.status = RecomputeRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["accounts_processed", "status", "error", "finished_at"])
    return run
