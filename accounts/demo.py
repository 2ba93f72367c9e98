"""Deterministic demo data: realistic accounts, contacts and one user per role.

The same ``seed`` and day give the same data, and running it again updates rows in
place (matched on external IDs, e-mails and usernames) instead of adding copies.
Later features extend this module with usage, tickets, ideas and the roadmap.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Contact, User
from accounts.roles import Role
from accounts.signals import announce_account_data_changed, one_announcement

DEMO_PASSWORD = "csplatform-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    first_name: str
    last_name: str


DEMO_LOGINS = [
    DemoLogin("admin", Role.ADMIN, "Alex", "Admin"),
    DemoLogin("csm", Role.CSM, "Casey", "Morgan"),
    DemoLogin("pm", Role.PM, "Priya", "Nair"),
    DemoLogin("customer", Role.CUSTOMER, "Chris", "Walker"),
]
#: Further CSMs who own part of the book but have no demo password.
OTHER_CSMS = [("jordan", "Jordan", "Lee"), ("riley", "Riley", "Santos")]

_PREFIXES = [
    "Acme",
    "Northwind",
    "Bluebird",
    "Summit",
    "Harbor",
    "Pinecrest",
    "Lumen",
    "Vertex",
    "Copperleaf",
    "Brightwave",
    "Ironclad",
    "Meridian",
    "Orchard",
    "Polaris",
    "Quarry",
    "Redwood",
    "Silverline",
    "Tidewater",
    "Evergreen",
    "Falcon",
    "Granite",
    "Juniper",
    "Keystone",
    "Maple",
    "Nimbus",
    "Oakridge",
    "Prairie",
    "Riverbend",
    "Sequoia",
    "Willow",
]
_SUFFIXES = [
    "Analytics",
    "Logistics",
    "Health",
    "Foods",
    "Robotics",
    "Labs",
    "Energy",
    "Media",
    "Retail",
    "Capital",
    "Systems",
    "Travel",
    "Insurance",
    "Learning",
    "Studios",
    "Bank",
]
_FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Daniel",
    "Elena",
    "Farah",
    "Gabriel",
    "Hana",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Marco",
    "Nora",
    "Omar",
    "Paula",
    "Quinn",
    "Rosa",
    "Samir",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Yusuf",
    "Zoe",
]
_LAST = [
    "Adams",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Novak",
    "Okafor",
    "Patel",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Umar",
    "Vargas",
    "Weber",
    "Young",
    "Zhang",
]
_TITLES = [
    "VP Operations",
    "Head of Data",
    "Product Lead",
    "IT Manager",
    "Analyst",
    "Director of Finance",
    "Operations Manager",
    "Engineer",
    "Team Lead",
]
# (segment, plan, ARR range, seat range, weight)
_SEGMENTS = [
    ("SMB", "Starter", (6_000, 30_000), (5, 40), 5),
    ("Mid-market", "Growth", (30_000, 150_000), (40, 250), 3),
    ("Enterprise", "Enterprise", (150_000, 900_000), (250, 2_000), 1),
]


@dataclass(frozen=True)
class DemoSummary:
    accounts: int
    contacts: int
    users: int


def _next_anniversary(start: date, today: date) -> date:
    """The first contract anniversary after ``today`` (a 29 February start renews on 28)."""
    day = 28 if (start.month, start.day) == (2, 29) else start.day
    years = today.year - start.year
    while (candidate := date(start.year + years, start.month, day)) <= today:
        years += 1
    return candidate


def _account_rows(rng: random.Random, count: int, today: date, csms: list[User]) -> list[Account]:
    weights = [segment[4] for segment in _SEGMENTS]
    rows = []
    for number in range(1, count + 1):
        segment, plan, arr_range, seat_range, _weight = rng.choices(_SEGMENTS, weights)[0]
        name = f"{rng.choice(_PREFIXES)} {rng.choice(_SUFFIXES)}"
        # A quarter still onboarding, so onboarding pages have journeys in progress.
        recent = rng.random() < 0.25
        started = today - timedelta(days=rng.randint(10, 80) if recent else rng.randint(81, 900))
        # Contracts run in whole years; the renewal is the next anniversary after today.
        renews = _next_anniversary(started, today)
        age_days = (today - started).days
        if age_days < 60:
            stage = Account.Lifecycle.ONBOARDING
        elif (renews - today).days <= 90:
            stage = Account.Lifecycle.RENEWAL
        else:
            stage = Account.Lifecycle.ADOPTION
        slug = name.lower().replace(" ", "")
        rows.append(
            Account(
                external_id=f"DEMO-{number:05d}",
                name=f"{name} #{number}" if count > 200 else name,
                domain=f"{slug}{number}.example.com",
                plan=plan,
                segment=segment,
                arr=Decimal(rng.randrange(arr_range[0], arr_range[1], 500)),
                licensed_seats=rng.randint(*seat_range),
                lifecycle_stage=stage,
                csm_owner=csms[number % len(csms)],
                started_on=started,
                renews_on=renews,
            )
        )
    return rows


def _contact_rows(rng: random.Random, accounts: list[Account]) -> list[Contact]:
    rows = []
    for account in accounts:
        for index in range(rng.randint(3, 8)):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            rows.append(
                Contact(
                    account=account,
                    name=f"{first} {last}",
                    email=f"{first}.{last}.{index}@{account.domain}".lower(),
                    title=rng.choice(_TITLES),
                    is_champion=index == 0,
                )
            )
    return rows


def _upsert_user(login: DemoLogin | tuple, *, contact: Contact | None = None) -> User:
    if isinstance(login, DemoLogin):
        username, role, first, last = login.username, login.role, login.first_name, login.last_name
    else:
        (username, first, last), role = login, Role.CSM
    user, created = User.objects.update_or_create(
        username=username,
        defaults={
            "role": role,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.csplatform.test",
            "contact": contact,
            "is_staff": role == Role.ADMIN,
            "is_superuser": role == Role.ADMIN,
        },
    )
    if created:
        if isinstance(login, DemoLogin):
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_demo(
    *, accounts: int = 60, seed: int = 42, today: date | None = None, activity: bool = True
) -> DemoSummary:
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    rng = random.Random(seed)
    today = today or timezone.localdate()
    logins = {login.role: login for login in DEMO_LOGINS}
    csms = [_upsert_user(logins[Role.CSM])] + [_upsert_user(other) for other in OTHER_CSMS]

    rows = _account_rows(rng, accounts, today, csms)
    Account.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["external_id"],
        update_fields=list(Account.PROFILE_FIELDS),
        batch_size=1000,
    )
    saved = Account.objects.in_bulk([row.external_id for row in rows], field_name="external_id")
    ordered = [saved[row.external_id] for row in rows]
    # ignore_conflicts: a contact already seeded keeps its row (and any portal user on it).
    Contact.objects.bulk_create(_contact_rows(rng, ordered), ignore_conflicts=True, batch_size=2000)

    first_account = ordered[0]
    champion = first_account.contacts.order_by("-is_champion", "pk").first()
    _upsert_user(logins[Role.ADMIN])
    _upsert_user(logins[Role.PM])
    _upsert_user(logins[Role.CUSTOMER], contact=champion)

    with one_announcement():  # the seed's three imports and its accounts: one recompute
        if activity:
            from accounts.demo_activity import seed_activity

            seed_activity(accounts=ordered, seed=seed, today=today)
        announce_account_data_changed(account.pk for account in ordered)
    return DemoSummary(
        accounts=len(ordered),
        contacts=Contact.objects.filter(account__in=ordered).count(),
        users=User.objects.count(),
    )
