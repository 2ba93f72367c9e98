"""The permission matrix of the board, roadmap and notification endpoints: every
endpoint and method against anonymous, customer A, customer B, CSM, PM and admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from notifications.models import Alert
from notifications.services.alerts import AlertDraft, alerts_raise
from roadmap.models import Column
from tests.accounts.factories import ContactFactory
from tests.actors import ACTORS_AB
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory

STAFF = {"csm", "pm", "admin"}
EDITORS = {"pm", "admin"}


@dataclass
class World:
    """What every case acts on: an open idea of customer A's, a contact a CSM heard,
    a public item, a draft, and one notification of customer A's."""

    idea: object
    heard: object
    item: object
    draft: object
    alert: object


@pytest.fixture
def world(customer_a) -> World:
    alerts_raise(
        [AlertDraft(kind="feedback.idea", recipient_id=customer_a.pk, title="Hi", dedupe_key="k")]
    )
    return World(
        idea=IdeaFactory(author=customer_a),
        heard=ContactFactory(),
        item=RoadmapItemFactory(),
        draft=RoadmapItemFactory(is_public=False, column=Column.SHIPPED, shipped_on=date.today()),
        alert=Alert.objects.get(recipient=customer_a),
    )


def _idea(action: str):
    return lambda w: reverse(f"idea-{action}", kwargs={"pk": w.idea.pk})


def _item(action: str, attr: str = "item"):
    return lambda w: reverse(f"roadmap-item-{action}", kwargs={"pk": getattr(w, attr).pk})


def _staff_contact(actor: str, w: World) -> dict:
    """Customers vote as themselves; staff must name whom they vote for."""
    return {"contact": w.heard.pk} if actor in STAFF else {}


def _staff_contact_query(actor: str, w: World) -> str:
    return f"?contact={w.heard.pk}" if actor in STAFF else ""


@dataclass
class Case:
    method: str
    url: object
    expected: list[int]
    body: object = None  # dict, or a function (actor, world) -> dict
    query: object = None  # function (actor, world) -> "?..."


CASES: dict[str, Case] = {
    "ideas-list": Case("get", lambda w: reverse("idea-list"), [401, 200, 200, 200, 200, 200]),
    "ideas-create": Case(
        "post",
        lambda w: reverse("idea-list"),
        [401, 201, 201, 201, 201, 201],
        {"title": "New idea"},
    ),
    "idea-retrieve": Case("get", _idea("detail"), [401, 200, 200, 200, 200, 200]),
    # Customer A wrote it and it is open; PMs and admins edit any idea; nobody else.
    "idea-patch": Case(
        "patch", _idea("detail"), [401, 200, 403, 403, 200, 200], {"title": "Edited"}
    ),
    "idea-put": Case("put", _idea("detail"), [401, 200, 403, 403, 200, 200], {"title": "Edited"}),
    "idea-delete": Case("delete", _idea("detail"), [401, 405, 405, 405, 405, 405]),
    "vote": Case("post", _idea("vote"), [401, 200, 200, 200, 200, 200], _staff_contact),
    "vote-on-behalf": Case(
        "post",
        _idea("vote"),
        [401, 403, 403, 200, 200, 200],
        lambda actor, w: (
            {"contact": w.heard.pk, "note": "From a call"}
            if actor in STAFF
            else {"contact": w.heard.pk}
        ),
    ),
    "unvote": Case(
        "delete", _idea("vote"), [401, 200, 200, 200, 200, 200], query=_staff_contact_query
    ),
    "follow": Case("post", _idea("follow"), [401, 200, 200, 200, 200, 200]),
    "unfollow": Case("delete", _idea("follow"), [401, 200, 200, 200, 200, 200]),
    "comments-list": Case("get", _idea("comments"), [401, 200, 200, 200, 200, 200]),
    "comment": Case("post", _idea("comments"), [401, 201, 201, 201, 201, 201], {"body": "Yes"}),
    "comment-internal": Case(
        "post",
        _idea("comments"),
        [401, 403, 403, 201, 201, 201],
        {"body": "Note", "internal": True},
    ),
    "roadmap-list": Case(
        "get", lambda w: reverse("roadmap-item-list"), [200, 200, 200, 200, 200, 200]
    ),
    "roadmap-retrieve": Case("get", _item("detail"), [200, 200, 200, 200, 200, 200]),
    "roadmap-retrieve-draft": Case("get", _item("detail", "draft"), [404, 404, 404, 404, 200, 200]),
    "roadmap-create": Case(
        "post",
        lambda w: reverse("roadmap-item-list"),
        [401, 403, 403, 403, 201, 201],
        {"title": "Next"},
    ),
    "roadmap-patch": Case(
        "patch",
        _item("detail"),
        [401, 403, 403, 403, 200, 200],
        {"title": "Renamed"},
    ),
    "roadmap-move": Case(
        "post",
        _item("move"),
        [401, 403, 403, 403, 200, 200],
        {"column": "in_progress"},
    ),
    "roadmap-delete": Case("delete", _item("detail"), [401, 403, 403, 403, 204, 204]),
    "notifications-list": Case(
        "get", lambda w: reverse("notification-list"), [401, 200, 200, 200, 200, 200]
    ),
    # Customer A's own notification: anyone else is told it does not exist.
    "notification-read": Case(
        "post",
        lambda w: reverse("notification-read", kwargs={"pk": w.alert.pk}),
        [401, 200, 404, 404, 404, 404],
    ),
    "notifications-read-all": Case(
        "post", lambda w: reverse("notification-read-all"), [401, 200, 200, 200, 200, 200]
    ),
}


def _params():
    return [
        pytest.param(name, actor, case.expected[index], id=f"{name}-{actor}")
        for name, case in CASES.items()
        for index, actor in enumerate(ACTORS_AB)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "actor", "expected"), _params())
def test_endpoint_access(actors, world, name, actor, expected):
    case = CASES[name]
    body = case.body(actor, world) if callable(case.body) else case.body
    url = case.url(world) + (case.query(actor, world) if case.query else "")
    kwargs = {"content_type": "application/json"} if body is not None else {}
    response = getattr(actors[actor], case.method)(url, body, **kwargs)

    assert response.status_code == expected, response.content[:300]
    if expected != 204:
        assert response["Content-Type"].startswith("application/json")
    if expected >= 400:
        assert "detail" in response.json()
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"


def test_every_api_route_of_this_issue_is_in_the_matrix():
    """A new endpoint under these prefixes must be added to the matrix above."""
    from django.urls import get_resolver

    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.split("-")[0] in {"idea", "roadmap", "notification"}
    }
    covered = {
        "idea-list",
        "idea-detail",
        "idea-vote",
        "idea-follow",
        "idea-comments",
        "roadmap-item-list",
        "roadmap-item-detail",
        "roadmap-item-move",
        "notification-list",
        "notification-read",
        "notification-read-all",
    }
    assert names == covered
