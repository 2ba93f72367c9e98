"""The health section of the Customer 360 page, read in five queries whatever the history.

1. the account's current health (AccountHealth);
2. its snapshots: the chart's 90 days plus the latest day, 7 and 30 days before it and
   the pair of days the CSM picked (one query with the scorecard joined), or the
   account's scorecard when it has none;
3. the last sentiments with their authors;
4. the override in force today with its author;
5. the scorecard versions the compared snapshots were computed with (one query, two
   when a version was never recorded), for "why it changed".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from healthscores import band_summary, charts, explain
from healthscores.engine import TREND_DAYS
from healthscores.measures import MEASURES, measure_label, registry_order
from healthscores.models import (
    AccountHealth,
    Band,
    HealthOverride,
    HealthSnapshot,
    Scorecard,
    Sentiment,
)
from healthscores.scoring import MAX_MISSING_WEIGHT
from healthscores.selectors.why import WhyChanged, snapshot_configs, why_changed
from healthscores.services.recompute import today_utc

HISTORY_DAYS = 90
SENTIMENTS_SHOWN = 5


@dataclass(frozen=True)
class Trend:
    days: int
    then: float | None
    #: Score now minus score then; None without a snapshot then.
    delta: float | None

    @property
    def direction(self) -> str:
        if self.delta is None:
            return ""
        shown = round(self.delta, 1)  # the arrow agrees with the number beside it
        return "up" if shown > 0 else "down" if shown < 0 else "flat"

    @property
    def delta_display(self) -> str:
        return "" if self.delta is None else explain.signed(self.delta)


@dataclass(frozen=True)
class MeasureRow:
    key: str
    label: str
    description: str
    raw: str
    score: float | None
    #: Share (0-1) of the weight after missing measures were left out.
    weight: float
    contribution: float
    missing: bool

    @property
    def weight_percent(self) -> float:
        return self.weight * 100


@dataclass(frozen=True)
class Comparison:
    #: Days back from the latest snapshot; None for a pair of days the CSM picked.
    days: int | None
    why: WhyChanged


@dataclass(frozen=True)
class HealthPanel:
    account: Account
    scorecard: Scorecard
    health: AccountHealth | None
    snapshot: HealthSnapshot | None
    trends: list[Trend]
    measures: list[MeasureRow]
    #: 7 and 30 days back from the latest snapshot.
    comparisons: list[Comparison]
    #: The pair of days the CSM picked, when one was asked for.
    picked: Comparison | None
    #: Why the account is in its band, in one sentence; empty without a snapshot.
    summary: str
    figure: dict[str, Any] | None
    has_history: bool
    sentiments: list[Sentiment]
    sentiment_stale: bool
    override: HealthOverride | None
    #: Sentence explaining the divergence flag; empty when there is none.
    divergence: str

    @property
    def latest_sentiment(self) -> Sentiment | None:
        return self.sentiments[0] if self.sentiments else None

    @property
    def missing_percent(self) -> float:
        return self.snapshot.missing_weight * 100 if self.snapshot else 0.0

    @property
    def has_missing(self) -> bool:
        return any(row.missing for row in self.measures)

    @property
    def insufficient(self) -> bool:
        return bool(self.snapshot and self.snapshot.missing_weight > MAX_MISSING_WEIGHT)


def scorecard_for(account: Account) -> Scorecard:
    """The scorecard of the account's segment, else the default one (one query)."""
    candidates = list(Scorecard.objects.filter(segment__in={account.segment, ""}))
    return next((s for s in candidates if s.segment), None) or next(
        s for s in candidates if s.is_default
    )


def _measure_rows(components: dict[str, dict[str, Any]]) -> list[MeasureRow]:
    rows = []
    for key in registry_order(components):
        component = components[key]
        measure = MEASURES.get(key)
        missing = bool(component.get("missing"))
        rows.append(
            MeasureRow(
                key=key,
                label=measure_label(key),
                description=str(measure.description) if measure else "",
                raw=explain.format_raw(
                    measure.unit if measure else "", None if missing else component.get("raw")
                ),
                score=None if missing else component.get("score"),
                weight=float(component.get("weight") or 0),
                contribution=float(component.get("contribution") or 0),
                missing=missing,
            )
        )
    return rows


def _divergence(health: AccountHealth | None) -> str:
    if health is None or not health.divergent:
        return ""
    if health.band == Band.RED:
        return _("CSM sentiment is green but the data says red.")
    return _("CSM sentiment is red but the data says green.")


def active_override(*, account: Account, day: date) -> HealthOverride | None:
    """The newest override in force on ``day``, like the engine chooses it."""
    return (
        HealthOverride.objects.filter(account=account, starts_on__lte=day, expires_on__gte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("set_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def account_health_panel(
    *, account: Account, compare: tuple[date, date] | None = None
) -> HealthPanel:
    """Everything the health section of the account page shows, in five or six queries
    whatever the history; ``compare`` adds "why it changed" between two chosen days."""
    today = today_utc()
    start = today - timedelta(days=HISTORY_DAYS - 1)
    health = AccountHealth.objects.filter(account=account).first()
    snapshots: dict[date, HealthSnapshot] = {}
    if health is not None:
        compared = [*(health.day - timedelta(days=n) for n in TREND_DAYS), *(compare or ())]
        snapshots = {
            s.day: s
            for s in HealthSnapshot.objects.filter(account=account)
            .filter(Q(day__range=(start, today)) | Q(day__in=[health.day, *compared]))
            .select_related("scorecard")
        }
    snapshot = snapshots.get(health.day) if health is not None else None
    scorecard = snapshot.scorecard if snapshot is not None else scorecard_for(account)
    sentiments = list(
        Sentiment.objects.filter(account=account).select_related("set_by")[:SENTIMENTS_SHOWN]
    )
    stale_before = timezone.now() - timedelta(days=scorecard.sentiment_stale_days)

    trends, comparisons, measures = [], [], []
    picked = None
    figure = None
    if snapshot is not None:
        then_scores = {7: health.score_7d_ago, 30: health.score_30d_ago}
        for n in TREND_DAYS:
            then = then_scores.get(n)
            delta = None if then is None or health.score is None else health.score - then
            trends.append(Trend(days=n, then=then, delta=delta))
        back = {n: snapshot.day - timedelta(days=n) for n in TREND_DAYS}
        days = {snapshot.day, *back.values(), *(compare or ())}
        configs = snapshot_configs(snapshots[day] for day in days if day in snapshots)

        def why_between(then_day: date, now_day: date) -> WhyChanged:
            return why_changed(
                then_day=then_day, now_day=now_day, snapshots=snapshots, configs=configs
            )

        comparisons = [
            Comparison(days=n, why=why_between(back[n], snapshot.day)) for n in TREND_DAYS
        ]
        if compare is not None:
            picked = Comparison(days=None, why=why_between(*compare))
        measures = _measure_rows(snapshot.components)
        points = [
            charts.HistoryPoint(s.day, s.score, s.band, s.override_band, s.override_reason)
            for s in sorted(snapshots.values(), key=lambda s: s.day)
            if s.day >= start
        ]
        figure = json.loads(
            charts.score_history_figure(
                points,
                start=start,
                end=today,
                red_below=scorecard.red_below,
                green_from=scorecard.green_from,
            ).to_json()
        )
    return HealthPanel(
        account=account,
        scorecard=scorecard,
        health=health,
        snapshot=snapshot,
        trends=trends,
        measures=measures,
        comparisons=comparisons,
        picked=picked,
        summary=band_summary.summary(str(snapshot.get_band_display()), snapshot.components)
        if snapshot is not None
        else "",
        figure=figure,
        has_history=any(s.day >= start for s in snapshots.values()),
        sentiments=sentiments,
        sentiment_stale=bool(sentiments) and sentiments[0].set_at <= stale_before,
        override=active_override(account=account, day=today),
        divergence=_divergence(health),
    )


def picked_comparison(*, account: Account, then_day: date, now_day: date) -> Comparison:
    """Why the score changed between two days the CSM picked, on its own (two or three
    queries): what the picker's htmx request needs, without the rest of the section."""
    snapshots = {
        s.day: s
        for s in HealthSnapshot.objects.filter(
            account=account, day__in=[then_day, now_day]
        ).select_related("scorecard")
    }
    why = why_changed(
        then_day=then_day,
        now_day=now_day,
        snapshots=snapshots,
        configs=snapshot_configs(snapshots.values()),
    )
    return Comparison(days=None, why=why)
