"""Sign-in from the vendor's product in Chromium: an admin creates the secret, the
vendor's server (PyJWT here) signs a link with it, and the customer who opens the link
lands on the board signed in and votes; a spent link gets the friendly refusal."""

from __future__ import annotations

import re
import time
import uuid

import jwt
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.roles import Role
from feedback.models import Vote
from tests.accounts.factories import AccountFactory, UserFactory
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _vendor_link(origin: str, secret: str, **claims) -> str:
    now = int(time.time())
    token = jwt.encode(
        {
            "email": "ana@acme.example",
            "name": "Ana Díaz",
            "account": "ACME-1",
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
            **claims,
        },
        secret,
        algorithm="HS256",
    )
    return f"{origin}/sso/?token={token}"


def _serious(violations: list[dict]) -> list[str]:
    return [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]


def test_admin_creates_the_secret_and_a_customer_signs_in_with_a_link_and_votes(
    sign_in, live_server, browser, artefacts
):
    UserFactory(username="e2e-admin", role=Role.ADMIN, is_staff=True)
    AccountFactory(name="Acme Corp", external_id="ACME-1")
    idea = IdeaFactory(title="Export reports to Excel")

    admin = sign_in("e2e-admin")
    admin.get_by_text("Manage", exact=True).click()
    admin.get_by_role("link", name="Sign-in from your product").click()
    admin.get_by_role("button", name="Create the secret").click()
    expect(admin.get_by_text("The sign-in secret was created.")).to_be_visible()
    admin.get_by_text("Show the secret").click()
    secret = admin.get_by_test_id("sso-secret").inner_text().strip()
    assert len(secret) >= 40
    assert _serious(Axe().run(admin).response["violations"]) == []
    admin.screenshot(path=artefacts / "sso-settings.png", full_page=True)
    admin.get_by_role("link", name="How to make a token").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("How to make a sign-in token")
    admin.screenshot(path=artefacts / "sso-docs.png", full_page=True)

    customer = browser.new_context().new_page()
    customer.goto(_vendor_link(live_server.url, secret, return_to="/ideas/?sort=top"))
    expect(customer).to_have_url(re.compile(r"/ideas/\?sort=top$"))
    expect(customer.get_by_role("heading", level=1)).to_have_text("Ideas")
    customer.wait_for_load_state("load")  # htmx is a deferred script
    customer.get_by_role("button", name="Vote for “Export reports to Excel”").click()
    voted = customer.get_by_role("button", name="Remove your vote for “Export reports to Excel”")
    expect(voted).to_have_attribute("aria-pressed", "true")
    customer.screenshot(path=artefacts / "sso-signed-in-board.png")
    vote = Vote.objects.get(idea=idea)
    assert (vote.contact.email, vote.contact.account.external_id) == (
        "ana@acme.example",
        "ACME-1",
    )


def test_a_spent_link_shows_a_friendly_refusal(live_server, page, admin_user, artefacts):
    from accounts.services import sso_secret_rotate

    secret = sso_secret_rotate(actor=admin_user).secret
    AccountFactory(external_id="ACME-1")
    link = _vendor_link(live_server.url, secret)
    assert page.goto(link).ok

    other = page.context.browser.new_context().new_page()
    response = other.goto(link)

    assert response.status == 400
    expect(other.get_by_role("heading", level=1)).to_have_text("We could not sign you in")
    expect(other.get_by_text("This sign-in link was already used.")).to_be_visible()
    other.screenshot(path=artefacts / "sso-refused.png")
    assert _serious(Axe().run(other).response["violations"]) == []
