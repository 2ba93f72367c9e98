"""Who may open each roadmap page and action: anonymous visitors and customers read the
public roadmap, changelog and feed; only product managers and admins edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roadmap.models import Column, RoadmapItem
from tests.actors import ACTORS_AB
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

LOGIN, OK, REDIRECT, FORBIDDEN, BAD = "login", 200, 302, 403, 400
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


def _cases():
    return [
        pytest.param(
            name, needs_item, method, data, actor, expected[i], id=f"{name}-{method}-{actor}"
        )
        for name, needs_item, method, data, expected in MATRIX
        for i, actor in enumerate(ACTORS_AB)
    ]


@pytest.mark.parametrize(("name", "needs_item", "method", "data", "actor", "expected"), _cases())
def test_roadmap_access(actors, name, needs_item, method, data, actor, expected):
    item = RoadmapItemFactory(title="Original", is_public=False)
    url = reverse(name, args=[item.pk] if needs_item else [])
    response = getattr(actors[actor], method)(url, data or {})
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
def test_actions_are_post_only(actors, name):
    item = RoadmapItemFactory()
    assert actors["pm"].get(reverse(name, args=[item.pk])).status_code == 405


@pytest.mark.parametrize("actor", ["anonymous", "customer_a", "csm"])
def test_drafts_stay_off_every_public_page(actors, actor):
    RoadmapItemFactory(title="Secret planned", is_public=False)
    RoadmapItemFactory(
        title="Secret shipped", is_public=False, column=Column.SHIPPED, shipped_on="2026-11-01"
    )
    for name in ("roadmap:public", "roadmap:changelog", "roadmap:feed"):
        html = actors[actor].get(reverse(name)).content.decode()
        assert "Secret" not in html


def test_editor_link_in_the_navigation_is_for_editors_only(actors):
    editor = reverse("roadmap:editor")
    for actor in ("customer_a", "csm"):
        assert (
            f'href="{editor}"' not in actors[actor].get(reverse("roadmap:public")).content.decode()
        )
    assert f'href="{editor}"' in actors["pm"].get(reverse("roadmap:public")).content.decode()
