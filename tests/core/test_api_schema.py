"""The generated OpenAPI schema is valid, names a user the same way everywhere, and
documents the error answers every operation can give."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

from tests.accounts.factories import AccountFactory
from tests.ingest.factories import ImportJobFactory


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method, path, operation


def test_the_schema_passes_the_openapi_validator(schema):
    validate(schema)


USER_FIELDS = [
    ("Account", "csm_owner"),
    ("AccountWithHealth", "csm_owner"),
    ("ImportJob", "created_by"),
    ("MilestoneStep", "checked_by"),
]


@pytest.mark.parametrize(("component", "field"), USER_FIELDS)
def test_a_user_is_a_nullable_id_everywhere(schema, component, field):
    declared = schema["components"]["schemas"][component]["properties"][field]
    assert (declared["type"], declared.get("nullable")) == ("integer", True)


@pytest.mark.django_db
def test_the_answers_name_users_as_the_schema_says(client_for, admin_user, csm):
    owned = AccountFactory(csm_owner=csm)
    AccountFactory(csm_owner=None)
    job = ImportJobFactory(created_by=None)
    client = client_for(admin_user)
    accounts = {
        row["id"]: row["csm_owner"] for row in client.get("/api/accounts/").json()["results"]
    }
    assert accounts[owned.pk] == csm.pk
    assert None in accounts.values()
    health = {row["id"]: row["csm_owner"] for row in client.get("/api/health/").json()["results"]}
    assert health[owned.pk] == csm.pk
    assert client.get(reverse("import-job-detail", args=[job.pk])).json()["created_by"] is None


def test_a_blank_contact_email_is_allowed_by_the_schema(schema):
    email = schema["components"]["schemas"]["Contact"]["properties"]["email"]
    assert "default" not in json.dumps(email)
    assert {"type": "string", "maxLength": 0} in email["oneOf"]


def test_every_operation_documents_a_401_with_a_detail(schema):
    for method, path, operation in _operations(schema):
        body = operation["responses"]["401"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Detail"}, (method, path)


def test_operations_with_input_document_a_400_and_with_an_id_a_404(schema):
    for method, path, operation in _operations(schema):
        places = {p["in"] for p in operation.get("parameters", [])}
        if "query" in places or "requestBody" in operation:
            assert "400" in operation["responses"], (method, path)
        if "path" in places:
            assert "404" in operation["responses"], (method, path)
    me = schema["paths"]["/api/me/"]["get"]["responses"]
    assert "400" not in me  # nothing to get wrong


def test_error_answers_all_have_a_body(schema):
    for method, path, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert "application/json" in response.get("content", {}), (method, path, status)


def test_a_403_is_documented_where_some_caller_is_refused(schema):
    responses = {(m, p): op["responses"] for m, p, op in _operations(schema)}
    assert "403" in responses[("get", "/api/accounts/")]  # customers
    assert "403" in responses[("post", "/api/roadmap-items/")]  # all but PMs and admins
    assert "403" in responses[("post", "/api/ideas/{id}/follow/")]  # CSRF of a session
    assert "403" not in responses[("get", "/api/ideas/")]  # every signed-in role
    assert "403" not in responses[("get", "/api/roadmap-items/")]  # anyone
    assert "403" not in responses[("get", "/api/me/")]


def test_the_public_roadmap_declares_that_no_authentication_is_needed(schema):
    anyone = {("get", "/api/roadmap-items/"), ("get", "/api/roadmap-items/{id}/")}
    for method, path, operation in _operations(schema):
        # {} beside the schemes: optional; product managers' tokens also show drafts.
        assert ({} in operation["security"]) == ((method, path) in anyone), (method, path)


def test_every_400_admits_the_field_errors_of_the_door(schema):
    errors = {"$ref": "#/components/schemas/ValidationError"}
    for method, path, operation in _operations(schema):
        response = operation["responses"].get("400")
        if response:
            body = response["content"]["application/json"]["schema"]
            assert body == errors or errors in body.get("anyOf", []), (method, path)


def test_query_parameters_say_that_empty_means_not_given(schema):
    board = {p["name"]: p for p in schema["paths"]["/api/ideas/"]["get"]["parameters"]}
    for name in ("status", "category", "tag", "search", "ordering", "page", "page_size"):
        assert board[name]["allowEmptyValue"] is True, name


def test_a_flag_patch_documents_the_status_it_needs(schema):
    body = schema["paths"]["/api/product-risks/{id}/"]["patch"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert body["required"] is True
    assert schema["components"]["schemas"][ref]["required"] == ["status"]
