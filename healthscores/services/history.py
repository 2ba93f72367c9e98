"""Past days of health written from raw measure values instead of recomputed from
events: a history that was measured elsewhere (or laid out by the demo), scored by the
same rules and scorecards as the engine's own days."""

from __future__ import annotations

import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Account
from core.sql import upsert
from healthscores import engine
from healthscores.models import HealthSnapshot
from healthscores.scoring import components_json, score_accounts
from healthscores.totals import health_totals_refresh

#: Columns of the input besides one per measure kind.
KEYS = ("account_id", "day")


@transaction.atomic
def history_write(raw: pd.DataFrame) -> int:
    """Upsert one snapshot per row of ``raw`` (``account_id``, ``day`` and a column of
    raw values per measure kind, NaN for no data), each account scored by the scorecard
    of its segment as saved now, and recount those days' totals. One COPY for all the
    rows: a year of a book costs what a day's recompute does, not a recompute per day.
    Current health is left alone (these are past days). Returns the rows written."""
    if raw.empty:
        return 0
    raw = raw.reset_index(drop=True)
    scorecards = engine.load_scorecards()
    segments = dict(
        Account.objects.filter(pk__in=raw["account_id"].unique().tolist()).values_list(
            "pk", "segment"
        )
    )
    scorecard_ids = scorecards.of_segments(raw["account_id"].map(segments))
    kinds = [column for column in raw.columns if column not in KEYS]
    scored = score_accounts(raw[kinds], scorecard_ids, scorecards.configs)
    versions = {pk: config.version for pk, config in scorecards.configs.items()}
    days = pd.to_datetime(raw["day"]).dt.date
    snapshots = pd.DataFrame(
        {
            "account_id": raw["account_id"].astype("int64"),
            "day": days.map(connection.ops.adapt_datefield_value).astype(str),
            "score": scored.summary["score"],
            "band": scored.summary["band"],
            "components": components_json(scored.components).reindex(raw.index).fillna("{}"),
            "missing_weight": scored.summary["missing_weight"].astype("float64"),
            "override_band": "",
            "override_reason": "",
            "divergent": False,
            "scorecard_id": scorecard_ids.astype("int64"),
            "scorecard_version": scorecard_ids.map(versions).astype("int64"),
            "computed_at": str(connection.ops.adapt_datetimefield_value(timezone.now())),
        }
    )
    upsert(HealthSnapshot, snapshots, conflict=("account_id", "day"))
    health_totals_refresh(days.unique().tolist())
    return len(snapshots)
