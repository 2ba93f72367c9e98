from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import DailyEventContact
from healthscores.models import HealthOverride, Sentiment
from tests.accounts.factories import AccountFactory, ContactFactory


class DailyEventContactFactory(DjangoModelFactory):
    class Meta:
        model = DailyEventContact

    account = factory.SubFactory(AccountFactory)
    contact = factory.SubFactory(ContactFactory, account=factory.SelfAttribute("..account"))
    day = factory.LazyFunction(lambda: timezone.now().date())
    event = "report.viewed"


class SentimentFactory(DjangoModelFactory):
    class Meta:
        model = Sentiment

    account = factory.SubFactory(AccountFactory)
    value = Sentiment.Value.GREEN
    comment = "Weekly call went well."
    set_at = factory.LazyFunction(timezone.now)


class HealthOverrideFactory(DjangoModelFactory):
    class Meta:
        model = HealthOverride

    account = factory.SubFactory(AccountFactory)
    band = "green"
    reason = "Data feed broken since the migration."
    starts_on = factory.LazyFunction(lambda: timezone.now().date())
    expires_on = factory.LazyFunction(lambda: timezone.now().date() + timedelta(days=14))
