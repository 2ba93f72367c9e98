"""Choosing the language: saved choice, then cookie, then Accept-Language, then the
installation's default; the switcher and the settings page that set it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/login/"
#: A page every signed-in person may open (the sign-in page sends them home).
SETTINGS = "/me/"


def _language(client: Client, path: str = SIGN_IN, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response["Content-Language"]


def _with_cookie(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_installation_default_applies_when_nothing_else_names_a_language(settings):
    settings.LANGUAGE_CODE = "es"
    assert _language(Client()) == "es"
    settings.LANGUAGE_CODE = "en"
    assert _language(Client()) == "en"


def test_accept_language_outranks_the_default(settings):
    settings.LANGUAGE_CODE = "es"
    assert _language(Client(), accept_language="el-GR,el;q=0.9,en;q=0.5") == "el"
    # A language we do not have falls through to the default.
    assert _language(Client(), accept_language="ja") == "es"


def test_the_cookie_outranks_accept_language():
    client = _with_cookie(Client(), "es")
    assert _language(client, accept_language="el") == "es"


def test_a_signed_in_persons_saved_language_outranks_the_cookie_and_the_browser(client_for):
    greek = UserFactory(role=Role.CSM, language="el")
    client = _with_cookie(client_for(greek), "es")
    assert _language(client, SETTINGS, accept_language="en") == "el"
    page = client.get(reverse("user_settings"), headers={"accept-language": "es"})
    assert 'lang="el"' in page.content.decode()
    assert "Οι ρυθμίσεις σας" in page.content.decode()


def test_without_a_saved_language_a_signed_in_person_follows_cookie_then_browser(client_for):
    client = client_for(UserFactory(role=Role.PM, language=""))
    assert _language(client, SETTINGS, accept_language="el") == "el"
    assert _language(_with_cookie(client, "es"), SETTINGS, accept_language="el") == "es"


def test_the_switcher_sets_the_cookie_and_goes_back_for_anyone():
    client = Client()
    response = client.post(reverse("set_language"), {"language": "el", "next": "/roadmap/"})
    assert response.status_code == 302
    assert response["Location"] == "/roadmap/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "el"
    assert _language(client) == "el"


def test_the_switcher_saves_a_signed_in_persons_choice_so_it_survives_signing_out(client_for):
    customer = UserFactory(role=Role.CUSTOMER, language="")
    client = client_for(customer)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    customer.refresh_from_db()
    assert customer.language == "es"

    # Another device, another cookie: the saved choice still wins once signed in.
    elsewhere = _with_cookie(Client(), "el")
    elsewhere.force_login(customer)
    assert _language(elsewhere, SETTINGS) == "es"


def test_the_switcher_ignores_a_language_we_do_not_have(client_for):
    person = UserFactory(role=Role.CSM, language="el")
    client = client_for(person)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "el"


def test_the_switcher_is_on_the_sign_in_page_and_in_the_header(client_for):
    sign_in = Client().get(SIGN_IN).content.decode()
    assert 'id="language-sign-in"' in sign_in
    assert 'id="language-header"' in sign_in
    # Each language named in itself, marked with its own lang for screen readers.
    assert '<option value="el" lang="el"' in sign_in
    assert ">Ελληνικά</option>" in sign_in
    assert ">Español</option>" in sign_in
    assert f'action="{reverse("set_language")}"' in sign_in


@pytest.mark.parametrize("role", list(Role))
def test_everyone_edits_their_own_settings(role, client_for, django_assert_max_num_queries):
    person = UserFactory(role=role, language="", time_zone="UTC")
    client = client_for(person)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("user_settings")).status_code == 200
    response = client.post(
        reverse("user_settings"), {"language": "el", "time_zone": "Europe/Athens"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("el", "Europe/Athens")


def test_the_settings_page_refuses_an_unknown_zone_and_keeps_the_rest(client_for):
    person = UserFactory(role=Role.CSM, language="es", time_zone="UTC")
    response = client_for(person).post(
        reverse("user_settings"), {"language": "el", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "Mars/Olympus" in response.content.decode()
    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("es", "UTC")


def test_signing_in_is_needed_for_the_settings_page():
    response = Client().get(reverse("user_settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
