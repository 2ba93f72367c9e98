"""The recompute engine for one chunk of accounts and one day.

Reads the scorecards and the accounts of the chunk, loads each needed raw-value family
with one SQL aggregate, scores everything at once (``scoring``), then writes snapshots,
the accounts' current health and alerts for band drops in bulk. The orchestration
(job rows, chunks, Celery) lives in ``services``; this module knows nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from core import i18n
from core.jobs import NO_CAUSE, JobCause
from core.sql import upsert
from healthscores.measures import FAMILIES, MEASURES
from healthscores.models import (
    AccountHealth,
    Band,
    HealthOverride,
    HealthSnapshot,
    Scorecard,
    ScorecardMeasure,
)
from healthscores.models.snapshots import BAND_ORDER
from healthscores.raw_values import RawContext
from healthscores.scoring import (
    MeasureConfig,
    ScorecardConfig,
    Scored,
    components_json,
    score_accounts,
)
from healthscores.totals import health_totals_refresh
from notifications.models import Alert
from notifications.services.alerts import AlertDraft, alerts_raise

ALERT_KIND_BAND_DROP = "health.band_drop"
TREND_DAYS = (7, 30)
#: How far back "the previous snapshot" is looked for when deciding a band drop.
PREVIOUS_SNAPSHOT_DAYS = 7
#: Up to this many rows an upsert is one INSERT with parameters; more go through COPY.


@dataclass(frozen=True)
class Scope:
    """Which accounts a recompute covers: an explicit list, or an ID range (full runs)."""

    ids: tuple[int, ...] | None = None
    first_id: int | None = None
    last_id: int | None = None

    def q(self, field_name: str = "account_id") -> Q:
        if self.ids is not None:
            return Q(**{f"{field_name}__in": self.ids})
        # Not __range: foreign keys only take the comparison lookups.
        return Q(**{f"{field_name}__gte": self.first_id, f"{field_name}__lte": self.last_id})


@dataclass(frozen=True)
class Scorecards:
    configs: dict[int, ScorecardConfig]
    by_segment: dict[str, int]
    default_id: int
    names: dict[int, str] = field(default_factory=dict)

    def of_segments(self, segments: pd.Series) -> pd.Series:
        return segments.map(self.by_segment).fillna(self.default_id).astype("int64")


def config_of(scorecard: Scorecard, measures: Iterable) -> ScorecardConfig:
    return ScorecardConfig(
        id=scorecard.pk,
        version=scorecard.version,
        red_below=scorecard.red_below,
        green_from=scorecard.green_from,
        measures=tuple(
            MeasureConfig(kind=m.kind, weight=m.weight, points=tuple(tuple(p) for p in m.points))
            for m in measures
            if m.kind in MEASURES
        ),
        key_events=tuple(scorecard.key_events or ()),
        sentiment_stale_days=scorecard.sentiment_stale_days,
    )


def default_scorecard_ensure() -> Scorecard:
    """The default scorecard, created from the registry's defaults if it is missing.

    A migration creates it, but a database flushed by a test run or a hand-deleted row
    must not stop every recompute.
    """
    scorecard, created = Scorecard.objects.get_or_create(segment="", defaults={"name": "Default"})
    if created:
        ScorecardMeasure.objects.bulk_create(
            ScorecardMeasure(
                scorecard=scorecard,
                kind=m.key,
                weight=m.weight,
                direction=m.direction,
                points=[list(p) for p in m.points],
                position=position,
            )
            for position, m in enumerate(MEASURES.values())
        )
    return scorecard


def load_scorecards() -> Scorecards:
    """Every scorecard with its measures, two queries (three the first time ever)."""
    scorecards = list(Scorecard.objects.prefetch_related("measures"))
    if not any(s.is_default for s in scorecards):
        default_scorecard_ensure()
        scorecards = list(Scorecard.objects.prefetch_related("measures"))
    configs = {s.pk: config_of(s, s.measures.all()) for s in scorecards}
    default = next(s for s in scorecards if s.is_default)
    return Scorecards(
        configs=configs,
        by_segment={s.segment: s.pk for s in scorecards if not s.is_default},
        default_id=default.pk,
        names={s.pk: s.name for s in scorecards},
    )


def account_frame(scope: Scope, scorecards: Scorecards) -> pd.DataFrame:
    rows = (
        Account.objects.filter(scope.q("pk"))
        .order_by("pk")
        .values_list("pk", "name", "segment", "licensed_seats", "csm_owner_id")
    )
    accounts = pd.DataFrame.from_records(
        list(rows), columns=["account_id", "name", "segment", "licensed_seats", "csm_owner_id"]
    ).set_index("account_id")
    accounts["scorecard_id"] = scorecards.of_segments(accounts["segment"])
    return accounts


def raw_values(ctx: RawContext) -> pd.DataFrame:
    """Every raw value the scorecards of the chunk need, one query per family."""
    kinds = {m.kind for c in ctx.scorecards.values() for m in c.measures}
    # Sentiment is read even when no scorecard weighs it: the divergence flag needs it.
    kinds.add("sentiment")
    families = sorted({MEASURES[kind].family for kind in kinds if kind in MEASURES})
    frames = [FAMILIES[name].load(ctx) for name in families]
    raw = pd.DataFrame(index=ctx.accounts.index)
    for loaded in frames:
        raw = raw.join(loaded, how="left")
    return raw


@dataclass(frozen=True)
class Evaluation:
    day: date
    accounts: pd.DataFrame
    raw: pd.DataFrame
    scored: Scored


def evaluate(scope: Scope, day: date, scorecards: Scorecards) -> Evaluation:
    """Score the accounts of ``scope`` for ``day`` without writing anything (the
    scorecard editor's preview uses this with a draft configuration)."""
    accounts = account_frame(scope, scorecards)
    ctx = RawContext(accounts=accounts, day=day, scope=scope.q(), scorecards=scorecards.configs)
    raw = raw_values(ctx)
    scored = score_accounts(raw, accounts["scorecard_id"], scorecards.configs)
    return Evaluation(day=day, accounts=accounts, raw=raw, scored=scored)


def overrides_in_force(scope: Scope, day: date) -> pd.DataFrame:
    """The newest override covering ``day`` per account: band and reason."""
    rows = (
        HealthOverride.objects.filter(scope.q(), starts_on__lte=day, expires_on__gte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .order_by("account_id", "-created_at", "-pk")
        .values_list("account_id", "band", "reason")
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["account_id", "band", "reason"])
    return frame.drop_duplicates("account_id").set_index("account_id")


def history(scope: Scope, day: date) -> pd.DataFrame:
    """Snapshots the trend and drop detection compare with: 7 and 30 days before, and
    the day itself and the week before it (for the previous band)."""
    days = {day - timedelta(days=n) for n in TREND_DAYS}
    days.update(day - timedelta(days=n) for n in range(0, PREVIOUS_SNAPSHOT_DAYS + 1))
    # A list of days, not a range OR'ed with them: the (account, day) index then reads
    # these days of each account, instead of its whole history (100,000 rows a day).
    rows = HealthSnapshot.objects.filter(scope.q(), day__in=sorted(days)).values_list(
        "account_id", "day", "score", "band"
    )
    return pd.DataFrame.from_records(list(rows), columns=["account_id", "day", "score", "band"])


def health_frame(evaluation: Evaluation, scope: Scope) -> pd.DataFrame:
    """The scored summary plus overrides, divergence, trends and the previous band."""
    day = evaluation.day
    health = evaluation.scored.summary.copy()
    overrides = overrides_in_force(scope, day).reindex(health.index)
    health["override_band"] = overrides["band"].fillna("")
    health["override_reason"] = overrides["reason"].fillna("")
    sentiment = evaluation.raw.get("sentiment", pd.Series(np.nan, index=health.index))
    health["divergent"] = ((sentiment == 2) & (health["band"] == Band.RED)) | (
        (sentiment == 0) & (health["band"] == Band.GREEN)
    )
    past = history(scope, day)
    for n in TREND_DAYS:
        then = past[past["day"] == day - timedelta(days=n)].set_index("account_id")["score"]
        health[f"score_{n}d_ago"] = then.reindex(health.index)
    # The band last stored: today's, when the day was already scored (so a second run of
    # the day, after a sentiment its author was spared an alert about, is no new drop),
    # else the latest of the week before.
    before = past[past["day"] <= day].sort_values("day").drop_duplicates("account_id", keep="last")
    health["previous_band"] = before.set_index("account_id")["band"].reindex(health.index)
    return health


def write(
    evaluation: Evaluation,
    scope: Scope,
    scorecards: Scorecards,
    *,
    raise_alerts: bool,
    cause: JobCause = NO_CAUSE,
) -> int:
    """Upsert the day's snapshots and, where the day is the newest, current health."""
    day = evaluation.day
    health = health_frame(evaluation, scope)
    accounts = evaluation.accounts
    versions = pd.Series({pk: c.version for pk, c in scorecards.configs.items()}, dtype="int64")
    scorecard_ids = accounts["scorecard_id"].reindex(health.index)
    computed_at = str(connection.ops.adapt_datetimefield_value(timezone.now()))
    on_day = str(connection.ops.adapt_datefield_value(day))
    components = components_json(evaluation.scored.components).reindex(health.index)
    snapshots = pd.DataFrame(
        {
            "account_id": health.index.astype("int64"),
            "day": on_day,
            "score": health["score"],
            "band": health["band"],
            "components": components.fillna("{}"),
            "missing_weight": health["missing_weight"].astype("float64"),
            "override_band": health["override_band"],
            "override_reason": health["override_reason"],
            "divergent": health["divergent"].astype(bool),
            "scorecard_id": scorecard_ids.astype("int64"),
            "scorecard_version": scorecard_ids.map(versions).astype("int64"),
            "computed_at": computed_at,
        }
    )
    current = pd.DataFrame(
        {
            "account_id": health.index.astype("int64"),
            "day": on_day,
            "score": health["score"],
            "band": health["band"],
            "effective_band": health["override_band"].where(
                health["override_band"] != "", health["band"]
            ),
            "is_override": health["override_band"] != "",
            "score_7d_ago": health["score_7d_ago"].astype("float64"),
            "score_30d_ago": health["score_30d_ago"].astype("float64"),
            "divergent": health["divergent"].astype(bool),
            "computed_at": computed_at,
        }
    )
    with transaction.atomic():
        upsert(HealthSnapshot, snapshots, conflict=("account_id", "day"))
        health_totals_refresh([day])
        # Current health moves forward only: a backfill of a past day leaves it alone.
        table = connection.ops.quote_name(AccountHealth._meta.db_table)
        upsert(
            AccountHealth, current, conflict=("account_id",), only_if=f"{table}.day <= EXCLUDED.day"
        )
        if raise_alerts:
            _raise_band_drops(health, accounts, day, cause)
    return len(snapshots)


def band_drops(previous: pd.Series, current: pd.Series) -> pd.Series:
    """True where the computed band got worse: green→yellow, yellow→red, green→red.

    Moves into or out of "insufficient data" are not drops: missing data is not news
    about the customer.
    """
    rank = {band: index for index, band in enumerate(BAND_ORDER)}
    before = previous.map(rank)
    after = current.map(rank)
    return (before.notna() & after.notna() & (after > before)).astype(bool)


def _raise_band_drops(
    health: pd.DataFrame, accounts: pd.DataFrame, day: date, cause: JobCause = NO_CAUSE
) -> None:
    """Alert each dropped account's CSM, saying what caused the recompute; never the
    person whose own action it was (they just did it, and are looking at the page)."""
    drops = health[band_drops(health["previous_band"], health["band"])]
    owners = accounts["csm_owner_id"].reindex(drops.index)
    keep = owners.notna()
    if cause.actor_id is not None:
        keep &= owners != cause.actor_id
    drops = drops[keep]
    alerts_raise(
        AlertDraft(
            kind=ALERT_KIND_BAND_DROP,
            severity=Alert.Severity.CRITICAL if row.band == Band.RED else Alert.Severity.WARNING,
            recipient_id=int(owners[account_id]),
            account_id=int(account_id),
            title=i18n.deferred(
                "%(account)s dropped from %(before)s to %(after)s",
                account=accounts.at[account_id, "name"],
                before=i18n.deferred_label(Band(row.previous_band).label),
                after=i18n.deferred_label(Band(row.band).label),
            ),
            body=i18n.deferred_join(
                " ",
                i18n.deferred(
                    "Health score %(score)s on %(day)s.",
                    score=i18n.deferred_value("score", row.score),
                    day=i18n.deferred_value("day", day),
                ),
                cause.text,
            ),
            url=reverse("accounts:detail", args=[int(account_id)]) + "#health",
            # One alert per account, day and band reached: recomputing the same day
            # again finds the key taken.
            dedupe_key=f"{ALERT_KIND_BAND_DROP}:{int(account_id)}:{day.isoformat()}:{row.band}",
        )
        for account_id, row in drops.iterrows()
    )


def recompute_scope(
    scope: Scope,
    day: date,
    *,
    raise_alerts: bool = True,
    scorecards: Scorecards | None = None,
    cause: JobCause = NO_CAUSE,
) -> int:
    """Recompute and store the health of ``scope`` for ``day``; returns accounts written."""
    scorecards = scorecards or load_scorecards()
    evaluation = evaluate(scope, day, scorecards)
    if evaluation.accounts.empty:
        return 0
    return write(evaluation, scope, scorecards, raise_alerts=raise_alerts, cause=cause)
