"""From a product-risk flag to the roadmap: the editor's panel that puts one idea on a
new item or on an existing one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from feedback.statuses import IdeaStatus
from roadmap.models import Column
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

EDITOR = reverse("roadmap:editor")
LINK = reverse("roadmap:link_idea")


def test_editor_offers_new_and_existing_items_for_the_idea(client_for, pm):
    idea = IdeaFactory(title="PDF export")
    planned = RoadmapItemFactory(title="Reporting v2", column=Column.PLANNED)
    RoadmapItemFactory(title="Old release", column=Column.SHIPPED, shipped_on="2026-01-05")
    already = RoadmapItemFactory(title="Has it already", column=Column.IN_PROGRESS)
    already.ideas.add(idea)

    response = client_for(pm).get(EDITOR, {"link_idea": idea.pk})

    assert response.context["link_idea"] == idea
    assert response.context["link_targets"] == [planned]
    html = response.content.decode()
    assert "Put “PDF export” on the roadmap" in html
    assert f"{reverse('roadmap:item_new')}?idea={idea.pk}" in html


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_editor_without_a_linkable_idea_shows_no_panel(client_for, pm, value):
    response = client_for(pm).get(EDITOR, {"link_idea": value})
    assert response.context["link_idea"] is None
    assert 'data-testid="link-idea"' not in response.content.decode()


def test_new_item_for_the_idea_starts_with_its_title_and_link(client_for, pm):
    idea = IdeaFactory(title="PDF export")
    form = client_for(pm).get(reverse("roadmap:item_new"), {"idea": idea.pk}).context["form"]
    assert form.initial["title"] == "PDF export"
    assert form.initial["ideas"] == [idea]


def test_linking_to_a_public_planned_item_plans_the_idea(client_for, pm):
    idea = IdeaFactory(title="PDF export")
    item = RoadmapItemFactory(title="Reporting v2", column=Column.PLANNED, is_public=True)

    response = client_for(pm).post(LINK, {"item": item.pk, "idea": idea.pk})

    assert response.status_code == 302
    assert response["Location"] == EDITOR
    assert list(item.ideas.all()) == [idea]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PLANNED


@pytest.mark.parametrize("data", [{}, {"item": "x", "idea": "1"}, {"item": "1"}])
def test_linking_without_an_item_or_idea_is_a_bad_request(client_for, pm, data):
    RoadmapItemFactory(pk=1)
    assert client_for(pm).post(LINK, data).status_code == 400


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 302), ("customer_a", 403), ("customer_b", 403), ("csm", 403)],
)
def test_only_editors_link(request, actor, expected):
    idea = IdeaFactory()
    item = RoadmapItemFactory()
    client = Client()
    if actor != "anonymous":
        client.force_login(request.getfixturevalue(actor))
    assert client.post(LINK, {"item": item.pk, "idea": idea.pk}).status_code == expected
    assert client.get(EDITOR, {"link_idea": idea.pk}).status_code == expected
    assert not item.ideas.exists()


def test_admins_link_too(client_for, admin_user):
    idea = IdeaFactory()
    item = RoadmapItemFactory()
    assert client_for(admin_user).post(LINK, {"item": item.pk, "idea": idea.pk}).status_code == 302
    assert list(item.ideas.all()) == [idea]
