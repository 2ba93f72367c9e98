"""What a JSON body or a query parameter says must be of the type the schema states:
REST framework and django-filter quietly read a number as text, an object as a list,
and an unknown boolean as no filter."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from feedback.models import Idea
from roadmap.models import RoadmapItem
from tests.accounts.factories import ContactFactory
from tests.feedback.factories import IdeaFactory, TagFactory

JSON = "application/json"


@pytest.mark.django_db
@pytest.mark.parametrize("title", [0, 12345, 1.5, True, ["A title"], {"text": "A title"}])
def test_a_title_that_is_not_text_is_refused(actors, title):
    response = actors["pm"].post("/api/roadmap-items/", {"title": title}, content_type=JSON)
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    response = actors["customer"].post("/api/ideas/", {"title": title}, content_type=JSON)
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    assert not RoadmapItem.objects.exists()
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_a_comment_or_a_note_that_is_not_text_is_refused(actors):
    idea = IdeaFactory()
    response = actors["customer"].post(
        f"/api/ideas/{idea.pk}/comments/", {"body": 42}, content_type=JSON
    )
    assert (response.status_code, list(response.json())) == (400, ["body"])
    response = actors["csm"].post(
        f"/api/ideas/{idea.pk}/vote/",
        {"contact": ContactFactory().pk, "note": 7},
        content_type=JSON,
    )
    assert (response.status_code, list(response.json())) == (400, ["note"])


@pytest.mark.django_db
def test_a_list_of_tags_or_ideas_must_be_a_list(actors):
    TagFactory(slug="exports")
    idea = IdeaFactory()
    for tags in ({}, {"exports": 1}):
        response = actors["customer"].post(
            "/api/ideas/", {"title": "Scheduled exports", "tags": tags}, content_type=JSON
        )
        assert (response.status_code, list(response.json())) == (400, ["tags"])
    response = actors["pm"].post(
        "/api/roadmap-items/", {"title": "Exports", "ideas": {str(idea.pk): 1}}, content_type=JSON
    )
    assert (response.status_code, list(response.json())) == (400, ["ideas"])
    assert Idea.objects.count() == 1


@pytest.mark.django_db
def test_lists_are_still_read_from_json_and_from_forms(actors):
    TagFactory(slug="exports")
    as_json = actors["customer"].post(
        "/api/ideas/", {"title": "Scheduled exports", "tags": ["exports"]}, content_type=JSON
    )
    assert as_json.status_code == 201, as_json.content
    assert [tag["slug"] for tag in as_json.json()["tags"]] == ["exports"]
    as_form = actors["csm"].post("/api/ideas/", {"title": "Exports by SFTP", "tags": ["exports"]})
    assert as_form.status_code == 201, as_form.content


@pytest.mark.django_db
def test_a_customer_vote_body_is_an_object_or_nothing(actors):
    idea = IdeaFactory()
    client = actors["customer"]
    refused = client.post(f"/api/ideas/{idea.pk}/vote/", "null", content_type=JSON)
    assert (refused.status_code, list(refused.json())) == (400, ["detail"])
    refused = client.post(f"/api/ideas/{idea.pk}/vote/", "[1]", content_type=JSON)
    assert refused.status_code == 400
    assert client.post(f"/api/ideas/{idea.pk}/vote/").json()["voted"] is True


@pytest.mark.django_db
def test_a_boolean_filter_takes_true_or_false_only(actors):
    ContactFactory(is_champion=True)
    ContactFactory(is_champion=False)
    client = actors["csm"]
    champions = client.get("/api/contacts/", {"is_champion": "true"}).json()
    assert [row["is_champion"] for row in champions["results"]] == [True]
    others = client.get("/api/contacts/", {"is_champion": "false"}).json()["results"]
    assert {row["is_champion"] for row in others} == {False}
    for value in ("maybe", "-58800", "1", "yes"):
        response = client.get("/api/contacts/", {"is_champion": value})
        assert (response.status_code, list(response.json())) == (400, ["is_champion"]), value


def test_request_bodies_are_documented_as_json():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method == "parameters" or "requestBody" not in operation:
                continue
            media = set(operation["requestBody"]["content"])
            expected = {JSON, "text/csv"} if path == "/api/import/{kind}/" else {JSON}
            assert media == expected, (method, path)
    contacts = schema["paths"]["/api/contacts/"]["get"]["parameters"]
    assert next(p for p in contacts if p["name"] == "is_champion")["schema"] == {"type": "boolean"}
