"""Staff single sign-on in Chromium, through the local OpenID Connect provider
(tests/oidc_provider): the sign-in page's button sends the person to the provider, they
sign in and consent there, and come back signed in to csplatform with the role their
group maps to. A person the provider knows but csplatform does not gets the refusal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from core.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _through_the_provider(page: Page, origin: str, username: str) -> None:
    """From csplatform's sign-in page to the provider and back, as a person clicks it."""
    page.goto(f"{origin}/login/")
    page.get_by_role("button", name="Sign in with Single sign-on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local identity provider")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("idp-password")
    page.get_by_role("button", name="Sign in at the provider").click()
    expect(page.get_by_text("Application requires the following permissions")).to_be_visible()
    with page.expect_navigation(url=re.compile(re.escape(origin))):
        page.get_by_role("button", name="Authorize").click()


def test_a_staff_member_signs_in_through_the_provider_and_lands_on_their_home(
    page, live_server, staff_sso, artefacts
):
    staff_sso.person_set(
        "pat", email="pat@vendor.example", name="Pat Lindqvist", groups=("product",)
    )

    _through_the_provider(page, live_server.url, "pat")

    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/ideas/triage/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage")
    page.screenshot(path=artefacts / "staff-sso-signed-in.png")
    pat = User.objects.get(email="pat@vendor.example")
    assert (pat.role, pat.is_active) == (Role.PM, True)


def test_a_person_csplatform_does_not_know_sees_the_refusal(page, live_server, staff_sso):
    staff_sso.person_set("guest", email="guest@vendor.example", groups=("everyone",))

    _through_the_provider(page, live_server.url, "guest")

    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on refused")
    page.get_by_role("link", name="Back to sign in").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    assert not User.objects.filter(email="guest@vendor.example").exists()
