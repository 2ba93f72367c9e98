"""/api/schema/ and /api/docs/ show each reader the operations their role may call: the
whole API to staff (less what their role may not change), the board, notifications and
public roadmap to customers, the public roadmap to anonymous readers."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.actors import ACTORS

PUBLIC = {
    ("get", "/api/roadmap-items/"),
    ("get", "/api/roadmap-items/{id}/"),
}
CUSTOMER = PUBLIC | {
    ("get", "/api/me/"),
    ("get", "/api/ideas/"),
    ("post", "/api/ideas/"),
    ("get", "/api/ideas/{id}/"),
    ("put", "/api/ideas/{id}/"),
    ("patch", "/api/ideas/{id}/"),
    ("get", "/api/ideas/{id}/comments/"),
    ("post", "/api/ideas/{id}/comments/"),
    ("post", "/api/ideas/{id}/follow/"),
    ("delete", "/api/ideas/{id}/follow/"),
    ("post", "/api/ideas/{id}/vote/"),
    ("delete", "/api/ideas/{id}/vote/"),
    ("get", "/api/notifications/"),
    ("post", "/api/notifications/{id}/read/"),
    ("post", "/api/notifications/read-all/"),
    ("get", "/api/notifications/preferences/"),
    ("patch", "/api/notifications/preferences/"),
}
ROADMAP_WRITES = {
    ("post", "/api/roadmap-items/"),
    ("patch", "/api/roadmap-items/{id}/"),
    ("delete", "/api/roadmap-items/{id}/"),
    ("post", "/api/roadmap-items/{id}/move/"),
}
RISK_WRITES = {("patch", "/api/product-risks/{id}/")}
#: Tasks: staff read them, CSMs and admins write them.
TASK_WRITES = {("post", "/api/tasks/"), ("patch", "/api/tasks/{id}/")}
#: Scorecard drafts are previewed by the admins who edit scorecards.
PREVIEWS = {
    ("post", "/api/health/scorecards/{scorecard_id}/previews/"),
    ("get", "/api/health/scorecards/{scorecard_id}/previews/{job_id}/"),
    ("post", "/api/health/scorecards/{scorecard_id}/previews/{job_id}/cancel/"),
}
#: Invitations: CSMs (for their own accounts) and admins invite; PMs do not.
INVITATIONS = {
    ("get", "/api/invitations/"),
    ("post", "/api/invitations/"),
    ("post", "/api/invitations/{id}/resend/"),
    ("post", "/api/invitations/{id}/revoke/"),
}
IMPORTS = {
    ("post", "/api/import/{kind}/"),
    ("get", "/api/import-jobs/"),
    ("get", "/api/import-jobs/{id}/"),
}


def _operations(schema: dict) -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method != "parameters"
    }


def _whole_api() -> set[tuple[str, str]]:
    return _operations(SchemaGenerator().get_schema(request=None, public=True))


def _expected(actor: str) -> set[tuple[str, str]]:
    everything = _whole_api()
    return {
        "anonymous": PUBLIC,
        "customer": CUSTOMER,
        "csm": everything - ROADMAP_WRITES - RISK_WRITES - PREVIEWS,
        "pm": everything - IMPORTS - TASK_WRITES - PREVIEWS - INVITATIONS,
        "admin": everything,
    }[actor]


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_each_role_reads_the_schema_of_what_it_may_call(actors, actor):
    response = actors[actor].get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert _operations(response.json()) == _expected(actor)


@pytest.mark.django_db
def test_a_customer_sees_no_staff_endpoint_nor_staff_component(actors):
    schema = actors["customer"].get("/api/schema/", HTTP_ACCEPT="application/json").json()
    staff_paths = ("/api/accounts", "/api/contacts", "/api/health", "/api/import", "/api/product")
    assert not [path for path in schema["paths"] if path.startswith(staff_paths)]
    assert not {"Account", "Contact", "ImportJob", "ProductRisk"} & set(
        schema["components"]["schemas"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [actor for actor in ACTORS if actor != "anonymous"])
def test_the_interactive_docs_open_for_every_signed_in_reader(actors, actor):
    response = actors[actor].get("/api/docs/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "swagger-ui" in response.content.decode()
    assert "cdn.jsdelivr" not in response.content.decode()
