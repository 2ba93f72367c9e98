"""One-click unsubscribe: a signed link per person and category that works signed out;
GET asks first, POST (the page's button, or a mail client's RFC 8058 one-click)
turns the category off. Every notification e-mail carries it and its headers."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core import i18n
from core.roles import Role
from notifications import services
from notifications.services.alerts import AlertDraft
from tests.accounts.factories import UserFactory
from tests.actors import ACTORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def csm():
    return UserFactory(role=Role.CSM, email="csm@vendor.test")


def _path(user, category="health"):
    return reverse(
        "notifications:unsubscribe",
        args=[services.unsubscribe_token(user_id=user.pk, category=category)],
    )


def test_an_instant_email_carries_the_link_and_the_one_click_headers(
    csm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.alerts_raise(
            [
                AlertDraft(
                    kind="health.band_drop",
                    recipient_id=csm.pk,
                    title=i18n.deferred("Acme dropped"),
                    dedupe_key="x",
                )
            ]
        )
    (message,) = mail.outbox
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    # The mail client's one-click POST, signed out, without a CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(url).path,
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert services.preferences_of(csm)["health"] == "off"


def test_get_asks_for_confirmation_and_changes_nothing(csm):
    response = Client().get(_path(csm))
    assert response.status_code == 200
    assert b"Health alerts" in response.content
    assert b'method="post"' in response.content
    assert services.preferences_of(csm)["health"] == "instant"


def test_the_confirm_button_unsubscribes_and_says_so(csm):
    response = Client().post(_path(csm, "ideas"))
    assert b"no longer receive" in response.content
    assert services.preferences_of(csm)["ideas"] == "off"
    assert services.preferences_of(csm)["health"] == "instant"


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:forged:signature"])
def test_a_bad_token_gets_a_friendly_400_and_changes_nothing(csm, token):
    response = Client().post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert b"This link does not work" in response.content


def test_a_token_names_one_person_only(csm):
    other = UserFactory(role=Role.CSM)
    Client().post(_path(csm))
    assert services.preferences_of(other)["health"] == "instant"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_actor_reaches_the_confirm_page_of_a_valid_link(actors, csm, actor):
    """The permission matrix of the unsubscribe URL: the token is the credential, so the
    page is public, signed in or not, and the link acts for its own person only."""
    response = actors[actor].get(_path(csm))
    assert response.status_code == 200
    assert services.preferences_of(csm)["health"] == "instant"
