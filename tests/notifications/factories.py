from __future__ import annotations

import factory
from django.urls import reverse
from factory.django import DjangoModelFactory

from core.roles import Role
from notifications.models import Alert
from tests.accounts.factories import AccountFactory, UserFactory


class AlertFactory(DjangoModelFactory):
    class Meta:
        model = Alert

    kind = "health.band_drop"
    severity = Alert.Severity.WARNING
    recipient = factory.SubFactory(UserFactory, role=Role.CSM)
    account = factory.SubFactory(AccountFactory)
    title = factory.Sequence(lambda n: f"Alert number {n}")
    url = factory.LazyAttribute(lambda o: reverse("accounts:detail", args=[o.account.pk]))
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
