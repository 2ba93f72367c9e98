"""Roadmap actions that tell people or hide public content ask first, saying how many
people will be told; reordering and moving drafts do not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from feedback import services as feedback_services
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from roadmap import services
from roadmap.models import Column
from tests.accounts.factories import UserFactory
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_with_people(customer_a, customer_b, csm):
    """A public planned item whose idea two customers voted for (A's account has a CSM)
    and a third person follows."""
    customer_a.contact.account.csm_owner = csm
    customer_a.contact.account.save()
    idea = IdeaFactory(title="Export to CSV")
    feedback_services.vote_cast(idea=idea, actor=customer_a)
    feedback_services.vote_cast(idea=idea, actor=customer_b)
    feedback_services.follow_set(idea=idea, user=UserFactory(role=Role.CUSTOMER))
    item = RoadmapItemFactory(title="Exports", column=Column.PLANNED, is_public=True)
    item.ideas.add(idea)
    Alert.objects.all().delete()
    return item, idea


def test_consequence_counts_each_person_once_and_leaves_out_the_actor(item_with_people, pm):
    item, _idea = item_with_people
    shipped = services.item_action_consequence(item=item, actor_id=pm.pk, column=Column.SHIPPED)
    # Customers A and B, the follower, and A's CSM.
    assert (shipped.ideas, shipped.people, shipped.hides_public) == (1, 4, False)
    assert shipped.needs_confirmation
    same_column = services.item_action_consequence(item=item, actor_id=pm.pk, column=Column.PLANNED)
    assert not same_column.needs_confirmation
    hidden = services.item_action_consequence(item=item, actor_id=pm.pk, public=False)
    assert (hidden.people, hidden.hides_public, hidden.needs_confirmation) == (0, True, True)


def test_a_draft_moves_without_asking(client_for, pm):
    item = RoadmapItemFactory(title="Draft", is_public=False, column=Column.PLANNED)
    item.ideas.add(IdeaFactory())
    response = client_for(pm).post(
        reverse("roadmap:item_move", args=[item.pk]), {"direction": "right"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.column == Column.IN_PROGRESS


def test_shipping_without_javascript_asks_on_a_page_then_ships(
    item_with_people, client_for, pm, django_capture_on_commit_callbacks
):
    item, idea = item_with_people
    client = client_for(pm)
    url = reverse("roadmap:item_move", args=[item.pk])
    response = client.post(url, {"column": Column.SHIPPED, "position": "0"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ship “Exports”?" in html
    assert "4 people will be told" in html
    item.refresh_from_db()
    assert item.column == Column.PLANNED
    assert not Alert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"column": Column.SHIPPED, "position": "0", "confirm": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    idea.refresh_from_db()
    assert item.column == Column.SHIPPED
    assert idea.status == IdeaStatus.SHIPPED
    assert Alert.objects.count() == 4


def test_htmx_gets_the_board_with_the_question_and_publishes_when_confirmed(
    client_for, pm, customer_a
):
    idea = IdeaFactory()
    feedback_services.vote_cast(idea=idea, actor=customer_a)
    item = RoadmapItemFactory(title="Dark mode", is_public=False)
    item.ideas.add(idea)
    client = client_for(pm)
    url = reverse("roadmap:item_publish", args=[item.pk])
    response = client.post(url, {"public": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="editor-board"' in html
    assert 'role="alertdialog"' in html
    assert "1 person will be told" in html
    assert 'name="confirm" value="1"' in html
    item.refresh_from_db()
    assert not item.is_public
    response = client.post(url, {"public": "1", "confirm": "1"}, HTTP_HX_REQUEST="true")
    assert "“Dark mode” is public." in response.content.decode()
    item.refresh_from_db()
    assert item.is_public


@pytest.mark.parametrize(("role", "expected"), [("csm", 403), ("customer_a", 403)])
def test_only_editors_reach_the_confirmation(request, client_for, role, expected):
    item = RoadmapItemFactory(is_public=True)
    user = request.getfixturevalue(role)
    response = client_for(user).post(
        reverse("roadmap:item_publish", args=[item.pk]), {"public": "0"}
    )
    assert response.status_code == expected
    item.refresh_from_db()
    assert item.is_public
