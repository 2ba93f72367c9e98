"""The roadmap API: public reads for everyone, drafts and writes for PMs and admins."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Idea
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from roadmap.models import Column, RoadmapItem
from tests.feedback.factories import IdeaFactory, VoteFactory
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

LIST = reverse("roadmap-item-list")
FIELDS = {
    "id",
    "title",
    "description",
    "description_html",
    "column",
    "column_label",
    "position",
    "target_quarter",
    "shipped_on",
    "is_public",
    "ideas",
    "vote_total",
    "updated_at",
}


def detail(item) -> str:
    return reverse("roadmap-item-detail", kwargs={"pk": item.pk})


def move_url(item) -> str:
    return reverse("roadmap-item-move", kwargs={"pk": item.pk})


def shipped(**kwargs) -> RoadmapItem:
    return RoadmapItemFactory(column=Column.SHIPPED, shipped_on=date(2026, 11, 2), **kwargs)


# --- Reading ---------------------------------------------------------------------------


def test_anonymous_reads_public_items_in_board_order(client):
    RoadmapItemFactory(title="Draft", is_public=False)
    shipped(title="Done")
    RoadmapItemFactory(title="Second planned", position=1)
    RoadmapItemFactory(title="First planned", position=0)
    RoadmapItemFactory(title="Doing", column=Column.IN_PROGRESS)

    response = client.get(LIST)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["title"] for row in rows] == ["First planned", "Second planned", "Doing", "Done"]
    assert all(set(row) == FIELDS for row in rows)
    assert rows[-1]["shipped_on"] == "2026-11-02"
    assert rows[-1]["column_label"] == "Shipped"


@pytest.mark.parametrize("fixture", ["customer_a", "csm"])
def test_customers_and_csms_do_not_see_drafts(client_for, request, fixture):
    draft = RoadmapItemFactory(is_public=False)
    client = client_for(request.getfixturevalue(fixture))
    assert client.get(LIST).json()["count"] == 0
    assert client.get(detail(draft)).status_code == 404


@pytest.mark.parametrize("fixture", ["pm", "admin_user"])
def test_editors_see_drafts(client_for, request, fixture):
    draft = RoadmapItemFactory(is_public=False)
    client = client_for(request.getfixturevalue(fixture))
    assert client.get(LIST).json()["count"] == 1
    assert client.get(detail(draft)).json()["is_public"] is False


def test_items_show_linked_ideas_and_their_vote_total_but_not_merged_ones(client):
    item = RoadmapItemFactory()
    popular, quiet = IdeaFactory(title="Popular"), IdeaFactory(title="Quiet")
    for _ in range(3):
        VoteFactory(idea=popular)
    VoteFactory(idea=quiet)
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=popular)
    item.ideas.add(popular, quiet, merged)

    row = client.get(detail(item)).json()

    assert [(idea["title"], idea["vote_count"]) for idea in row["ideas"]] == [
        ("Popular", 3),
        ("Quiet", 1),
    ]
    assert row["ideas"][0]["status_label"] == "Open"
    assert row["vote_total"] == 4


def test_filter_by_column(client):
    RoadmapItemFactory(title="Planned")
    shipped(title="Done")
    rows = client.get(LIST, {"column": "shipped"}).json()["results"]
    assert [row["title"] for row in rows] == ["Done"]
    assert client.get(LIST, {"column": "someday"}).status_code == 400


def test_list_query_count_is_constant(client, django_assert_max_num_queries):
    client.get(LIST)  # warm the status-label cache
    for index in range(30):
        item = RoadmapItemFactory(position=index)
        item.ideas.add(IdeaFactory(), IdeaFactory())
    with django_assert_max_num_queries(3):  # count, items, linked ideas
        response = client.get(LIST, {"page_size": 100})
    assert response.json()["count"] == 30


# --- Writing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"), [("anonymous", 401), ("customer", 403), ("csm", 403)]
)
def test_only_editors_write(actors, actor, expected):
    item = RoadmapItemFactory()
    client = actors[actor]
    attempts = [
        client.post(LIST, {"title": "Sneaky"}),
        client.patch(detail(item), {"title": "Sneaky"}, content_type="application/json"),
        client.post(move_url(item), {"column": "shipped"}),
        client.delete(detail(item)),
    ]
    assert [response.status_code for response in attempts] == [expected] * 4
    assert all("detail" in response.json() for response in attempts)
    item.refresh_from_db()
    assert (item.title, item.column) != ("Sneaky", Column.SHIPPED)
    assert RoadmapItem.objects.count() == 1


def test_pm_creates_a_draft_at_the_end_of_its_column(client_for, pm):
    RoadmapItemFactory(column=Column.PLANNED, position=0)
    idea = IdeaFactory()
    response = client_for(pm).post(
        LIST,
        {
            "title": "Exports",
            "description": "*Soon*",
            "target_quarter": "2027-Q1",
            "ideas": [idea.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["column"], body["position"], body["is_public"]) == ("planned", 1, False)
    assert "<em>Soon</em>" in body["description_html"]
    assert [row["id"] for row in body["ideas"]] == [idea.pk]
    # A draft moves nobody's idea along.
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.OPEN


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": "X", "target_quarter": "next year"}, "target_quarter"),
        ({"title": "X", "target_quarter": "0000-Q1"}, "target_quarter"),
        ({"title": "X", "target_quarter": "2026-Q5"}, "target_quarter"),
        ({"title": "X", "target_quarter": "2026-Q0"}, "target_quarter"),
        ({"title": "X", "target_quarter": "1999-Q4"}, "target_quarter"),
        ({"title": "X", "target_quarter": "2100-Q1"}, "target_quarter"),
        ({"title": "X", "target_quarter": "9999-Q4"}, "target_quarter"),
        ({"title": "X", "column": "someday"}, "column"),
        ({"title": "X", "ideas": [999999]}, "ideas"),
    ],
)
def test_invalid_item_is_a_400_naming_the_field(client_for, pm, payload, field):
    response = client_for(pm).post(LIST, payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not RoadmapItem.objects.exists()


def test_publishing_plans_the_linked_ideas(client_for, pm):
    item = RoadmapItemFactory(is_public=False)
    idea = IdeaFactory()
    item.ideas.add(idea)
    response = client_for(pm).patch(
        detail(item), {"is_public": True, "title": "Exports v2"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["is_public"], response.json()["title"]) == (True, "Exports v2")
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PLANNED


def test_moving_into_shipped_ships_the_ideas_and_tells_their_voters(
    client_for, pm, customer_a, django_capture_on_commit_callbacks
):
    item = RoadmapItemFactory()
    idea = IdeaFactory()
    VoteFactory(idea=idea, contact=customer_a.contact, user=customer_a)
    item.ideas.add(idea)

    client = client_for(pm)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            move_url(item), {"column": "shipped", "position": 0}, content_type="application/json"
        )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["column"], body["shipped_on"]) == ("shipped", timezone.now().date().isoformat())
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.SHIPPED
    assert Alert.objects.filter(recipient=customer_a).count() == 1


def test_move_reorders_within_a_column(client_for, admin_user):
    first = RoadmapItemFactory(position=0)
    second = RoadmapItemFactory(position=1)
    response = client_for(admin_user).post(
        move_url(second), {"column": "planned", "position": 0}, content_type="application/json"
    )
    assert response.json()["position"] == 0
    first.refresh_from_db()
    assert first.position == 1


def test_move_to_an_unknown_column_is_a_400(client_for, pm):
    item = RoadmapItemFactory()
    response = client_for(pm).post(move_url(item), {"column": "someday"})
    assert response.status_code == 400
    assert "column" in response.json()


def test_pm_deletes_an_item(client_for, pm):
    item = RoadmapItemFactory()
    assert client_for(pm).delete(detail(item)).status_code == 204
    assert not RoadmapItem.objects.exists()


def test_put_is_not_offered(client_for, pm):
    item = RoadmapItemFactory()
    response = client_for(pm).put(detail(item), {"title": "X"}, content_type="application/json")
    assert response.status_code == 405


def test_the_schema_states_which_quarters_are_taken():
    from drf_spectacular.generators import SchemaGenerator

    from roadmap.models import QUARTER_PATTERN

    schema = SchemaGenerator().get_schema(request=None, public=True)
    quarter = schema["components"]["schemas"]["RoadmapItemWrite"]["properties"]["target_quarter"]
    assert {"type": "string", "pattern": QUARTER_PATTERN} in quarter["oneOf"]  # or blank
