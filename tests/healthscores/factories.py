"""Factories of health scores. The default scorecard and its measures come from a
migration and exist in every test database: ``default_scorecard()`` returns it."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import DailyEventContact
from healthscores.models import (
    AccountHealth,
    Band,
    HealthOverride,
    HealthSnapshot,
    Scorecard,
    Sentiment,
)
from healthscores.services import today_utc
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory


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


class AccountHealthFactory(DjangoModelFactory):
    class Meta:
        model = AccountHealth

    account = factory.SubFactory(AccountFactory)
    day = factory.LazyFunction(today_utc)
    score = 55.0
    band = Band.YELLOW
    effective_band = factory.LazyAttribute(lambda o: o.band)
    computed_at = factory.LazyFunction(timezone.now)
