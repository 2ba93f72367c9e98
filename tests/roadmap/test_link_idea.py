"""From a product-risk flag to the roadmap: the editor's panel that puts one idea on a
new item or on an existing one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from feedback import services as feedback_services
from feedback.models import Idea
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from roadmap import services
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

    response = client_for(pm).post(LINK, {"item": item.pk, "idea": idea.pk, "confirm": "1"})

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


def test_linking_to_a_public_item_asks_first_saying_who_will_be_told(
    client_for, pm, customer_a, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(title="PDF export")
    feedback_services.vote_cast(idea=idea, actor=customer_a)
    item = RoadmapItemFactory(title="Reporting v2", column=Column.PLANNED, is_public=True)
    Alert.objects.all().delete()
    client = client_for(pm)

    asked = client.post(LINK, {"item": item.pk, "idea": idea.pk})

    assert asked.status_code == 200
    html = asked.content.decode()
    assert 'data-testid="roadmap-confirm"' in html
    assert "1 person will be told" in html
    assert 'name="confirm" value="1"' in html
    assert "hx-post" not in html  # a page of its own: answered by a plain post
    assert not item.ideas.exists()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.OPEN
    assert not Alert.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(LINK, {"item": item.pk, "idea": idea.pk, "confirm": "1"})

    assert answered.status_code == 302
    assert list(item.ideas.all()) == [idea]
    assert Alert.objects.filter(recipient=customer_a).count() == 1


def test_linking_to_a_draft_tells_no_one_and_does_not_ask(client_for, pm, customer_a):
    idea = IdeaFactory(title="PDF export")
    feedback_services.vote_cast(idea=idea, actor=customer_a)
    item = RoadmapItemFactory(title="Reporting v2", column=Column.PLANNED, is_public=False)

    response = client_for(pm).post(LINK, {"item": item.pk, "idea": idea.pk})

    assert response.status_code == 302
    assert list(item.ideas.all()) == [idea]


def test_link_consequence_counts_only_ideas_the_item_moves_on(pm, customer_a):
    planned, shipped = IdeaFactory(status=IdeaStatus.PLANNED), IdeaFactory()
    for idea in (planned, shipped):
        feedback_services.vote_cast(idea=idea, actor=customer_a)
    Idea.objects.filter(pk=shipped.pk).update(status=IdeaStatus.SHIPPED)
    shipped.refresh_from_db()
    in_progress = RoadmapItemFactory(column=Column.IN_PROGRESS, is_public=True)
    planned_item = RoadmapItemFactory(column=Column.PLANNED, is_public=True)

    moves = services.item_link_consequence(item=in_progress, ideas=[planned], actor_id=pm.pk)
    stays = services.item_link_consequence(
        item=planned_item, ideas=[planned, shipped], actor_id=pm.pk
    )

    assert (moves.ideas, moves.people, moves.needs_confirmation) == (1, 1, True)
    assert (stays.ideas, stays.people, stays.needs_confirmation) == (0, 0, False)
