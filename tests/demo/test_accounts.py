"""seed_demo: deterministic, idempotent, one working login per role."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import Account, AccountDomain, Contact, Invitation, User
from core.models import Job
from core.roles import Role
from demo.cast import DORMANT, cast
from demo.services.accounts import DEMO_LOGINS, DEMO_PASSWORD, LANGUAGE_LOGINS, seed_demo

pytestmark = pytest.mark.django_db
#: The pinned day (tests/clock.py): the demo's usage must not lie ahead of the clock.
DAY = timezone.localdate()


def _snapshot():
    return sorted(Account.objects.values_list("external_id", "name", "arr", "segment", "renews_on"))


def test_running_twice_duplicates_nothing():
    seed_demo(accounts=15, seed=7, today=DAY)
    counts = (Account.objects.count(), Contact.objects.count(), User.objects.count())
    first = _snapshot()
    seed_demo(accounts=15, seed=7, today=DAY)
    assert (Account.objects.count(), Contact.objects.count(), User.objects.count()) == counts
    assert _snapshot() == first


def test_another_seed_gives_other_data():
    seed_demo(accounts=15, seed=1, today=DAY)
    one = _snapshot()
    seed_demo(accounts=15, seed=2, today=DAY)
    assert _snapshot() != one


def test_data_is_realistic():
    seed_demo(accounts=40, seed=3, today=DAY)
    accounts = Account.objects.all()
    assert {a.segment for a in accounts} >= {"SMB", "Mid-market"}
    assert all(a.arr > 0 and a.licensed_seats > 0 for a in accounts)
    assert all(a.started_on < DAY < a.renews_on for a in accounts)
    assert all(a.csm_owner.role == Role.CSM for a in accounts)
    assert all(3 <= a.contacts.count() <= 12 for a in accounts)
    # Seats a little above the people known there: "active users per seat" means something.
    assert all(a.contacts.count() <= a.licensed_seats <= 2 * a.contacts.count() for a in accounts)


def test_every_demo_login_signs_in_with_the_documented_password():
    seed_demo(accounts=5, seed=1, today=DAY)
    for login in [*DEMO_LOGINS, *LANGUAGE_LOGINS]:
        assert Client().login(username=login.username, password=DEMO_PASSWORD), login.username
        assert User.objects.get(username=login.username).role == login.role
    assert User.objects.get(username="customer").contact is not None


def test_seeding_recomputes_health_once_for_every_seeded_account(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo(accounts=5, seed=1, today=DAY)
    # One for the seed's data, though it ran three imports; the onboarding recompute the
    # same announcement woke then asks again for the accounts whose TTFV it set.
    seeded, *after_ttfv = Job.objects.filter(kind="health").order_by("pk")
    assert seeded.account_ids == sorted(Account.objects.values_list("pk", flat=True))
    assert len(after_ttfv) <= 1
    for run in (seeded, *after_ttfv):
        assert run.status == Job.Status.SUCCEEDED


@pytest.mark.any_day
def test_demo_activity_tells_engaged_declining_and_dormant_stories():
    from accounts.models import DailyActivity, SurveyResponse, Ticket, UsageEvent

    seed_demo(accounts=30, seed=5, today=DAY)
    events = UsageEvent.objects.count()
    assert events > 5_000
    assert Ticket.objects.exists()
    assert SurveyResponse.objects.exists()
    # The dormant accounts were active two months ago and silent for the last five weeks.
    dormant = {
        account.pk
        for account, part in zip(Account.objects.order_by("external_id"), cast(30, 5), strict=True)
        if part.usage == DORMANT
    }
    active = DailyActivity.objects.values_list("account", flat=True)
    early = set(active.filter(day__range=(DAY - timedelta(days=60), DAY - timedelta(days=51))))
    late = set(active.filter(day__gte=DAY - timedelta(days=35)))
    assert dormant
    assert dormant <= early
    assert not dormant & late
    assert late
    seed_demo(accounts=30, seed=5, today=DAY)
    assert UsageEvent.objects.count() == events


def test_command_if_empty_leaves_existing_data_and_prints_logins():
    call_command("seed_demo", "--accounts", "3", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--accounts", "9", "--if-empty", stdout=out)
    assert Account.objects.count() == 3
    assert "already present" in out.getvalue()
    assert all(login.username in out.getvalue() for login in [*DEMO_LOGINS, *LANGUAGE_LOGINS])


def test_the_demo_customer_signs_in_with_the_readme_sso_link(settings):
    """README: `manage.py sso_link --email customer@demo.csplatform.test --account
    DEMO-00001` prints a link that signs the demo customer in; reseeding keeps the secret."""
    from accounts.models import SsoSecret

    seed_demo(accounts=5, seed=1, today=DAY, activity=False)
    secret = SsoSecret.objects.get(is_current=True)
    seed_demo(accounts=5, seed=1, today=DAY, activity=False)
    assert SsoSecret.objects.get() == secret

    settings.SITE_URL = "http://testserver"
    out = StringIO()
    call_command(
        "sso_link", "--email=customer@demo.csplatform.test", "--account=DEMO-00001", stdout=out
    )
    client = Client()
    response = client.get(out.getvalue().strip().removeprefix("http://testserver"))

    assert response["Location"] == "/ideas/"
    assert client.get("/api/me/").json()["username"] == "customer"


def test_the_demo_has_a_contact_waiting_on_an_invitation_and_a_verified_domain():
    seed_demo(accounts=5, seed=4, today=DAY)
    seed_demo(accounts=5, seed=4, today=DAY)  # seeding again adds nothing

    waiting = Invitation.objects.get()
    assert waiting.status == Invitation.Status.PENDING
    assert waiting.contact.email == waiting.email
    first = waiting.contact.account
    domain = AccountDomain.objects.get()
    assert (domain.account, domain.domain) == (first, first.domain)
    first.refresh_from_db()
    assert first.self_signup
    assert first.signup_needs_approval
