from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import (
    Account,
    Contact,
    DailyActivity,
    DailyUsage,
    Note,
    RenewalOutcome,
    Source,
    SurveyResponse,
    Ticket,
    UsageEvent,
    User,
)
from core.roles import Role


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Company {n}")
    external_id = factory.Sequence(lambda n: f"ACC-{n:05d}")
    domain = factory.LazyAttribute(lambda o: f"{o.external_id.lower()}.example.com")
    plan = "Growth"
    segment = "Mid-market"
    arr = Decimal("48000.00")
    licensed_seats = 50
    started_on = factory.LazyFunction(lambda: date.today() - timedelta(days=120))
    renews_on = factory.LazyFunction(lambda: date.today() + timedelta(days=245))


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    title = "Analyst"


class UserFactory(DjangoModelFactory):
    """A user of any role; customers get a contact (and so an account) of their own."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.CSM
    contact = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.CUSTOMER),
        yes_declaration=factory.SubFactory(ContactFactory),
        no_declaration=None,
    )
    password = factory.django.Password("correct-horse-battery")


# --- Ingested facts (Customer 360) ---------------------------------------------------


class UsageEventFactory(DjangoModelFactory):
    class Meta:
        model = UsageEvent

    account = factory.SubFactory(AccountFactory)
    contact = factory.SubFactory(ContactFactory, account=factory.SelfAttribute("..account"))
    event = "report.viewed"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    quantity = 1
    source = Source.API
    source_id = factory.Sequence(lambda n: f"evt-{n:07d}")


class DailyUsageFactory(DjangoModelFactory):
    class Meta:
        model = DailyUsage

    account = factory.SubFactory(AccountFactory)
    day = factory.LazyFunction(lambda: timezone.now().date())
    event = "report.viewed"
    event_count = 10
    quantity = factory.LazyAttribute(lambda o: float(o.event_count))
    active_contacts = 3


class DailyActivityFactory(DjangoModelFactory):
    class Meta:
        model = DailyActivity

    account = factory.SubFactory(AccountFactory)
    day = factory.LazyFunction(lambda: timezone.now().date())
    event_count = 10
    active_contacts = 3


class TicketFactory(DjangoModelFactory):
    class Meta:
        model = Ticket

    external_id = factory.Sequence(lambda n: f"TCK-{n:06d}")
    account = factory.SubFactory(AccountFactory)
    subject = factory.Sequence(lambda n: f"Ticket subject {n}")
    priority = Ticket.Priority.NORMAL
    status = Ticket.Status.OPEN
    opened_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class SurveyResponseFactory(DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    external_id = factory.Sequence(lambda n: f"SRV-{n:06d}")
    account = factory.SubFactory(AccountFactory)
    contact = None
    kind = SurveyResponse.Kind.NPS
    score = 9
    comment = ""
    responded_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class NoteFactory(DjangoModelFactory):
    class Meta:
        model = Note

    account = factory.SubFactory(AccountFactory)
    author = factory.SubFactory(UserFactory, role=Role.CSM)
    body = factory.Sequence(lambda n: f"Note number {n}")


class RenewalOutcomeFactory(DjangoModelFactory):
    class Meta:
        model = RenewalOutcome

    account = factory.SubFactory(AccountFactory)
    renewed_on = factory.LazyFunction(lambda: timezone.now().date() - timedelta(days=1))
    outcome = RenewalOutcome.Outcome.RENEWED
    arr_before = Decimal("12000")
    arr_after = factory.LazyAttribute(
        lambda o: Decimal(0) if o.outcome == RenewalOutcome.Outcome.CHURNED else o.arr_before
    )
