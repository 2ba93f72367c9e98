"""The scorecard report's read: each renewal outcome of a period beside the snapshot its
account had ``horizon`` days before, scored by ``healthscores.backtest``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd
from django.db.models import Count, F, FilteredRelation, Max, Q
from django.db.models.fields.json import KeyTextTransform, KeyTransform

from accounts.models import RenewalOutcome
from core.cache import cache_get, cache_set
from core.jobs import today_utc
from core.sql import read_frame
from healthscores.backtest import (
    DEFAULT_HORIZON,
    MEASURE_PREFIX,
    RAW_PREFIX,
    ROW_COLUMNS,
    Backtest,
    backtest,
    empty_rows,
    replay,
)
from healthscores.measures import MEASURES
from healthscores.models import AccountHealth
from healthscores.scoring import ScorecardConfig
from healthscores.suggest import suggest_weights

#: Long enough that flipping between horizons and periods reads the cache; the key
#: changes whenever an outcome is recorded or a recompute writes health, so a stale
#: report is at most this old only if snapshots of the past were rewritten in place.
CACHE_SECONDS = 600


def backtest_rows(
    *,
    start: date,
    end: date,
    horizon: int,
    account_ids: tuple[int, ...] | None = None,
    scorecard_id: int | None = None,
) -> pd.DataFrame:
    """One row per outcome renewed in [start, end] whose account had a snapshot exactly
    ``horizon`` days before; the measure scores of that snapshot as "m:<key>" columns
    and their raw values as "r:<key>", for every measure some row has.
    ``account_ids`` and ``scorecard_id`` narrow it to those accounts, and to snapshots
    that scorecard scored (a replay's chunk).

    The band is the computed one, not an override: the report judges the scorecard, and
    an override is a person's judgement laid over it. One query, one join: each
    outcome probes the (account, day) unique index of the snapshots once.

    The database takes the measures out of each snapshot's ``components`` (one text
    field per measure and value) and the rows travel as CSV (``core.sql.read_frame``,
    COPY on PostgreSQL) into pandas, which parses them in C: decoding 20,000 JSON
    documents into Python dicts and walking them row by row took three quarters of the
    report's first load.
    """
    rows = (
        RenewalOutcome.objects.filter(renewed_on__gte=start, renewed_on__lte=end)
        .annotate(
            snapshot_then=FilteredRelation(
                "account__health_snapshots",
                condition=Q(
                    account__health_snapshots__day=F("renewed_on") - timedelta(days=horizon)
                ),
            )
        )
        .filter(snapshot_then__isnull=False)
        .order_by()  # pandas does not care, and the model's ordering costs a sort
    )
    if account_ids is not None:
        rows = rows.filter(account_id__in=account_ids)
    if scorecard_id is not None:
        rows = rows.filter(snapshot_then__scorecard_id=scorecard_id)
    keys = sorted(MEASURES)
    extracted = {
        f"{prefix}{key}": KeyTextTransform(field, KeyTransform(key, "snapshot_then__components"))
        for key in keys
        for prefix, field in ((MEASURE_PREFIX, "score"), (RAW_PREFIX, "raw"))
    }
    values = rows.annotate(**extracted).values_list(
        "account_id",
        "account__name",
        "renewed_on",
        "outcome",
        "snapshot_then__band",
        "snapshot_then__score",
        "snapshot_then__scorecard_id",
        *extracted,
    )
    sql, params = values.query.sql_with_params()
    frame = read_frame(sql, params, [*ROW_COLUMNS, *extracted])
    if frame.empty:
        return empty_rows()
    frame["account_name"] = frame["account_name"].fillna("").astype(str)
    frame["renewed_on"] = pd.to_datetime(frame["renewed_on"]).dt.date
    # Floats throughout: CSV gives whole numbers back as integers, and a replay writes
    # fractional scores into these columns.
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype("float64")
    measures = frame[list(extracted)].apply(pd.to_numeric, errors="coerce").astype("float64")
    # A measure no snapshot of these rows has is not a column, as before.
    measures = measures.loc[:, measures.notna().any()]
    return pd.concat([frame[list(ROW_COLUMNS)], measures], axis=1)


def backtest_data_version() -> str:
    """What the report depends on, in two cheap aggregates: the outcomes (count and
    latest edit) and the latest recompute of health."""
    outcomes = RenewalOutcome.objects.aggregate(n=Count("pk"), at=Max("recorded_at"))
    computed = AccountHealth.objects.aggregate(at=Max("computed_at"))["at"]
    state = f"{outcomes['n']}:{outcomes['at']}:{computed}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def scorecard_backtest(*, start: date, end: date, horizon: int) -> Backtest:
    """The backtest of the period, from the cache when nothing it reads has changed."""
    key = f"healthscores:backtest:{start}:{end}:{horizon}:{backtest_data_version()}"
    cached = cache_get(key)
    if isinstance(cached, Backtest):
        return cached
    rows = backtest_rows(start=start, end=end, horizon=horizon)
    report = replace(backtest(rows), suggestion=suggest_weights(rows))
    cache_set(key, report, CACHE_SECONDS)
    return report


def miss_rows(frame: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    """The listed misses as plain records, NaN scores as None."""
    shown = frame if limit is None else frame.head(limit)
    labels = dict(RenewalOutcome.Outcome.choices)
    records: list[dict[str, Any]] = [
        {str(key): value for key, value in record.items()}
        for record in shown.astype(object).where(shown.notna(), None).to_dict("records")
    ]
    for record in records:
        record["outcome_label"] = labels.get(record["outcome"], record["outcome"])
    return records


@dataclass(frozen=True)
class DraftBacktest:
    """The backtest of a scorecard's own renewals as saved and as a draft would score
    them, over the same outcomes."""

    current: Backtest
    draft: Backtest
    start: date
    end: date
    horizon: int


def draft_backtest(
    *, config: ScorecardConfig, horizon: int = DEFAULT_HORIZON, days: int = 365
) -> DraftBacktest:
    """Replay ``config`` (a draft) over the last ``days`` of renewals its scorecard
    scored, from the raw values stored in the snapshots."""
    end = today_utc()
    start = end - timedelta(days=days)
    rows = backtest_rows(start=start, end=end, horizon=horizon)
    rows = rows[rows["scorecard_id"].eq(config.id).to_numpy()]
    return DraftBacktest(
        current=backtest(rows),
        draft=backtest(replay(rows, config)),
        start=start,
        end=end,
        horizon=horizon,
    )
