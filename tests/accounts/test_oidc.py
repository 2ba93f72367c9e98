"""Staff single sign-on, end to end against a real OpenID Connect provider.

The provider is django-oauth-toolkit running in its own process (tests/oidc_provider),
so every step is the real one: csplatform reads the provider's discovery document,
sends the person to its authorization endpoint with a PKCE challenge, the person signs
in and consents there, and csplatform exchanges the code (with the verifier and its
client secret) for tokens, checks the ID token and reads userinfo. The person's browser
at the provider is a ``requests`` session; at csplatform it is Django's test client.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.roles import Role
from tests.accounts.factories import UserFactory
from tests.oidc_provider.harness import LocalOidcProvider

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The named inputs of a page's first form, hidden ones included (CSRF token, the
    authorization request's parameters), as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._forms = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            self._forms += 1
        named = dict(attrs)
        submit = named.get("type") == "submit"
        if tag == "input" and self._forms == 1 and named.get("name") and not submit:
            self.fields[str(named["name"])] = named.get("value") or ""


def _fields(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


class ProviderRefused(AssertionError):
    """The provider did not let the person through: no code came back to csplatform."""


def _sign_in(
    client: Client, provider: LocalOidcProvider, username: str, password: str = "idp-password"
) -> HttpResponse:
    """Press "Sign in with Single sign-on" on csplatform, sign in and consent at the
    provider, and follow the provider's redirect back to csplatform's callback.

    Returns csplatform's answer to the callback. Raises ProviderRefused when the provider
    keeps the person on its sign-in page (wrong password, removed or disabled person).
    """
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "staff"}))
    assert start.status_code == 302, start
    authorize = urlsplit(start["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == (
        f"{provider.issuer}/authorize/"
    ), "the authorization endpoint comes from the provider's discovery document"
    request = parse_qs(authorize.query)
    assert request["response_type"] == ["code"]
    assert request["code_challenge_method"] == ["S256"]
    assert set(request["scope"][0].split()) >= {"openid", "email", "profile"}

    browser = requests.Session()
    login_page = browser.get(start["Location"], timeout=10)
    assert urlsplit(login_page.url).path == "/login/", login_page.url
    consent = browser.post(
        login_page.url,
        data={**_fields(login_page.text), "username": username, "password": password},
        timeout=10,
    )
    if urlsplit(consent.url).path == "/login/":
        raise ProviderRefused(f"the provider kept {username} on its sign-in page")
    assert "Authorize" in consent.text, consent.text
    back = browser.post(
        consent.url,
        data={**_fields(consent.text), "allow": "Authorize"},
        allow_redirects=False,
        timeout=10,
    )
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    assert callback.path == reverse("openid_connect_callback", kwargs={"provider_id": "staff"})
    assert "code" in parse_qs(callback.query)
    return client.get(f"{callback.path}?{callback.query}")


def _signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_new_staff_member_signs_in_with_the_role_their_group_maps_to(staff_sso):
    sub = staff_sso.person_set(
        "nora", email="nora@vendor.example", name="Nora Quinn", groups=("cs-team", "everyone")
    )
    client = Client()

    answer = _sign_in(client, staff_sso, "nora")

    assert answer.status_code == 302
    assert answer["Location"] == reverse("home")
    user = _signed_in_user(client)
    assert user is not None
    assert (user.email, user.role, user.is_staff) == ("nora@vendor.example", Role.CSM, False)
    assert SocialAccount.objects.get(user=user).uid == sub
    page = client.get(reverse("home"), follow=True)
    assert (page.status_code, page.wsgi_request.user) == (200, user)


def test_a_staff_member_an_admin_created_is_matched_by_address_and_keeps_their_role(
    staff_sso,
):
    """No group of theirs maps to a role: the role an admin gave them stands."""
    pm = UserFactory(username="pia", email="pia@vendor.example", role=Role.PM)
    staff_sso.person_set("pia.at.idp", email="pia@vendor.example", groups=("everyone",))
    client = Client()

    assert _sign_in(client, staff_sso, "pia.at.idp").status_code == 302

    assert _signed_in_user(client) == pm
    pm.refresh_from_db()
    assert pm.role == Role.PM
    assert SocialAccount.objects.filter(user=pm).count() == 1


def test_a_person_we_do_not_know_is_refused(staff_sso):
    """Known to the provider, in no mapped group, and no staff member here."""
    staff_sso.person_set("stranger", email="stranger@vendor.example", groups=("everyone",))
    client = Client()

    answer = _sign_in(client, staff_sso, "stranger")

    assert answer.status_code == 403
    assert "account/sso_refused.html" in [t.name for t in answer.templates]
    assert _signed_in_user(client) is None
    assert not User.objects.filter(email="stranger@vendor.example").exists()


def test_a_customer_cannot_get_in_through_the_vendors_provider(staff_sso, customer_a):
    """The same address as a customer's does not make the provider's person that
    customer, nor a staff member."""
    staff_sso.person_set("cust", email=customer_a.email, groups=("everyone",))
    client = Client()

    assert _sign_in(client, staff_sso, "cust").status_code == 403
    assert _signed_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_a_change_of_group_at_the_provider_changes_the_role_at_the_next_sign_in(staff_sso):
    staff_sso.person_set("omar", email="omar@vendor.example", groups=("cs-team",))
    assert _sign_in(Client(), staff_sso, "omar").status_code == 302
    omar = User.objects.get(email="omar@vendor.example")
    assert (omar.role, omar.is_staff) == (Role.CSM, False)

    staff_sso.person_set("omar", email="omar@vendor.example", groups=("cs-team", "it-admins"))
    client = Client()
    assert _sign_in(client, staff_sso, "omar").status_code == 302

    assert _signed_in_user(client) == omar
    omar.refresh_from_db()
    assert (omar.role, omar.is_staff) == (Role.ADMIN, True)


@pytest.mark.parametrize("offboarding", ["removed", "disabled"])
def test_a_person_removed_or_disabled_at_the_provider_cannot_sign_in(staff_sso, offboarding):
    staff_sso.person_set("lee", email="lee@vendor.example", groups=("product",))
    assert _sign_in(Client(), staff_sso, "lee").status_code == 302

    if offboarding == "removed":
        staff_sso.person_remove("lee")
    else:
        staff_sso.person_set("lee", email="lee@vendor.example", groups=("product",), active=False)
    client = Client()
    with pytest.raises(ProviderRefused):
        _sign_in(client, staff_sso, "lee")

    assert _signed_in_user(client) is None


def test_a_staff_member_deactivated_here_is_refused_though_the_provider_vouches(staff_sso):
    staff_sso.person_set("max", email="max@vendor.example", groups=("cs-team",))
    assert _sign_in(Client(), staff_sso, "max").status_code == 302
    User.objects.filter(email="max@vendor.example").update(is_active=False)
    client = Client()

    assert _sign_in(client, staff_sso, "max").status_code == 403
    assert _signed_in_user(client) is None


def test_with_password_sign_in_off_staff_must_use_single_sign_on(staff_sso, settings, csm):
    """Customers keep their password; staff are sent to the provider."""
    settings.STAFF_PASSWORD_LOGIN = False
    UserFactory(username="cara", role=Role.CUSTOMER)
    client = Client()

    staff_answer = client.post(
        reverse("login"), {"login": "csm", "password": "correct-horse-battery"}
    )
    assert staff_answer.status_code == 200
    assert "use the button below" in staff_answer.content.decode()
    assert _signed_in_user(client) is None

    page = client.get(reverse("login")).content.decode()
    assert reverse("openid_connect_login", kwargs={"provider_id": "staff"}) in page

    customer_answer = client.post(
        reverse("login"), {"login": "cara", "password": "correct-horse-battery"}
    )
    assert customer_answer.status_code == 302
