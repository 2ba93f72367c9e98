"""Health reads of the portfolio (its column, band filter, summary and at-risk list) and
of the team lead's list of accounts whose CSM sentiment disagrees with the data.

Each function answers with one query, whatever the number of accounts: the portfolio
runs them on every page view and asserts its query count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from healthscores.models import Band, Sentiment

#: Filter value: not scored yet (no AccountHealth row).
NOT_SCORED = "none"
#: Filter value: red or yellow, the bands the at-risk list shows.
AT_RISK = "risk"
AT_RISK_BANDS = (Band.RED, Band.YELLOW)
#: "At risk" looks this many days ahead for renewals; the portfolio's renewal filter
#: has the same window, so "see all" lists exactly the accounts the panel counts.
AT_RISK_DAYS = 90
AT_RISK_SHOWN = 10
#: Worst first, as people scan for trouble.
SUMMARY_BANDS = (Band.RED, Band.YELLOW, Band.GREEN, Band.INSUFFICIENT)

HEALTH_FILTER_CHOICES: list[tuple[str, str | Promise]] = [
    *Band.choices,
    (AT_RISK, _("Red or yellow")),
    (NOT_SCORED, _("Not scored yet")),
]


def with_health(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Join each account's current health into the portfolio's one query of rows."""
    return accounts.select_related("health")


def no_health_match(value: str) -> str:
    """What the empty portfolio says when the health filter alone leaves no account."""
    messages = {
        Band.RED: _("No red accounts in this view"),
        Band.YELLOW: _("No yellow accounts in this view"),
        Band.GREEN: _("No green accounts in this view"),
        AT_RISK: _("No red or yellow accounts in this view"),
        NOT_SCORED: _("Every account in this view has a health score"),
    }
    return str(messages.get(value, _("No accounts with this health in this view")))


def filter_by_health(accounts: QuerySet[Account], value: str) -> QuerySet[Account]:
    """Accounts whose shown (effective) band is ``value``; see HEALTH_FILTER_CHOICES."""
    if value == AT_RISK:
        return accounts.filter(health__effective_band__in=AT_RISK_BANDS)
    if value == NOT_SCORED:
        return accounts.filter(health__isnull=True)
    return accounts.filter(health__effective_band=value)


def renewal_window(today: date) -> tuple[date, date]:
    """Today through today + AT_RISK_DAYS, both included (as the portfolio filter)."""
    return today, today + timedelta(days=AT_RISK_DAYS)


@dataclass(frozen=True)
class BandTotal:
    #: A Band value, or NOT_SCORED.
    band: str
    label: str | Promise
    accounts: int
    arr: Decimal


@dataclass(frozen=True)
class HealthSummary:
    bands: list[BandTotal]
    accounts: int
    arr: Decimal
    at_risk_accounts: int
    at_risk_arr: Decimal


def _sum(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


def health_summary(accounts: QuerySet[Account], *, today: date) -> HealthSummary:
    """Accounts and ARR per band, and the at-risk totals, in one aggregate query.

    Conditional aggregates over the (unordered) filtered accounts rather than a GROUP BY:
    the portfolio's queryset carries annotations that would join the grouping.
    """
    buckets = {band.value: Q(health__effective_band=band) for band in SUMMARY_BANDS}
    buckets[NOT_SCORED] = Q(health__isnull=True)
    at_risk = Q(health__effective_band__in=AT_RISK_BANDS, renews_on__range=renewal_window(today))
    aggregates = {}
    for key, condition in buckets.items():
        aggregates[f"{key}_n"] = Count("pk", filter=condition)
        aggregates[f"{key}_arr"] = Sum("arr", filter=condition)
    totals = accounts.order_by().aggregate(
        **aggregates,
        risk_n=Count("pk", filter=at_risk),
        risk_arr=Sum("arr", filter=at_risk),
    )
    labels = {**dict(Band.choices), NOT_SCORED: _("Not scored yet")}
    bands = [
        BandTotal(
            band=key,
            label=labels[key],
            accounts=totals[f"{key}_n"],
            arr=_sum(totals[f"{key}_arr"]),
        )
        for key in buckets
    ]
    return HealthSummary(
        bands=bands,
        accounts=sum(b.accounts for b in bands),
        arr=sum((b.arr for b in bands), Decimal(0)),
        at_risk_accounts=totals["risk_n"],
        at_risk_arr=_sum(totals["risk_arr"]),
    )


@dataclass(frozen=True)
class AtRiskAccount:
    account: Account
    days_to_renewal: int


def at_risk_accounts(
    accounts: QuerySet[Account], *, today: date, limit: int = AT_RISK_SHOWN
) -> list[AtRiskAccount]:
    """Red and yellow accounts renewing within AT_RISK_DAYS, soonest renewal first.

    ``accounts`` should already join health and the CSM (the portfolio's queryset does),
    so the rows cost one query.
    """
    rows = (
        accounts.filter(
            health__effective_band__in=AT_RISK_BANDS, renews_on__range=renewal_window(today)
        )
        .select_related("health", "csm_owner")
        .order_by("renews_on", "-arr", "name", "pk")[:limit]
    )
    return [AtRiskAccount(account=a, days_to_renewal=(a.renews_on - today).days) for a in rows]


def divergent_accounts() -> QuerySet[Account]:
    """Accounts whose latest CSM sentiment contradicts their computed band, biggest ARR
    first, each with that sentiment (value, time, comment) annotated: one query."""
    latest = Sentiment.objects.filter(account=OuterRef("pk")).order_by("-set_at", "-pk")
    return (
        Account.objects.filter(health__divergent=True)
        .select_related("health", "csm_owner")
        .annotate(
            sentiment_value=Subquery(latest.values("value")[:1]),
            sentiment_set_at=Subquery(latest.values("set_at")[:1]),
            sentiment_comment=Subquery(latest.values("comment")[:1]),
        )
        .order_by("-arr", "name", "pk")
    )
