"""Who may open each roadmap page and action: anonymous visitors and customers read the
public roadmap, changelog and feed; only product managers and admins edit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from roadmap.models import Column, RoadmapItem
from tests.feedback.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

LOGIN, OK, REDIRECT, FORBIDDEN, BAD = "login", 200, 302, 403, 400
ACTORS = ["anonymous", "customer_a", "customer_b", "csm", "pm", "admin"]
EDITORS_ONLY = [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK]
EDITORS_ONLY_POST = [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT]

# (url name, needs an item, method, data, expected per actor)
MATRIX = [
    ("roadmap:public", False, "get", None, [OK] * 6),
    ("roadmap:changelog", False, "get", None, [OK] * 6),
    ("roadmap:feed", False, "get", None, [OK] * 6),
    ("roadmap:editor", False, "get", None, EDITORS_ONLY),
    ("roadmap:item_new", False, "get", None, EDITORS_ONLY),
    ("roadmap:item_new", False, "post", {"title": "T", "column": "planned"}, EDITORS_ONLY_POST),
    ("roadmap:idea_search", False, "get", {"q": "export"}, EDITORS_ONLY),
    ("roadmap:item_edit", True, "get", None, EDITORS_ONLY),
    ("roadmap:item_edit", True, "post", {"title": "T", "column": "planned"}, EDITORS_ONLY_POST),
    ("roadmap:item_move", True, "post", {"direction": "right"}, EDITORS_ONLY_POST),
    ("roadmap:item_publish", True, "post", {"public": "1"}, EDITORS_ONLY_POST),
    ("roadmap:item_delete", True, "get", None, EDITORS_ONLY),
    ("roadmap:item_delete", True, "post", None, EDITORS_ONLY_POST),
]


@pytest.fixture
def clients(customer_a, customer_b, csm, pm, admin_user):
    users = {
        "customer_a": customer_a,
        "customer_b": customer_b,
        "csm": csm,
        "pm": pm,
        "admin": admin_user,
    }
    made = {"anonymous": Client()}
    for name, user in users.items():
        made[name] = Client()
        made[name].force_login(user)
    return made


def _cases():
    return [
        pytest.param(
            name, needs_item, method, data, actor, expected[i], id=f"{name}-{method}-{actor}"
        )
        for name, needs_item, method, data, expected in MATRIX
        for i, actor in enumerate(ACTORS)
    ]


@pytest.mark.parametrize(("name", "needs_item", "method", "data", "actor", "expected"), _cases())
def test_roadmap_access(clients, name, needs_item, method, data, actor, expected):
    item = RoadmapItemFactory(title="Original", is_public=False)
    url = reverse(name, args=[item.pk] if needs_item else [])
    response = getattr(clients[actor], method)(url, data or {})
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
    if expected in (LOGIN, FORBIDDEN):
        # Nothing changed behind a refused request.
        item.refresh_from_db()
        assert (item.title, item.column, item.is_public) == ("Original", Column.PLANNED, False)
        assert RoadmapItem.objects.count() == 1


@pytest.mark.parametrize("name", ["roadmap:item_move", "roadmap:item_publish"])
def test_actions_are_post_only(clients, name):
    item = RoadmapItemFactory()
    assert clients["pm"].get(reverse(name, args=[item.pk])).status_code == 405


@pytest.mark.parametrize("actor", ["anonymous", "customer_a", "csm"])
def test_drafts_stay_off_every_public_page(clients, actor):
    RoadmapItemFactory(title="Secret planned", is_public=False)
    RoadmapItemFactory(
        title="Secret shipped", is_public=False, column=Column.SHIPPED, shipped_on="2026-11-01"
    )
    for name in ("roadmap:public", "roadmap:changelog", "roadmap:feed"):
        html = clients[actor].get(reverse(name)).content.decode()
        assert "Secret" not in html


def test_editor_link_in_the_navigation_is_for_editors_only(clients):
    editor = reverse("roadmap:editor")
    for actor in ("customer_a", "csm"):
        assert (
            f'href="{editor}"' not in clients[actor].get(reverse("roadmap:public")).content.decode()
        )
    assert f'href="{editor}"' in clients["pm"].get(reverse("roadmap:public")).content.decode()
