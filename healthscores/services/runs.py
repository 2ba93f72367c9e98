"""The recompute jobs page: reading the job rows and asking for a full recompute."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Func, IntegerField, QuerySet

from healthscores.models import RecomputeRun
from healthscores.services.recompute import recompute_request

ACTIVE_STATUSES = (RecomputeRun.Status.QUEUED, RecomputeRun.Status.RUNNING)


class JSONArrayLength(Func):
    """Length of a JSON array column, computed by the database so that a list page does
    not load a backfill's list of account IDs just to count it."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)


def recompute_runs() -> QuerySet[RecomputeRun]:
    """Every recompute, newest first, with ``accounts_named`` (how many accounts a
    partial run names) instead of the IDs themselves."""
    return (
        RecomputeRun.objects.defer("account_ids")
        .annotate(accounts_named=JSONArrayLength("account_ids"))
        .order_by("-requested_at", "-pk")
    )


def recompute_active() -> bool:
    """Whether any recompute is queued or running: the page polls while one is."""
    return RecomputeRun.objects.filter(status__in=ACTIVE_STATUSES).exists()


@dataclass(frozen=True)
class FullRunRequest:
    run: RecomputeRun
    #: False when a full run was already queued or running and that one is returned.
    queued: bool


def recompute_all_request() -> FullRunRequest:
    """Queue a recompute of every account for today, unless one is already on its way:
    a second would only stand down against the one-full-run lock."""
    with transaction.atomic():
        pending = (
            RecomputeRun.objects.filter(is_full=True, status__in=ACTIVE_STATUSES)
            .defer("account_ids")
            .first()
        )
        if pending is not None:
            return FullRunRequest(run=pending, queued=False)
        return FullRunRequest(run=recompute_request(), queued=True)
