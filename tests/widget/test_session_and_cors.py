"""The widget's door: the vendor's SSO token becomes an hour-long bearer session, only
from allowed origins; everything else is refused before anything runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import Contact, SsoTokenUse
from tests.widget.conftest import API, ORIGIN, bearer, vendor_token

pytestmark = [pytest.mark.django_db, pytest.mark.needs_postgres]


def test_a_vendor_token_opens_a_session_and_places_the_person_in_their_account(
    browser, secret, allowed, acme
):
    token = vendor_token(secret, email="ana@acme.example", account="ACME-1")
    response = browser.post(API + "session/", headers={"X-Widget-Token": token})
    assert response.status_code == 201
    assert response.json()["expires_in"] == 3600
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Credentials" not in response
    assert not response.cookies  # nothing depends on cookies
    assert Contact.objects.get(email="ana@acme.example").account == acme
    config = browser.get(API + "config/", headers=bearer(response.json()["token"]))
    assert config.status_code == 200


def test_a_token_is_spent_once_as_for_sign_in_links(browser, secret, allowed, acme):
    token = vendor_token(secret, email="ana@acme.example", account="ACME-1")
    assert browser.post(API + "session/", headers={"X-Widget-Token": token}).status_code == 201
    again = browser.post(API + "session/", headers={"X-Widget-Token": token})
    assert again.status_code == 400
    assert again.json()["reason"] == "replayed"


@pytest.mark.parametrize(
    ("token", "reason"),
    [("", "malformed"), ("not.a.token", "malformed"), ("wrong-secret", "bad_signature")],
)
def test_bad_vendor_tokens_are_refused_with_json(browser, secret, allowed, acme, token, reason):
    if token == "wrong-secret":
        token = vendor_token("x" * 40, email="ana@acme.example", account="ACME-1")
    response = browser.post(API + "session/", headers={"X-Widget-Token": token})
    assert response.status_code == 400
    assert response.json()["reason"] == reason


def test_a_preflight_from_an_allowed_origin_names_it(browser, allowed):
    response = browser.options(
        API + "config/",
        headers={
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Authorization" in response["Access-Control-Allow-Headers"]
    assert "Origin" in response["Vary"]


def test_another_origin_gets_a_json_403_without_cors_headers_and_spends_nothing(
    secret, allowed, acme
):
    stranger = Client(headers={"Origin": "https://evil.example"})
    preflight = stranger.options(
        API + "session/", headers={"Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 403
    assert "Access-Control-Allow-Origin" not in preflight
    token = vendor_token(secret, email="ana@acme.example", account="ACME-1")
    refused = stranger.post(API + "session/", headers={"X-Widget-Token": token})
    assert refused.status_code == 403
    assert "detail" in refused.json()
    assert "Access-Control-Allow-Origin" not in refused
    assert not SsoTokenUse.objects.exists()  # the token was not even looked at


def test_no_origin_is_allowed_by_default(secret, acme):
    browser = Client(headers={"Origin": ORIGIN})
    token = vendor_token(secret, email="ana@acme.example", account="ACME-1")
    assert browser.post(API + "session/", headers={"X-Widget-Token": token}).status_code == 403


def test_permissions_matrix(session_for, acme, customer_a, clock):
    token = session_for("ana@acme.example", "ACME-1")
    url = API + "checklist/"
    anonymous = Client(headers={"Origin": ORIGIN})
    assert anonymous.get(url).status_code == 401
    assert anonymous.get(url, headers=bearer("garbage")).status_code == 401
    # A signed-in portal session is not a widget session: the widget takes bearers only.
    signed_in = Client(headers={"Origin": ORIGIN})
    signed_in.force_login(customer_a)
    assert signed_in.get(url).status_code == 401
    assert anonymous.get(url, headers=bearer(token)).status_code == 200
    other_origin = Client(headers={"Origin": "https://other.example"})
    assert other_origin.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 403
    clock.shift(timedelta(minutes=61))
    expired = anonymous.get(url, headers=bearer(token))
    assert expired.status_code == 401
    assert expired.json()["detail"]


def test_a_person_turned_off_loses_the_widget_at_once(session_for, acme):
    from accounts.models import User

    token = session_for("ana@acme.example", "ACME-1")
    User.objects.filter(email="ana@acme.example").update(is_active=False)
    response = Client().get(API + "config/", headers=bearer(token))
    assert response.status_code == 401


def test_widget_js_redirects_to_the_script(client):
    response = client.get("/widget.js")
    assert response.status_code == 302
    assert response["Location"].endswith("widget/widget.js")
