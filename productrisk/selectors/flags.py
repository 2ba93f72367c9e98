"""Reads of the product-risk pages: the PM dashboard, a flag with its evidence, a CSM's
blocked accounts, the Customer 360 panel and the impact of shipping.

Every function runs a fixed number of queries whatever the number of flags or accounts
(the pages assert it): counts and sums come from SQL aggregates, related rows from
``select_related`` or one query grouped in Python by the page's own rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from feedback.extensions import DemandAsOf
from feedback.models import Idea
from healthscores.selectors import health_totals_between, scored_snapshots
from productrisk import charts, impact
from productrisk.models import ProductRisk, ProductRiskAccount, RiskRule
from productrisk.services.flags import RULE_PK

Status = ProductRisk.Status
Severity = ProductRisk.Severity
ACTIVE = tuple(ProductRisk.ACTIVE_STATUSES)


def _rank_of(field_name: str) -> Case:
    """3 for high, 2 for medium, 1 for low: "most severe first" as a sort key."""
    return Case(
        When(**{field_name: Severity.HIGH}, then=Value(3)),
        When(**{field_name: Severity.MEDIUM}, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


#: Dashboard tabs: "active" (open, acknowledged or planned) first, then each status.
TABS: tuple[tuple[str, Any], ...] = (
    ("active", _("Active")),
    (Status.OPEN, Status.OPEN.label),
    (Status.ACKNOWLEDGED, Status.ACKNOWLEDGED.label),
    (Status.PLANNED, Status.PLANNED.label),
    (Status.RESOLVED, Status.RESOLVED.label),
    (Status.DISMISSED, Status.DISMISSED.label),
)
TAB_KEYS = tuple(key for key, _label in TABS)


def _statuses_of(tab: str) -> tuple[str, ...]:
    return ACTIVE if tab == "active" else (tab,)


def _at_risk_evidence() -> Q:
    """Evidence rows whose account is red or yellow or renews within the window."""
    return Q(band__in=("red", "yellow")) | Q(renews_soon=True)


# --- The PM dashboard ------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardSummary:
    tabs: list[dict[str, Any]]
    by_severity: list[dict[str, Any]]
    active: int
    #: ARR of the distinct accounts at risk behind active flags (an account behind two
    #: flags counts once, unlike the per-flag sums).
    arr_at_risk: Decimal
    accounts_at_risk: int


def dashboard_summary(*, tab: str) -> DashboardSummary:
    """Tab counts and the summary cards, in two queries."""
    counts = ProductRisk.objects.aggregate(
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in Status.values},
        **{
            f"severity_{severity}": Count("pk", filter=Q(status__in=ACTIVE, severity=severity))
            for severity in Severity.values
        },
    )
    accounts = ProductRiskAccount.objects.filter(_at_risk_evidence(), risk__status__in=ACTIVE)
    totals = Account.objects.filter(pk__in=accounts.values("account_id")).aggregate(
        total_arr=Sum("arr"), n=Count("pk")
    )
    active = sum(counts[f"status_{status}"] for status in ACTIVE)
    tabs = [
        {
            "key": key,
            "label": label,
            "count": active if key == "active" else counts[f"status_{key}"],
            "current": key == tab,
        }
        for key, label in TABS
    ]
    by_severity = [
        {"key": severity, "label": label, "count": counts[f"severity_{severity}"]}
        for severity, label in reversed(Severity.choices)
    ]
    return DashboardSummary(
        tabs=tabs,
        by_severity=by_severity,
        active=active,
        arr_at_risk=totals["total_arr"] or Decimal("0"),
        accounts_at_risk=totals["n"],
    )


#: Affected accounts previewed per flag on the dashboard; the flag page lists them all.
PREVIEW_ACCOUNTS = 3


def risk_list(*, tab: str = "active", severity: str = "") -> QuerySet[ProductRisk]:
    """Flags of a tab, most severe first, then by ARR at risk, each with its largest
    affected accounts (``preview``: health and CSM) — one more query for the whole page,
    a window-function slice per flag."""
    preview = ProductRiskAccount.objects.select_related(
        "account", "account__csm_owner", "account__health"
    ).order_by("-arr", "account__name", "pk")[:PREVIEW_ACCOUNTS]
    risks = (
        ProductRisk.objects.filter(status__in=_statuses_of(tab))
        .select_related("idea")
        .prefetch_related(Prefetch("evidence", queryset=preview, to_attr="preview"))
    )
    if severity:
        risks = risks.filter(severity=severity)
    return risks.annotate(severity_rank=_rank_of("severity")).order_by(
        "-severity_rank", "-arr_at_risk", "-pk"
    )


# --- One flag --------------------------------------------------------------------------


def risk_for_page(*, pk: int) -> ProductRisk:
    """The flag with its idea, who dismissed it, and the earliest ship date of the
    roadmap items linked to its idea (``shipped_on``; None when none has shipped)."""
    risks = ProductRisk.objects.select_related("idea", "dismissed_by").annotate(
        shipped_on=Min("idea__roadmap_items__shipped_on")
    )
    return get_object_or_404(risks, pk=pk)


def risk_evidence(*, risk: ProductRisk) -> QuerySet[ProductRiskAccount]:
    """The affected accounts, largest first, with their CSM and current health."""
    return (
        ProductRiskAccount.objects.filter(risk=risk)
        .select_related("account", "account__csm_owner", "account__health")
        .order_by("-arr", "account__name", "pk")
    )


def roadmap_items_of(*, risk: ProductRisk) -> list[Any]:
    """The roadmap items the flag's idea is linked to (reached through the idea, since
    feedback does not import roadmap)."""
    return list(risk.idea.roadmap_items.order_by("column", "position", "pk"))


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    label: Any
    detail: str = ""
    by: Any = None


def risk_history(risk: ProductRisk) -> list[HistoryEvent]:
    """The flag's status timeline from its timestamps, oldest first."""
    events = [
        HistoryEvent(risk.opened_at, _("Re-opened") if risk.generation > 1 else _("Opened")),
    ]
    if risk.acknowledged_at:
        events.append(HistoryEvent(risk.acknowledged_at, _("Acknowledged")))
    if risk.dismissed_at:
        events.append(
            HistoryEvent(
                risk.dismissed_at, _("Dismissed"), risk.dismissed_reason, risk.dismissed_by
            )
        )
    if risk.resolved_at:
        events.append(HistoryEvent(risk.resolved_at, _("Resolved (shipped)")))
    return sorted(events, key=lambda event: event.at)


# --- Impact after shipping ------------------------------------------------------------

#: The impact summary pools at most this many of the most recently resolved flags.
IMPACT_FLAGS = 50


@dataclass
class ImpactReport:
    ship_dates: dict[int, date]
    series: Any = None
    windows: list[impact.WindowSummary] = field(default_factory=list)
    per_flag: dict[int, list[impact.WindowSummary]] = field(default_factory=dict)
    figure: dict[str, Any] | None = None

    @property
    def has_data(self) -> bool:
        return any(window.known for window in self.windows)


def _ranges(ship_dates: dict[int, date], span: int) -> list[tuple[date, date]]:
    """The days around the ship dates, overlapping spans merged."""
    reach = timedelta(days=span)
    spans = sorted((day - reach, day + reach) for day in ship_dates.values())
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def impact_report(
    risks: list[ProductRisk], *, span: int = impact.SPAN_DAYS, title: str | None = None
) -> ImpactReport:
    """Health of the affected accounts around each flag's ship date against every other
    account, pooled by day offset; two queries.

    ``risks`` carry ``shipped_on`` (see :func:`risk_for_page`); those without a ship
    date are left out.
    """
    ship_dates = {
        risk.pk: day
        for risk in risks
        if (day := impact.ship_date(resolved_at=risk.resolved_at, shipped_on=risk.shipped_on))
    }
    report = ImpactReport(ship_dates=ship_dates)
    if not ship_dates:
        return report
    around = Q()
    for risk_id, day in ship_dates.items():
        around |= Q(
            account__product_risks__risk_id=risk_id,
            day__range=(day - timedelta(days=span), day + timedelta(days=span)),
        )
    affected_rows = list(
        scored_snapshots()
        .filter(around)
        .values("account__product_risks__risk_id", "day")
        .annotate(score_sum=Sum("score"), score_n=Count("score"))
        .order_by()
    )
    affected = impact.frame_of(
        [
            {
                "risk_id": row["account__product_risks__risk_id"],
                "day": row["day"],
                "score_sum": row["score_sum"],
                "score_n": row["score_n"],
            }
            for row in affected_rows
        ],
        impact.AFFECTED_COLUMNS,
    )
    # Every account's health by day comes from the stored daily totals (one row a day),
    # not from a scan of every account's snapshots around the ship dates.
    totals = impact.frame_of(health_totals_between(_ranges(ship_dates, span)), impact.TOTAL_COLUMNS)
    report.series = impact.offset_series(affected, totals, ship_dates, span=span)
    report.windows = impact.window_summaries(report.series)
    if len(ship_dates) > 1:
        report.per_flag = impact.per_flag_summaries(affected, totals, ship_dates, span=span)
    if report.has_data:
        report.figure = charts.figure_dict(charts.impact_figure(report.series, title=title))
    return report


def resolved_risks(*, limit: int = IMPACT_FLAGS) -> list[ProductRisk]:
    """The most recently resolved flags, with their ideas and ship dates."""
    return list(
        ProductRisk.objects.filter(status=Status.RESOLVED)
        .select_related("idea")
        .annotate(shipped_on=Min("idea__roadmap_items__shipped_on"))
        .order_by("-resolved_at", "-pk")[:limit]
    )


# --- A CSM's book and Customer 360 -----------------------------------------------------


def _active_evidence() -> QuerySet[ProductRiskAccount]:
    return ProductRiskAccount.objects.filter(risk__status__in=ACTIVE)


def blocked_accounts(*, user) -> QuerySet[Account]:
    """The user's own accounts (``csm_owner``) with at least one active flag, largest
    first, each with its number of gaps and whether it is at risk."""
    return (
        Account.objects.filter(csm_owner=user)
        .annotate(gaps=Count("product_risks", filter=Q(product_risks__risk__status__in=ACTIVE)))
        .filter(gaps__gt=0)
        .annotate(
            at_risk=Exists(
                _active_evidence().filter(_at_risk_evidence(), account_id=OuterRef("pk"))
            )
        )
        .select_related("health")
        .order_by("-arr", "name", "pk")
    )


def blocked_summary(*, user) -> dict[str, Any]:
    """Blocked accounts of the user's book, their ARR and the part of it at risk."""
    blocked = _active_evidence().filter(account__csm_owner=user)
    at_risk = blocked.filter(_at_risk_evidence()).values("account_id")
    return Account.objects.filter(pk__in=blocked.values("account_id")).aggregate(
        accounts=Count("pk"),
        total_arr=Sum("arr"),
        arr_at_risk=Sum("arr", filter=Q(pk__in=at_risk)),
    )


def gaps_by_account(*, account_ids: list[int]) -> dict[int, list[ProductRiskAccount]]:
    """The active flags touching each account, most severe first; one query."""
    rows = (
        _active_evidence()
        .filter(account_id__in=account_ids)
        .select_related("risk__idea")
        .order_by(_rank_of("risk__severity").desc(), "-risk__arr_at_risk", "risk_id")
    )
    grouped: dict[int, list[ProductRiskAccount]] = defaultdict(list)
    for row in rows:
        grouped[row.account_id].append(row)
    return grouped


def account_risks(*, account: Account) -> list[ProductRiskAccount]:
    """The active flags touching one account (Customer 360), one query."""
    return gaps_by_account(account_ids=[account.pk]).get(account.pk, [])


def with_risk_badge(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    """Ideas with what the triage badge reads: the flag's severity, status and id (a LEFT
    JOIN on the one-to-one flag, which multiplies nothing)."""
    return ideas.annotate(
        risk_severity=F("risk__severity"), risk_status=F("risk__status"), risk_id=F("risk__id")
    )


def demand_as_of() -> DemandAsOf:
    """When the recompute last stored the ideas' demand and the renewal window it counted
    by, from the rule row it stamps as it commits; one query."""
    row = RiskRule.objects.filter(pk=RULE_PK).values("recomputed_at", "renewal_window_days").first()
    if row is None:
        return DemandAsOf(None, RiskRule._meta.get_field("renewal_window_days").default)
    return DemandAsOf(row["recomputed_at"], row["renewal_window_days"])
