"""Health reads of the REST API: one account's health in full, and the list of accounts
with their current health. Staff only: a customer never reads health, even their own
account's, so these scope to nothing for anyone else (the endpoints also refuse them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.shortcuts import get_object_or_404

from accounts.models import Account, User
from healthscores.measures import MEASURES, measure_label, registry_order
from healthscores.models import AccountHealth, HealthSnapshot
from healthscores.services import today_utc

#: The history an account's health answer carries, ending today (UTC, like snapshots).
HISTORY_DAYS = 90


def _staff_accounts(user: User):
    if not user.is_authenticated or not user.is_staff_role:
        return Account.objects.none()
    return Account.objects.visible_to(user)


@dataclass(frozen=True)
class ScorecardRef:
    name: str
    version: int


@dataclass(frozen=True)
class CurrentHealth:
    day: date
    score: float | None
    band: str
    effective_band: str
    is_override: bool
    override_reason: str
    divergent: bool
    trend_7d: float | None
    trend_30d: float | None
    computed_at: datetime
    scorecard: ScorecardRef | None


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    unit: str
    raw: float | None
    score: float | None
    weight: float
    contribution: float | None
    missing: bool


@dataclass(frozen=True)
class HistoryPoint:
    day: date
    score: float | None
    band: str
    override_band: str


@dataclass(frozen=True)
class AccountHealthDetail:
    account: int
    current: CurrentHealth | None
    components: list[Component]
    history: list[HistoryPoint]


def components_list(components: dict[str, dict[str, Any]]) -> list[Component]:
    """A snapshot's components in the registry's order (unknown measures last, by key)."""
    rows = []
    for key in registry_order(components):
        values = components[key]
        measure = MEASURES.get(key)
        rows.append(
            Component(
                key=key,
                label=measure_label(key),
                unit=measure.unit if measure else "",
                raw=values.get("raw"),
                score=values.get("score"),
                weight=values.get("weight") or 0.0,
                contribution=values.get("contribution"),
                missing=bool(values.get("missing")),
            )
        )
    return rows


def _current(health: AccountHealth, snapshot: HealthSnapshot | None) -> CurrentHealth:
    return CurrentHealth(
        day=health.day,
        score=health.score,
        band=health.band,
        effective_band=health.effective_band,
        is_override=health.is_override,
        override_reason=snapshot.override_reason if snapshot else "",
        divergent=health.divergent,
        trend_7d=health.trend_7d,
        trend_30d=health.trend_30d,
        computed_at=health.computed_at,
        scorecard=(
            ScorecardRef(name=snapshot.scorecard.name, version=snapshot.scorecard_version)
            if snapshot
            else None
        ),
    )


def account_health_detail(*, user: User, account_id: int) -> AccountHealthDetail:
    """Current health, its measures and the last 90 days of one account: three queries.

    404 for an account the user may not see. An account not scored yet answers with no
    current health and empty lists rather than an error: it exists, it has no score yet.
    """
    account = get_object_or_404(_staff_accounts(user).select_related("health"), pk=account_id)
    health = getattr(account, "health", None)
    if health is None:
        return AccountHealthDetail(account=account.pk, current=None, components=[], history=[])
    snapshot = (
        HealthSnapshot.objects.filter(account=account, day=health.day)
        .select_related("scorecard")
        .first()
    )
    today = today_utc()
    history = [
        HistoryPoint(day=day, score=score, band=band, override_band=override_band)
        for day, score, band, override_band in HealthSnapshot.objects.filter(
            account=account, day__range=(today - timedelta(days=HISTORY_DAYS - 1), today)
        )
        .order_by("day")
        .values_list("day", "score", "band", "override_band")
    ]
    return AccountHealthDetail(
        account=account.pk,
        current=_current(health, snapshot),
        components=components_list(snapshot.components if snapshot else {}),
        history=history,
    )


def health_list(*, user: User):
    """Every account the user may see with its current health (None if not scored),
    by name; the endpoint filters and pages it."""
    return _staff_accounts(user).select_related("health", "csm_owner").order_by("name", "pk")
