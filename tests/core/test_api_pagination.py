"""``?page=`` and ``?page_size=`` are whole numbers in range, or a 400 naming them; a page
beyond the last is a 404 naming the last; an empty value is no value."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from tests.accounts.factories import AccountFactory
from tests.feedback.factories import IdeaFactory

LISTS = {
    "customer": ["/api/ideas/", "/api/notifications/", "/api/roadmap-items/"],
    "csm": ["/api/accounts/", "/api/contacts/", "/api/health/", "/api/import-jobs/"],
}
BAD_PAGES = ["0", "-1", "abc", "1.5", "+1", " 1", "\u0661"]  # the last: an Arabic-Indic one
BAD_PAGE_SIZES = ["0", "-1", "abc", "501", "99999999999999999999999999", "2e2"]


def _assert_names(response, parameter: str) -> None:
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == [parameter]
    assert body[parameter][0]


@pytest.mark.django_db
@pytest.mark.parametrize("actor", list(LISTS))
def test_a_bad_page_is_a_400_naming_it(actors, actor):
    for url in LISTS[actor]:
        for page in BAD_PAGES:
            _assert_names(actors[actor].get(url, {"page": page}), "page")


@pytest.mark.django_db
@pytest.mark.parametrize("actor", list(LISTS))
def test_a_bad_page_size_is_a_400_naming_it(actors, actor):
    for url in LISTS[actor]:
        for size in BAD_PAGE_SIZES:
            _assert_names(actors[actor].get(url, {"page_size": size}), "page_size")


def _assert_no_such_page(response, last: int) -> None:
    assert response.status_code == 404, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": f"There is no page {response.wsgi_request.GET['page']}: the last is {last}."
    }


@pytest.mark.django_db
def test_a_page_beyond_the_last_is_a_404_saying_which_is_last(actors):
    IdeaFactory.create_batch(3)
    client = actors["customer"]
    assert client.get("/api/ideas/", {"page": 2, "page_size": 2}).status_code == 200
    _assert_no_such_page(client.get("/api/ideas/", {"page": 3, "page_size": 2}), last=2)
    _assert_no_such_page(client.get("/api/ideas/", {"page": "9" * 30}), last=1)


@pytest.mark.django_db
def test_an_empty_list_has_its_first_page_only(actors):
    client = actors["customer"]
    response = client.get("/api/roadmap-items/", {"page": 1})
    assert (response.status_code, response.json()["results"]) == (200, [])
    _assert_no_such_page(client.get("/api/roadmap-items/", {"page": 2}), last=1)


@pytest.mark.django_db
def test_an_empty_page_or_page_size_is_no_value(actors):
    IdeaFactory.create_batch(3)
    body = actors["customer"].get("/api/ideas/", {"page": "", "page_size": ""}).json()
    assert (body["count"], len(body["results"])) == (3, 3)


@pytest.mark.django_db
def test_pages_in_range_are_served(actors):
    AccountFactory.create_batch(3)
    client = actors["csm"]
    body = client.get("/api/accounts/", {"page": "2", "page_size": "2"}).json()
    assert body["count"] == 5  # account A and B of the actors, and these three
    assert len(body["results"]) == 2
    assert client.get("/api/accounts/", {"page_size": 500}).status_code == 200


def test_the_schema_states_the_bounds(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target), "--format", "openapi-json")
    schema = json.loads(target.read_text())
    parameters = {p["name"]: p for p in schema["paths"]["/api/ideas/"]["get"]["parameters"]}
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert parameters["page"]["allowEmptyValue"]
    assert parameters["page_size"]["allowEmptyValue"]
    assert "404" in schema["paths"]["/api/ideas/"]["get"]["responses"]
