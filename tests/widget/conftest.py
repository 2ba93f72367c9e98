"""The widget's cast: two accounts on two onboarding templates, the vendor's secret, an
allowed origin, and the vendor's server signing tokens with PyJWT."""

from __future__ import annotations

import itertools
import time
import uuid

import jwt
import pytest
from django.test import Client

from accounts import services as account_services
from tests.accounts.factories import AccountFactory
from tests.ttfv.factories import MilestoneFactory, MilestoneTemplateFactory, OnboardingFactory
from ttfv.models import MilestoneProgress, Onboarding
from ttfv.services import today_utc
from widget.models import AllowedOrigin

ORIGIN = "https://app.vendor.example"
API = "/widget/api/"
_addresses = itertools.count(1)


def vendor_token(secret: str, *, email: str, account: str, **claims) -> str:
    """What the vendor's server does: the same token as for sign-in links."""
    now = int(time.time())
    payload = {
        "email": email,
        "name": email.split("@")[0].title(),
        "account": account,
        "iat": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
        **claims,
    }
    return jwt.encode(payload, secret, "HS256")


@pytest.fixture
def browser() -> Client:
    """A browser on the vendor's page, of its own address (the attempt limit)."""
    n = next(_addresses)
    return Client(REMOTE_ADDR=f"203.0.{n // 250}.{n % 250 + 1}", headers={"Origin": ORIGIN})


@pytest.fixture
def secret(admin_user) -> str:
    return account_services.sso_secret_rotate(actor=admin_user).secret


@pytest.fixture
def allowed(db) -> AllowedOrigin:
    return AllowedOrigin.objects.create(origin=ORIGIN)


def _onboarding(account, *, plan: str, names: list[str], reached: int, status: str):
    template = MilestoneTemplateFactory(name=f"Onboarding {plan}", plan=plan)
    steps = [
        MilestoneFactory(
            template=template,
            name=name,
            position=i,
            target_offset_days=10 * (i + 1),
            how_to=f"How to {name}",
            help_url=f"https://app.vendor.example/{i}",
            is_first_value=(i == len(names) - 1),
        )
        for i, name in enumerate(names)
    ]
    OnboardingFactory(account=account, template=template, ttfv=None, days_ago=5, status=status)
    for step in steps[:reached]:
        MilestoneProgress.objects.create(
            account=account, milestone=step, achieved_on=today_utc(), source="auto"
        )
    return steps


@pytest.fixture
def acme(db):
    account = AccountFactory(name="Acme", external_id="ACME-1", plan="Acme plan")
    account.steps = _onboarding(
        account,
        plan="Acme plan",
        names=["Connect data", "Invite team", "Share a report"],
        reached=1,
        status=Onboarding.Status.AT_RISK,
    )
    return account


@pytest.fixture
def globex(db):
    account = AccountFactory(name="Globex", external_id="GLOBEX-1", plan="Globex plan")
    account.steps = _onboarding(
        account,
        plan="Globex plan",
        names=["Install agent", "First dashboard"],
        reached=0,
        status=Onboarding.Status.ON_TRACK,
    )
    return account


@pytest.fixture
def session_for(secret, allowed):
    """A widget session token for a person of an account, through the real door."""

    def start(email: str, account: str, client: Client | None = None) -> str:
        client = client or Client(headers={"Origin": ORIGIN})
        response = client.post(
            API + "session/",
            headers={"X-Widget-Token": vendor_token(secret, email=email, account=account)},
        )
        assert response.status_code == 201, response.content
        return response.json()["token"]

    return start


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Origin": ORIGIN}
