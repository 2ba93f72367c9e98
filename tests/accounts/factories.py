from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.models import Account, Contact, User
from accounts.roles import Role


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
