"""Health demo data on top of the accounts demo: key events, an Enterprise scorecard,
CSM sentiments that match each account's story (one of them gamed to green on a dormant,
red account: the divergence flag), an override of another dormant account, and weeks of
history so that trends, "why it changed" and the history chart have something true to
show. Which accounts play those parts comes from the cast (``demo.services.accounts.cast``), not
from the scores of the day, so they exist on any day and for any seed."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction

from accounts.models import Account, AccountQuerySet
from demo.cast import DECLINING, DORMANT, ENGAGED, Part
from demo.services.accounts import cast_of
from healthscores import services
from healthscores.models import HealthOverride, Scorecard, Sentiment

KEY_EVENTS = [
    "report.viewed",
    "dashboard.created",
    "export.csv",
    "integration.synced",
    "alert.configured",
    "report.shared",
]
#: Over three months: the feedback demo ships ideas 18 to 82 days ago, and its impact
#: report compares health over 30, 60 and 90 days either side of each ship date. Each day
#: costs a recompute (about 0.1 s for 60 accounts), the bulk of the seed's time.
HISTORY_DAYS = 100
SENTIMENT_COMMENTS = {
    Sentiment.Value.GREEN: [
        "Champion is happy; expansion talk planned for next quarter.",
        "QBR went well, exec sponsor engaged.",
    ],
    Sentiment.Value.YELLOW: [
        "New admin is still learning the product.",
        "Budget review coming; they asked for usage numbers.",
    ],
    Sentiment.Value.RED: [
        "Champion left the company; no replacement yet.",
        "Escalation about the export bug, frustrated on the last call.",
    ],
}

#: The calls a CSM would make on each story: mostly right, sometimes behind the data.
SENTIMENTS_BY_STORY = {
    ENGAGED: [Sentiment.Value.GREEN, Sentiment.Value.GREEN, Sentiment.Value.YELLOW],
    DECLINING: [Sentiment.Value.YELLOW, Sentiment.Value.YELLOW, Sentiment.Value.RED],
    DORMANT: [Sentiment.Value.RED, Sentiment.Value.RED, Sentiment.Value.YELLOW],
}


@dataclass(frozen=True)
class HealthDemoSummary:
    days: int
    sentiments: int
    overrides: int


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _configure(scorecard: Scorecard, **changes: Any) -> None:
    """Save a new version of ``scorecard`` with ``changes``, unless it has them already."""
    draft = services.draft_of(scorecard, scorecard.measures.all())
    wanted = dataclasses.replace(draft, **changes)
    if wanted != draft:
        services.scorecard_save(
            scorecard_id=scorecard.pk, draft=wanted, user=None, expected_version=scorecard.version
        )


@transaction.atomic
def seed_health_demo(
    *,
    accounts: AccountQuerySet | None = None,
    seed: int = 42,
    days: int = HISTORY_DAYS,
    history: bool = True,
) -> HealthDemoSummary:
    """Idempotent: sentiments and overrides are replaced, snapshots recomputed.

    ``history=False`` computes only the first day and today, leaving the days between to
    :func:`seed_health_history`: the full demo adds usage after its ship dates (demos
    seeded later depend on today's health) and computes the history once, after that.
    """
    rng = random.Random(seed)
    today = services.today_utc()
    # Configured through the editor's own services, so the demo's scorecards have the
    # version history a real one would.
    _configure(services.default_scorecard_ensure(), key_events=tuple(KEY_EVENTS))
    enterprise = Scorecard.objects.filter(segment="Enterprise").first()
    _configure(
        enterprise or services.scorecard_create(segment="Enterprise", user=None),
        red_below=45,
        green_from=75,
    )

    accounts = list((accounts or Account.objects.all()).order_by("pk"))
    parts = cast_of(seed)
    Sentiment.objects.filter(account__in=accounts).delete()
    HealthOverride.objects.filter(account__in=accounts).delete()
    sentiments = []
    for account in accounts:
        part = parts.get(account.pk, Part(ENGAGED))
        if rng.random() < 0.45:
            value = rng.choice(SENTIMENTS_BY_STORY[part.usage])
            set_on = today - timedelta(days=rng.randint(3, 30))
            sentiments.append(
                Sentiment(
                    account=account,
                    value=value,
                    comment=rng.choice(SENTIMENT_COMMENTS[value]),
                    set_by=account.csm_owner,
                    set_at=_at(set_on, rng.randint(8, 17)),
                )
            )
    Sentiment.objects.bulk_create(sentiments)
    first_day = today - timedelta(days=days - 1)
    services.recompute_now(day=first_day, raise_alerts=False)

    # The gamed-to-green case the divergence flag exists for, and an honest override,
    # each on a dormant account: red by every usage measure, on any day.
    dormant = [account for account in accounts if parts.get(account.pk, Part("")).usage == DORMANT]
    overrides = 0
    if dormant:
        gamed = dormant[0]
        Sentiment.objects.create(
            account=gamed,
            value=Sentiment.Value.GREEN,
            comment="They love us, renewal is a formality.",
            set_by=gamed.csm_owner,
            set_at=_at(today - timedelta(days=2), 10),
        )
    if len(dormant) > 1:
        overridden = dormant[1]
        HealthOverride.objects.create(
            account=overridden,
            band="yellow",
            reason="Usage dip is their planned migration to SSO; renewal verbally agreed.",
            starts_on=today - timedelta(days=5),
            expires_on=today + timedelta(days=14),
            set_by=overridden.csm_owner,
        )
        overrides = 1
    if history:
        services.recompute_history(account_ids=[a.pk for a in accounts], days=days, today=today)
    else:
        services.recompute_now(account_ids=[a.pk for a in accounts], day=today, raise_alerts=False)
    return HealthDemoSummary(
        days=days, sentiments=len(sentiments) + bool(dormant), overrides=overrides
    )


@transaction.atomic
def seed_health_history(
    *, accounts: AccountQuerySet | None = None, days: int = HISTORY_DAYS
) -> None:
    """Recompute the last ``days`` days of health from the data as it is now."""
    accounts = list((accounts or Account.objects.all()).order_by("pk"))
    services.recompute_history(account_ids=[a.pk for a in accounts], days=days)
