"""Deterministic demo data: realistic accounts, contacts and one user per role.

The same ``seed`` and day give the same data, and running it again updates rows in
place (matched on external IDs, e-mails and usernames) instead of adding copies.

Every story the demo tells (red accounts, a late and a stuck onboarding, renewals at
risk, product gaps) is cast before any data is made (:func:`cast`), and each demo module
builds its part of the data to fit: the stories hold on any day and for any seed,
instead of appearing when the random draws happen to fall that way.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Account, Contact, Invitation, User, token_digest
from accounts.services import account_domain_add, sso_secret_current, sso_secret_rotate
from accounts.signals import announce_account_data_changed, one_announcement
from core.roles import Role
from demo.cast import JOURNEY_AGES, USAGE_DAYS, Part, cast
from demo.services.activity import seed_activity
from demo.services.widget import seed_widget

DEMO_PASSWORD = "csplatform-demo"
#: Every demo account's external ID starts with it.
EXTERNAL_PREFIX = "DEMO-"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    first_name: str
    last_name: str
    #: Their saved language; blank follows the browser.
    language: str = ""


#: Customers who read csplatform in Spanish and in Greek, champions of the second and
#: third demo accounts; they post the demo's Spanish and Greek ideas (demo.services.board).
SPANISH_CUSTOMER = DemoLogin("lucia", Role.CUSTOMER, "Lucía", "Fernández", "es")
GREEK_CUSTOMER = DemoLogin("eleni", Role.CUSTOMER, "Ελένη", "Παπαδοπούλου", "el")
#: One login per role, the people the demo's pages are checked as.
DEMO_LOGINS = [
    DemoLogin("admin", Role.ADMIN, "Alex", "Admin"),
    DemoLogin("csm", Role.CSM, "Casey", "Morgan"),
    DemoLogin("pm", Role.PM, "Priya", "Nair"),
    DemoLogin("customer", Role.CUSTOMER, "Chris", "Walker"),
]
#: Customers who read another language than English, with the same password.
LANGUAGE_LOGINS = [SPANISH_CUSTOMER, GREEK_CUSTOMER]
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
# (segment, plan, ARR range, known people range, weight). Seats are a little above the
# people the demo knows, so "active users per seat" means what it would in real life.
_SEGMENTS = [
    ("SMB", "Starter", (6_000, 30_000), (3, 6), 5),
    ("Mid-market", "Growth", (30_000, 150_000), (5, 9), 3),
    ("Enterprise", "Enterprise", (150_000, 900_000), (8, 12), 1),
]


def demo_accounts() -> QuerySet[Account]:
    """The demo's accounts in external-ID order: the order :func:`cast` speaks of."""
    return Account.objects.filter(external_id__startswith=EXTERNAL_PREFIX).order_by("external_id")


def cast_of(seed: int) -> dict[int, Part]:
    """The part of every demo account in the database, by account ID (for the demo
    modules that run after :func:`seed_demo`)."""
    ids = list(demo_accounts().values_list("pk", flat=True))
    return dict(zip(ids, cast(len(ids), seed), strict=True))


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


def _years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes the 28th)."""
    leap_day = (day.month, day.day) == (2, 29)
    return day.replace(year=day.year - years, day=28 if leap_day else day.day)


def _contract(rng: random.Random, part: Part, today: date) -> tuple[date, date]:
    """(start, renewal) for the part: journeys started recently, renewals the story needs
    fall when it needs them, the rest started before the usage history."""
    if part.journey:
        started = today - timedelta(days=rng.randint(*JOURNEY_AGES[part.journey]))
        return started, _next_anniversary(started, today)
    if part.renews_in is not None:
        renews = today + timedelta(days=part.renews_in)
        return _years_before(renews, rng.randint(1, 2)), renews
    started = today - timedelta(days=rng.randint(USAGE_DAYS + 10, 900))
    return started, _next_anniversary(started, today)


def _account_rows(
    rng: random.Random, parts: list[Part], today: date, csms: list[User]
) -> list[tuple[Account, int]]:
    """Each account with the number of people the demo knows there."""
    weights = [segment[4] for segment in _SEGMENTS]
    rows = []
    for number, part in enumerate(parts, start=1):
        segment, plan, arr_range, people_range, _weight = rng.choices(_SEGMENTS, weights)[0]
        name = f"{rng.choice(_PREFIXES)} {rng.choice(_SUFFIXES)}"
        people = rng.randint(*people_range)
        started, renews = _contract(rng, part, today)
        age_days = (today - started).days
        if age_days < 60:
            stage = Account.Lifecycle.ONBOARDING
        elif (renews - today).days <= 90:
            stage = Account.Lifecycle.RENEWAL
        else:
            stage = Account.Lifecycle.ADOPTION
        slug = name.lower().replace(" ", "")
        account = Account(
            external_id=f"{EXTERNAL_PREFIX}{number:05d}",
            name=f"{name} #{number}" if len(parts) > 200 else name,
            domain=f"{slug}{number}.example.com",
            plan=plan,
            segment=segment,
            arr=Decimal(rng.randrange(arr_range[0], arr_range[1], 500)),
            licensed_seats=people + rng.randint(0, max(1, people // 4)),
            lifecycle_stage=stage,
            csm_owner=csms[number % len(csms)],
            started_on=started,
            renews_on=renews,
        )
        rows.append((account, people))
    return rows


def _contact_rows(rng: random.Random, accounts: list[tuple[Account, int]]) -> list[Contact]:
    rows = []
    for account, people in accounts:
        for index in range(people):
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
        language = login.language
    else:
        (username, first, last), role, language = login, Role.CSM, ""
    user, created = User.objects.update_or_create(
        username=username,
        defaults={
            "role": role,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.csplatform.test",
            "contact": contact,
            "language": language,
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
def _seed_access(account: Account, *, admin: User, today_contact: Contact | None) -> None:
    """One contact of the first account waits on an invitation, and the account takes
    sign-ups from its own verified domain after a CSM's approval.

    The invitation is written, not sent: seeding e-mails nobody. Its link is unknown
    (only a digest is kept), as for a real one; "Resend" on the contact list mails a
    fresh link. Seeding again leaves both as they are.
    """
    waiting = (
        account.contacts.exclude(pk=today_contact.pk if today_contact else 0)
        .filter(portal_user__isnull=True)
        .order_by("pk")
        .first()
    )
    if waiting is not None and not Invitation.objects.filter(contact=waiting).exists():
        Invitation.objects.create(
            contact=waiting,
            email=waiting.email,
            token_digest=token_digest(secrets.token_urlsafe(32)),
            invited_by=admin,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
    if account.domain:
        account_domain_add(actor=admin, account=account, domain=account.domain)
        Account.objects.filter(pk=account.pk).update(self_signup=True, signup_needs_approval=True)


def seed_demo(
    *, accounts: int = 60, seed: int = 42, today: date | None = None, activity: bool = True
) -> DemoSummary:
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    rng = random.Random(seed)
    today = today or timezone.localdate()
    logins = {login.role: login for login in DEMO_LOGINS}
    csms = [_upsert_user(logins[Role.CSM])] + [_upsert_user(other) for other in OTHER_CSMS]

    parts = cast(accounts, seed)
    rows = _account_rows(rng, parts, today, csms)
    Account.objects.bulk_create(
        [account for account, _people in rows],
        update_conflicts=True,
        unique_fields=["external_id"],
        update_fields=list(Account.PROFILE_FIELDS),
        batch_size=1000,
    )
    saved = Account.objects.in_bulk(
        [account.external_id for account, _people in rows], field_name="external_id"
    )
    ordered = [(saved[account.external_id], people) for account, people in rows]
    # ignore_conflicts: a contact already seeded keeps its row (and any portal user on it).
    Contact.objects.bulk_create(_contact_rows(rng, ordered), ignore_conflicts=True, batch_size=2000)
    seeded = [account for account, _people in ordered]

    first_account = seeded[0]
    champion = first_account.contacts.order_by("-is_champion", "pk").first()
    admin = _upsert_user(logins[Role.ADMIN])
    if sso_secret_current() is None:
        # Sign-in from the vendor's product works out of the box: `manage.py sso_link`
        # signs the demo customer's link with it (README).
        sso_secret_rotate(actor=admin)
    seed_widget(admin=admin)  # the stand-in vendor page at /widget/demo/ may embed it
    _upsert_user(logins[Role.PM])
    _upsert_user(logins[Role.CUSTOMER], contact=champion)
    for login, account in zip((SPANISH_CUSTOMER, GREEK_CUSTOMER), seeded[1:], strict=False):
        contact = account.contacts.order_by("-is_champion", "pk").first()
        _upsert_user(login, contact=contact)

    _seed_access(first_account, admin=admin, today_contact=champion)

    with one_announcement():  # the seed's three imports and its accounts: one recompute
        if activity:
            seed_activity(
                accounts=seeded,
                parts=dict(zip([a.pk for a in seeded], parts, strict=True)),
                seed=seed,
                today=today,
            )
        announce_account_data_changed(account.pk for account in seeded)
    return DemoSummary(
        accounts=len(seeded),
        contacts=Contact.objects.filter(account__in=seeded).count(),
        users=User.objects.count(),
    )
