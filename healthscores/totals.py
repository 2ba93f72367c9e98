"""Keeping the per-day health totals (``DailyHealthTotal``) equal to the snapshots.

A day's totals are recounted from its snapshots rather than moved by deltas: a chunk of
a recompute rewrites some accounts' rows of the day, and a recount needs no knowledge of
what they held before. Chunks of one day may commit in any order on several workers, so
the recount takes a transaction-scoped lock on the day first: it then runs after any
other writer of that day has committed, and sees its rows (READ COMMITTED).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from healthscores.models import Band, DailyHealthTotal, HealthSnapshot

#: Advisory lock namespace of the daily totals ("HTOT"); the day's ordinal is the key.
TOTALS_LOCK_NAMESPACE = 0x48544F54


def scored_snapshots():
    """Snapshots holding a real score (the rows the totals count)."""
    return HealthSnapshot.objects.filter(score__isnull=False).exclude(band=Band.INSUFFICIENT)


def _lock_days(days: list[date]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite serialises writers itself.
    with connection.cursor() as cursor:
        for day in days:  # sorted: one lock order, no deadlock between two refreshes
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [TOTALS_LOCK_NAMESPACE, day.toordinal()]
            )


@transaction.atomic
def health_totals_refresh(days: Iterable[date]) -> int:
    """Recount the totals of ``days`` from their snapshots (one aggregate, one upsert);
    a day without scored snapshots is stored as zero. Idempotent."""
    wanted = sorted(set(days))
    if not wanted:
        return 0
    _lock_days(wanted)
    counted = {
        row["day"]: row
        for row in scored_snapshots()
        .filter(day__in=wanted)
        .values("day")
        .annotate(score_sum=Sum("score"), score_n=Count("score"))
        .order_by()
    }
    rows = [
        DailyHealthTotal(
            day=day,
            score_sum=float(counted.get(day, {}).get("score_sum") or 0.0),
            score_n=int(counted.get(day, {}).get("score_n") or 0),
        )
        for day in wanted
    ]
    DailyHealthTotal.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["day"], update_fields=["score_sum", "score_n"]
    )
    return len(rows)


def health_days_of_accounts(account_ids: Iterable[int]) -> list[date]:
    """The days on which ``account_ids`` hold a scored snapshot: the totals that count
    them, so the ones to recount once their snapshots are gone (an account deleted)."""
    return sorted(
        scored_snapshots()
        .filter(account_id__in=list(account_ids))
        .values_list("day", flat=True)
        .distinct()
        .order_by()
    )


def health_totals_between(ranges: list[tuple[date, date]]) -> list[dict[str, Any]]:
    """The stored totals of the days within ``ranges`` (inclusive), by day: what the
    impact report sets the affected accounts against."""
    if not ranges:
        return []
    where = Q()
    for start, end in ranges:
        where |= Q(day__range=(start, end))
    rows = (
        DailyHealthTotal.objects.filter(where, score_n__gt=0)
        .values("day", "score_sum", "score_n")
        .order_by("day")
    )
    return [dict(row) for row in rows]
