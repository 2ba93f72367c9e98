"""Health rows for the portfolio, divergence, API and alert tests.

``AccountHealthFactory`` writes current health directly, for tests that only list it.
The ``*_data`` helpers lay down usage, tickets and surveys so that the real engine
(``services.recompute_now``) computes a known band, for tests whose behaviour depends
on the engine.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Account, DailyEventContact, Ticket
from healthscores.models import AccountHealth, Band, Sentiment
from tests.accounts.factories import (
    AccountFactory,
    ContactFactory,
    DailyUsageFactory,
    SurveyResponseFactory,
    TicketFactory,
)


class AccountHealthFactory(DjangoModelFactory):
    class Meta:
        model = AccountHealth

    account = factory.SubFactory(AccountFactory)
    day = factory.LazyFunction(lambda: datetime.now(UTC).date())
    score = 55.0
    band = Band.YELLOW
    effective_band = factory.LazyAttribute(lambda o: o.band)
    computed_at = factory.LazyFunction(timezone.now)


class SentimentFactory(DjangoModelFactory):
    class Meta:
        model = Sentiment

    account = factory.SubFactory(AccountFactory)
    value = Sentiment.Value.GREEN
    comment = "Champion is happy"
    set_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


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
