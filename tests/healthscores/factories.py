"""Factories of health scores. The default scorecard and its measures come from a
migration and exist in every test database: ``default_scorecard()`` returns it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Account, DailyEventContact, Ticket
from healthscores.models import (
    AccountHealth,
    Band,
    HealthOverride,
    HealthSnapshot,
    Scorecard,
    Sentiment,
)
from healthscores.services import today_utc
from healthscores.totals import health_totals_refresh
from tests.accounts.factories import (
    AccountFactory,
    ContactFactory,
    DailyUsageFactory,
    SurveyResponseFactory,
    TicketFactory,
    UserFactory,
)


def default_scorecard() -> Scorecard:
    return Scorecard.objects.get(segment="")


class DailyEventContactFactory(DjangoModelFactory):
    """Who did an event on a day: what the active-user ratio counts."""

    class Meta:
        model = DailyEventContact

    account = factory.SubFactory(AccountFactory)
    contact = factory.SubFactory(ContactFactory, account=factory.SelfAttribute("..account"))
    day = factory.LazyFunction(today_utc)
    event = "report.viewed"


class SentimentFactory(DjangoModelFactory):
    class Meta:
        model = Sentiment

    account = factory.SubFactory(AccountFactory)
    value = Sentiment.Value.GREEN
    comment = factory.Sequence(lambda n: f"Sentiment comment {n}")
    set_by = factory.SubFactory(UserFactory)
    set_at = factory.LazyFunction(timezone.now)


class HealthOverrideFactory(DjangoModelFactory):
    class Meta:
        model = HealthOverride

    account = factory.SubFactory(AccountFactory)
    band = Band.GREEN
    reason = factory.Sequence(lambda n: f"Override reason {n}")
    starts_on = factory.LazyFunction(today_utc)
    expires_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=14))
    set_by = factory.SubFactory(UserFactory)


class HealthSnapshotFactory(DjangoModelFactory):
    """A stored snapshot, for pages that only read history (no recompute needed)."""

    class Meta:
        model = HealthSnapshot
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    day = factory.LazyFunction(today_utc)
    score = 55.0
    band = Band.YELLOW
    components = factory.LazyAttribute(
        lambda o: {
            "active_users": {
                "raw": 0.4,
                "score": o.score,
                "weight": 1.0,
                "contribution": o.score,
                "missing": False,
            }
        }
    )
    missing_weight = 0.0
    scorecard = factory.LazyFunction(default_scorecard)
    scorecard_version = 1
    computed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def totals(self, create: bool, extracted, **kwargs) -> None:
        """Keep the day's totals, as the engine does in the transaction it writes in."""
        if create:
            health_totals_refresh([self.day])


class AccountHealthFactory(DjangoModelFactory):
    class Meta:
        model = AccountHealth

    account = factory.SubFactory(AccountFactory)
    day = factory.LazyFunction(today_utc)
    score = 55.0
    band = Band.YELLOW
    effective_band = factory.LazyAttribute(lambda o: o.band)
    computed_at = factory.LazyFunction(timezone.now)


# --- Data the real engine scores to a known band -------------------------------------
# For tests whose behaviour depends on the engine (services.recompute_now): usage,
# tickets and surveys laid down so that it computes the band the test names.


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def healthy_data(account: Account, day: date) -> None:
    """Data that scores green on ``day`` (about 92): every one-seat user active,
    steady usage, no tickets and an NPS of 10."""
    contact = ContactFactory(account=account)
    DailyEventContact.objects.create(
        account=account, day=day - timedelta(days=2), event="report.viewed", contact=contact
    )
    DailyUsageFactory(account=account, day=day - timedelta(days=45), event_count=100)
    DailyUsageFactory(account=account, day=day - timedelta(days=5), event_count=100)
    SurveyResponseFactory(account=account, score=10, responded_at=_at(day - timedelta(days=10)))


def green_then_yellow_data(account: Account, day: date) -> None:
    """Green the day before ``day``, yellow on ``day`` (about 65): six urgent tickets
    opened on ``day`` and still open. The account needs one licensed seat."""
    healthy_data(account, day - timedelta(days=1))
    for _ in range(6):
        TicketFactory(
            account=account,
            priority=Ticket.Priority.URGENT,
            status=Ticket.Status.OPEN,
            opened_at=_at(day, 9),
        )


def red_data(account: Account, day: date) -> None:
    """Data that scores red on ``day``: nobody active, usage gone, urgent tickets."""
    DailyUsageFactory(account=account, day=day - timedelta(days=45), event_count=100)
    for _ in range(6):
        TicketFactory(
            account=account,
            priority=Ticket.Priority.URGENT,
            status=Ticket.Status.OPEN,
            opened_at=_at(day - timedelta(days=1)),
        )
