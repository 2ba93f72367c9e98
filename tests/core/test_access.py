"""The permission matrix: every page and endpoint against every actor."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.access import policy_of
from tests.actors import ACTORS

LOGIN = "login"  # anonymous HTML request: redirected to the sign-in page
OK, REDIRECT, BAD_REQUEST, FORBIDDEN, UNAUTHORIZED = 200, 302, 400, 403, 401

# url name -> expected result for anonymous, customer, csm, pm, admin
PAGES = {
    "home": [OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT],
    "api-docs": [LOGIN, OK, OK, OK, OK],
    "accounts:portfolio": [LOGIN, FORBIDDEN, OK, OK, OK],
    "accounts:detail": [LOGIN, FORBIDDEN, OK, OK, OK],
    "accounts:timeline": [LOGIN, FORBIDDEN, OK, OK, OK],
    "accounts:portfolio_views": [LOGIN, FORBIDDEN, OK, OK, OK],
    "accounts:getting_started": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    "accounts:sso_settings": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    "accounts:sso_docs": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    # Open to all: the token is the credential; without one, the refusal page.
    "sso": [BAD_REQUEST, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST],
    "feedback:board": [LOGIN, OK, OK, OK, OK],
    "feedback:triage": [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK],
    "roadmap:public": [OK, OK, OK, OK, OK],
    "roadmap:changelog": [OK, OK, OK, OK, OK],
    "roadmap:feed": [OK, OK, OK, OK, OK],
    "roadmap:editor": [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK],
    "notifications:inbox": [LOGIN, OK, OK, OK, OK],
    "notifications:preferences": [LOGIN, OK, OK, OK, OK],
    "healthz": [OK, OK, OK, OK, OK],
    "login": [OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT],
    "signup": [OK, OK, OK, OK, OK],
    "account_reset_password": [OK, OK, OK, OK, OK],
    "account_request_login_code": [OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT],
    "account_change_password": [LOGIN, OK, OK, OK, OK],
    "account_email": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
}
ENDPOINTS = {
    "api-me": [UNAUTHORIZED, OK, OK, OK, OK],
    "account-list": [UNAUTHORIZED, FORBIDDEN, OK, OK, OK],
    "account-detail": [UNAUTHORIZED, FORBIDDEN, OK, OK, OK],
    "api-account-timeline": [UNAUTHORIZED, FORBIDDEN, OK, OK, OK],
    "contact-list": [UNAUTHORIZED, FORBIDDEN, OK, OK, OK],
    "api-schema": [OK, OK, OK, OK, OK],  # each reader sees what they may call
    "product-risk-list": [UNAUTHORIZED, FORBIDDEN, OK, OK, OK],
    "idea-list": [UNAUTHORIZED, OK, OK, OK, OK],
    "roadmap-item-list": [OK, OK, OK, OK, OK],
    "notification-list": [UNAUTHORIZED, OK, OK, OK, OK],
    "api-notification-preferences": [UNAUTHORIZED, OK, OK, OK, OK],
    "api-invitations": [UNAUTHORIZED, FORBIDDEN, OK, FORBIDDEN, OK],
}
NEEDS_ACCOUNT = {
    "accounts:detail": "account_id",
    "accounts:timeline": "account_id",
    "account-detail": "pk",
    "api-account-timeline": "account_id",
}


def _url(name: str, account) -> str:
    if name in NEEDS_ACCOUNT:
        return reverse(name, kwargs={NEEDS_ACCOUNT[name]: account.pk})
    return reverse(name)


def _cases(table):
    return [
        pytest.param(name, actor, expected[index], id=f"{name}-{actor}")
        for name, expected in table.items()
        for index, actor in enumerate(ACTORS)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "actor", "expected"), _cases(PAGES))
def test_page_access(actors, account_a, name, actor, expected):
    url = _url(name, account_a)
    response = actors[actor].get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected, response.content[:300]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "actor", "expected"), _cases(ENDPOINTS))
def test_endpoint_access(actors, account_a, name, actor, expected):
    response = actors[actor].get(_url(name, account_a), HTTP_ACCEPT="application/json")
    assert response.status_code == expected
    if expected in (UNAUTHORIZED, FORBIDDEN):
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()


#: Forms that only take a POST: who may send one (anonymous, customer, csm, pm, admin).
#: A staff member gets past the role check to the form's own validation (400 or a
#: redirect with the reason); the others never reach it.
POST_ONLY = {
    "accounts:portfolio_bulk": [LOGIN, FORBIDDEN, 400, 400, 400],
    "accounts:portfolio_view_save": [LOGIN, FORBIDDEN, REDIRECT, REDIRECT, REDIRECT],
    "accounts:portfolio_view_default": [LOGIN, FORBIDDEN, REDIRECT, REDIRECT, REDIRECT],
}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "actor", "expected"), _cases(POST_ONLY))
def test_post_only_access(actors, name, actor, expected):
    response = actors[actor].post(reverse(name), {})
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected


@pytest.mark.django_db
def test_forbidden_page_is_friendly(actors):
    response = actors["customer"].get(reverse("accounts:portfolio"))
    assert response.status_code == 403
    assert "have access to this page" in response.content.decode()


@pytest.mark.django_db
def test_unauthenticated_api_call_asks_for_a_token(client):
    response = client.get(reverse("account-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_token_authenticates_api_calls(csm, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=csm)
    response = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["role"] == "csm"


def _all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin site checks is_staff itself
            yield from _all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_route_declares_who_may_open_it():
    """Deny by default only works if nobody forgets: list any route without a policy."""
    undeclared = [route for route, view in _all_patterns() if policy_of(view) is None]
    assert undeclared == []


@pytest.mark.django_db
@pytest.mark.urls("tests.core.undeclared_urls")
def test_view_without_policy_is_refused_even_for_admin(client_for, admin_user, client):
    assert client_for(admin_user).get("/undeclared/").status_code == 403
    assert client.get("/undeclared/")["Location"].startswith("/login/")
    assert client_for(admin_user).get("/undeclared-api/").status_code == 403


@pytest.mark.django_db
def test_an_htmx_click_after_the_session_expired_sends_the_whole_page_to_sign_in(client):
    from tests.feedback.factories import IdeaFactory

    idea = IdeaFactory()
    response = client.post(
        reverse("feedback:vote", args=[idea.pk]),
        {"action": "vote"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/ideas/?sort=trending",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("login") + "?next=/ideas/%3Fsort%3Dtrending"


@pytest.mark.django_db
def test_a_plain_request_of_an_anonymous_visitor_is_redirected_to_sign_in(client):
    response = client.get(reverse("feedback:board"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/ideas/"
