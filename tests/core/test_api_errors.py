"""Under /api/ every error is JSON, whatever the Accept header; elsewhere the friendly
pages stay."""

from __future__ import annotations

import pytest
from django.test import Client

ACCEPTS = ["application/json", "text/html", "*/*", ""]

UNKNOWN = [
    "/api/nope/",
    "/api/ideas/1/nope/",
    "/api/accounts/1/nothing/",
    "/api/v2/ideas/",
]
NON_NUMERIC_IDS = [
    "/api/ideas/abc/",
    "/api/ideas/abc/vote/",
    "/api/ideas/abc/comments/",
    "/api/accounts/abc/",
    "/api/accounts/abc/health/",
    "/api/accounts/abc/onboarding/",
    "/api/contacts/abc/",
    "/api/import-jobs/abc/",
    "/api/product-risks/abc/",
    "/api/roadmap-items/abc/",
    "/api/roadmap-items/abc/move/",
    "/api/notifications/abc/read/",
]


def _assert_json_404(response) -> None:
    assert response.status_code == 404, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
@pytest.mark.parametrize("url", UNKNOWN + NON_NUMERIC_IDS)
def test_unknown_api_routes_answer_a_json_404_whatever_the_accept_header(actors, url):
    for actor in ("anonymous", "customer", "admin"):
        for accept in ACCEPTS:
            _assert_json_404(actors[actor].get(url, HTTP_ACCEPT=accept))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unknown_api_routes_answer_a_json_404_to_every_method(actors, method):
    response = getattr(actors["pm"], method)("/api/nope/", HTTP_ACCEPT="text/html")
    _assert_json_404(response)


@pytest.mark.django_db
def test_an_unknown_api_route_is_not_found_even_without_a_csrf_token(pm):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pm)
    _assert_json_404(client.post("/api/nope/"))


@pytest.mark.django_db
def test_a_get_without_its_trailing_slash_is_sent_on_in_json(actors):
    response = actors["customer"].get("/api/ideas?status=open", HTTP_ACCEPT="text/html")
    assert response.status_code == 301
    assert response["Location"] == "/api/ideas/?status=open"
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_a_post_without_its_trailing_slash_is_told_the_address(actors):
    response = actors["customer"].post(
        "/api/ideas", {"title": "Dark mode"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert "/api/ideas/" in response.json()["detail"]


@pytest.mark.django_db
def test_pages_keep_the_friendly_404(actors):
    response = actors["customer"].get("/nothing-here/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page not found" in response.content.decode()


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize("accept", ACCEPTS)
def test_a_server_error_under_the_api_is_json(accept):
    client = Client(raise_request_exception=False)
    response = client.get("/api/explode/", HTTP_ACCEPT=accept)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


@pytest.mark.urls("tests.core.error_urls")
def test_a_server_error_of_a_page_is_the_friendly_page():
    client = Client(raise_request_exception=False)
    response = client.get("/page/explode/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize(("name", "status"), [("suspicious", 400), ("forbidden", 403)])
def test_django_errors_under_the_api_are_json_and_pages_keep_their_templates(name, status):
    client = Client()
    api = client.get(f"/api/{name}/", HTTP_ACCEPT="text/html")
    assert api.status_code == status
    assert set(api.json()) == {"detail"}
    page = client.get(f"/page/{name}/")
    assert page.status_code == status
    assert page["Content-Type"].startswith("text/html")
