"""The public roadmap, the changelog and its feed (open to anyone), and the editor."""

from __future__ import annotations

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.statuses import IdeaStatus
from roadmap.models import Column, RoadmapItem
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _shipped(title: str, days_ago: int = 1, **kwargs) -> RoadmapItem:
    return RoadmapItemFactory(
        title=title,
        column=Column.SHIPPED,
        shipped_on=timezone.now().date() - timedelta(days=days_ago),
        **kwargs,
    )


def _with_ideas(item: RoadmapItem, *votes: int) -> RoadmapItem:
    item.ideas.add(*[IdeaFactory(title=f"{item.title} idea {n}", vote_count=n) for n in votes])
    return item


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# --- Public roadmap ------------------------------------------------------------------------


def test_public_roadmap_shows_public_items_in_three_columns_to_anonymous_visitors(client):
    _with_ideas(
        RoadmapItemFactory(title="Bulk edit", column=Column.PLANNED, target_quarter="2027-Q2"),
        3,
        4,
    )
    RoadmapItemFactory(title="SSO", column=Column.IN_PROGRESS)
    _shipped("Dark mode")
    _shipped("Ancient history", days_ago=400)
    RoadmapItemFactory(title="Secret draft", is_public=False)
    response = client.get(reverse("roadmap:public"))
    assert response.status_code == 200
    html = response.content.decode()
    columns = {
        column.key: [i.title for i in column.items] for column in response.context["columns"]
    }
    assert columns == {
        Column.PLANNED: ["Bulk edit"],
        Column.IN_PROGRESS: ["SSO"],
        Column.SHIPPED: ["Dark mode"],
    }
    assert "Secret draft" not in html
    assert "Ancient history" not in html  # only on the changelog
    assert "Target 2027-Q2" in html
    assert "7 votes" in html  # 3 + 4, summed in SQL
    assert "Bulk edit idea 3" in html
    # Anonymous visitors read the titles of linked ideas but get no link to the board.
    assert "/ideas/" not in html
    assert 'rel="alternate" type="application/atom+xml"' in html


def test_signed_in_people_get_links_to_the_linked_ideas(client_for, customer_a):
    item = _with_ideas(RoadmapItemFactory(title="Bulk edit"), 2)
    idea = item.ideas.get()
    html = client_for(customer_a).get(reverse("roadmap:public")).content.decode()
    assert f'href="{reverse("feedback:idea", args=[idea.pk])}"' in html


def test_vote_totals_leave_out_merged_ideas(client):
    item = _with_ideas(RoadmapItemFactory(title="Bulk edit"), 5)
    target = item.ideas.get()
    item.ideas.add(
        IdeaFactory(title="Old dup", vote_count=2, status=IdeaStatus.MERGED, merged_into=target)
    )
    html = client.get(reverse("roadmap:public")).content.decode()
    assert "5 votes" in html
    assert "Old dup" not in html


def test_pm_sees_no_drafts_on_the_public_roadmap(client_for, pm):
    RoadmapItemFactory(title="Secret draft", is_public=False)
    assert "Secret draft" not in client_for(pm).get(reverse("roadmap:public")).content.decode()


def test_empty_roadmap_says_so(client):
    assert "Nothing here yet" in client.get(reverse("roadmap:public")).content.decode()


def test_public_roadmap_query_count_does_not_grow(client, django_assert_max_num_queries):
    url = reverse("roadmap:public")
    _with_ideas(RoadmapItemFactory(column=Column.PLANNED), 1)
    _with_ideas(_shipped("First"), 1)
    few = _queries(client, url)
    for column in (Column.PLANNED, Column.IN_PROGRESS):
        for _ in range(8):
            _with_ideas(RoadmapItemFactory(column=column), 1, 2, 3)
    for _ in range(5):
        _with_ideas(_shipped("Shipped"), 4, 5)
    # Two boards (upcoming, shipped) each: items with totals, then their ideas.
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    assert _queries(client, url) == few


# --- Changelog ---------------------------------------------------------------------------


def test_changelog_lists_shipped_public_items_newest_first_grouped_by_month(client):
    older = _shipped("Older")
    RoadmapItem.objects.filter(pk=older.pk).update(shipped_on=date(2026, 9, 3))
    newer = _shipped("Newer")
    RoadmapItem.objects.filter(pk=newer.pk).update(shipped_on=date(2026, 10, 20))
    _with_ideas(RoadmapItem.objects.get(pk=newer.pk), 6)
    RoadmapItemFactory(title="Still planned")
    _shipped("Shipped draft", is_public=False)
    response = client.get(reverse("roadmap:changelog"))
    html = response.content.decode()
    assert [item.title for item in response.context["page"]] == ["Newer", "Older"]
    assert "Still planned" not in html
    assert "Shipped draft" not in html
    assert html.index("October 2026") < html.index("Newer") < html.index("September 2026")
    assert html.index("September 2026") < html.index("Older")
    assert f'id="item-{newer.pk}"' in html
    assert '<time datetime="2026-10-20">' in html
    assert "Newer idea 6" in html
    assert f'href="{reverse("roadmap:feed")}"' in html


def test_changelog_is_paginated(client):
    for n in range(23):
        _shipped(f"Item {n}", days_ago=n)
    first = client.get(reverse("roadmap:changelog"))
    assert len(first.context["page"]) == 20
    second = client.get(reverse("roadmap:changelog"), {"page": 2})
    assert len(second.context["page"]) == 3
    assert "Page 2 of 2" in second.content.decode()


def test_empty_changelog_says_so(client):
    assert "Nothing shipped yet" in client.get(reverse("roadmap:changelog")).content.decode()


def test_changelog_query_count_does_not_grow(client, django_assert_max_num_queries):
    url = reverse("roadmap:changelog")
    _with_ideas(_shipped("One"), 1)
    few = _queries(client, url)
    for n in range(15):
        _with_ideas(_shipped(f"Item {n}", days_ago=n * 20), 1, 2)
    # count, items with totals, their ideas
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200
    assert _queries(client, url) == few


# --- Atom feed ---------------------------------------------------------------------------


def test_feed_is_atom_with_one_entry_per_shipped_public_item(client):
    item = _with_ideas(_shipped("Dark mode", description_html="<p>Easy on the eyes.</p>"), 2)
    _shipped("Older", days_ago=10)
    _shipped("Draft", is_public=False)
    RoadmapItemFactory(title="Planned")
    response = client.get(reverse("roadmap:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    assert root.find(f"{ATOM}author/{ATOM}name").text == "csplatform"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Dark mode", "Older"]
    first = entries[0]
    link = first.find(f"{ATOM}link").get("href")
    assert link.endswith(f"/changelog/{item.pk}/")
    assert link.startswith("http")
    assert first.find(f"{ATOM}id").text == link
    assert first.find(f"{ATOM}updated") is not None
    assert first.find(f"{ATOM}published").text.startswith(str(item.shipped_on))
    summary = first.find(f"{ATOM}summary").text
    assert "Easy on the eyes." in summary
    assert "Dark mode idea 2" in summary


def test_empty_feed_is_still_valid_atom(client):
    root = ElementTree.fromstring(client.get(reverse("roadmap:feed")).content)
    assert root.tag == f"{ATOM}feed"
    assert root.findall(f"{ATOM}entry") == []


# --- Editor --------------------------------------------------------------------------------


def test_editor_shows_drafts_and_public_items_by_column(client_for, pm):
    RoadmapItemFactory(title="Draft one", is_public=False)
    RoadmapItemFactory(title="Public one", column=Column.IN_PROGRESS)
    response = client_for(pm).get(reverse("roadmap:editor"))
    html = response.content.decode()
    assert "Draft one" in html
    assert "Public one" in html
    assert 'value="up"' in html
    assert "roadmap/editor.js" in html


def test_editor_query_count_does_not_grow(client_for, pm, django_assert_max_num_queries):
    client = client_for(pm)
    url = reverse("roadmap:editor")
    RoadmapItemFactory()
    few = _queries(client, url)
    for n in range(12):
        _with_ideas(RoadmapItemFactory(column=Column.values[n % 2], position=n), 1, 2)
    assert _queries(client, url) == few
    with django_assert_max_num_queries(few):
        client.get(url)


def test_move_buttons_reorder_and_return_the_board_to_htmx(client_for, pm):
    a = RoadmapItemFactory(title="A", position=0)
    b = RoadmapItemFactory(title="B", position=1)
    client = client_for(pm)
    response = client.post(
        reverse("roadmap:item_move", args=[b.pk]), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="editor-board"')
    assert "“B” is now in Planned, position 1." in html
    assert "data-autofocus" in html
    assert list(RoadmapItem.objects.order_by("position").values_list("title", flat=True)) == [
        "B",
        "A",
    ]
    response = client.post(reverse("roadmap:item_move", args=[a.pk]), {"direction": "right"})
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:editor")
    a.refresh_from_db()
    assert a.column == Column.IN_PROGRESS


def test_drag_and_drop_moves_to_a_column_and_position(client_for, pm):
    RoadmapItemFactory(title="X", column=Column.SHIPPED, shipped_on=date(2026, 1, 1))
    item = RoadmapItemFactory(title="A")
    response = client_for(pm).post(
        reverse("roadmap:item_move", args=[item.pk]),
        {"column": Column.SHIPPED, "position": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.column, item.position, item.shipped_on) == (
        Column.SHIPPED,
        0,
        timezone.now().date(),
    )


@pytest.mark.parametrize(
    "data",
    [{"direction": "left"}, {"direction": "up"}, {"column": "later", "position": "0"}, {}],
    ids=["left-of-first", "above-first", "unknown-column", "nothing"],
)
def test_impossible_moves_are_a_bad_request(client_for, pm, data):
    item = RoadmapItemFactory()
    response = client_for(pm).post(reverse("roadmap:item_move", args=[item.pk]), data)
    assert response.status_code == 400


def test_publish_toggle(client_for, pm):
    item = RoadmapItemFactory(title="A", is_public=False)
    client = client_for(pm)
    url = reverse("roadmap:item_publish", args=[item.pk])
    response = client.post(url, {"public": "1"}, HTTP_HX_REQUEST="true")
    assert "“A” is public." in response.content.decode()
    item.refresh_from_db()
    assert item.is_public
    # Unpublishing hides public content: it asks first, then goes ahead when confirmed.
    response = client.post(url, {"public": "0"})
    assert "It disappears from the public roadmap" in response.content.decode()
    item.refresh_from_db()
    assert item.is_public
    client.post(url, {"public": "0", "confirm": "1"})
    item.refresh_from_db()
    assert not item.is_public


def test_create_item_with_linked_ideas(client_for, pm):
    idea = IdeaFactory(title="Export to CSV")
    response = client_for(pm).post(
        reverse("roadmap:item_new"),
        {
            "title": "Exports",
            "description": "CSV *and* Excel",
            "column": Column.PLANNED,
            "target_quarter": "2027-Q1",
            "is_public": "on",
            "ideas": [idea.pk],
        },
    )
    assert response.status_code == 302
    item = RoadmapItem.objects.get()
    assert item.title == "Exports"
    assert "<em>and</em>" in item.description_html
    assert list(item.ideas.all()) == [idea]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PLANNED


def test_item_form_shows_clear_errors(client_for, pm):
    response = client_for(pm).post(
        reverse("roadmap:item_new"),
        {"title": "  ", "column": "later", "target_quarter": "next year"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "column", "target_quarter"}
    assert "YYYY-Qn" in response.content.decode()
    assert not RoadmapItem.objects.exists()


def test_edit_item_prefills_and_saves(client_for, pm):
    idea = IdeaFactory(title="Export to CSV")
    item = RoadmapItemFactory(title="Old", target_quarter="2027-Q1")
    item.ideas.add(idea)
    client = client_for(pm)
    url = reverse("roadmap:item_edit", args=[item.pk])
    html = client.get(url).content.decode()
    assert 'value="Old"' in html
    assert f'name="ideas" value="{idea.pk}" checked' in html
    response = client.post(
        url, {"title": "New", "column": Column.IN_PROGRESS, "target_quarter": "", "ideas": []}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.column, item.is_public, item.target_quarter) == (
        "New",
        Column.IN_PROGRESS,
        False,
        "",
    )
    assert not item.ideas.exists()


def test_idea_search_offers_unlinked_matching_ideas(client_for, pm):
    csv = IdeaFactory(title="Export to CSV")
    excel = IdeaFactory(title="Export to Excel")
    IdeaFactory(title="Dark mode")
    IdeaFactory(title="Export merged", status=IdeaStatus.MERGED, merged_into=csv)
    response = client_for(pm).get(
        reverse("roadmap:idea_search"), {"q": "export", "ideas": [csv.pk]}
    )
    html = response.content.decode()
    assert f'value="{excel.pk}"' in html
    assert f'value="{csv.pk}"' not in html
    assert "Dark mode" not in html
    assert "Export merged" not in html
    empty = client_for(pm).get(reverse("roadmap:idea_search"), {"q": "zzz"}).content.decode()
    assert "No idea matches" in empty


def test_delete_asks_first_then_deletes(client_for, pm):
    item = RoadmapItemFactory(title="Doomed")
    client = client_for(pm)
    url = reverse("roadmap:item_delete", args=[item.pk])
    assert "Delete “Doomed”?" in client.get(url).content.decode()
    assert RoadmapItem.objects.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not RoadmapItem.objects.exists()


def test_admin_site_shows_items_read_only(client_for, admin_user):
    item = RoadmapItemFactory(title="Looked at")
    client = client_for(admin_user)
    assert "Looked at" in client.get("/admin/roadmap/roadmapitem/").content.decode()
    assert client.get(f"/admin/roadmap/roadmapitem/{item.pk}/change/").status_code == 200
    assert client.get("/admin/roadmap/roadmapitem/add/").status_code == 403
    response = client.post(f"/admin/roadmap/roadmapitem/{item.pk}/change/", {"title": "Changed"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title == "Looked at"


def test_a_changelog_entry_address_finds_its_page_and_anchor(client):
    from datetime import date, timedelta

    from roadmap.views import CHANGELOG_PAGE_SIZE

    first = date(2026, 1, 1)
    items = [
        RoadmapItemFactory(column=Column.SHIPPED, shipped_on=first + timedelta(days=n))
        for n in range(CHANGELOG_PAGE_SIZE + 2)
    ]
    newest, oldest = items[-1], items[0]
    assert client.get(reverse("roadmap:changelog_entry", args=[newest.pk]))["Location"] == (
        f"/changelog/#item-{newest.pk}"
    )
    response = client.get(reverse("roadmap:changelog_entry", args=[oldest.pk]))
    assert response["Location"] == f"/changelog/?page=2#item-{oldest.pk}"
    assert client.get(response["Location"]).status_code == 200


def test_a_draft_or_unshipped_item_has_no_changelog_entry(client):
    draft = RoadmapItemFactory(column=Column.SHIPPED, shipped_on="2026-01-01", is_public=False)
    planned = RoadmapItemFactory(column=Column.PLANNED)
    for item in (draft, planned):
        assert client.get(reverse("roadmap:changelog_entry", args=[item.pk])).status_code == 404
