"""The board's REST API: listing, filters, posting, editing, votes, follows, comments."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from feedback import services
from feedback.models import Comment, Follow, Idea, Vote
from feedback.statuses import IdeaStatus
from tests.accounts.factories import ContactFactory, UserFactory
from tests.feedback.factories import (
    CategoryFactory,
    CommentFactory,
    FollowFactory,
    IdeaFactory,
    TagFactory,
    VoteFactory,
    demand_refresh,
)

pytestmark = pytest.mark.django_db

LIST = reverse("idea-list")
CUSTOMER_FIELDS = {
    "id",
    "title",
    "description",
    "description_html",
    "language",
    "status",
    "status_label",
    "category",
    "tags",
    "vote_count",
    "comment_count",
    "author_name",
    "is_author",
    "voted",
    "following",
    "merged_into",
    "created_at",
    "updated_at",
}
STAFF_FIELDS = CUSTOMER_FIELDS | {"author", "demand", "trend_score"}


def detail(idea) -> str:
    return reverse("idea-detail", kwargs={"pk": idea.pk})


def vote_url(idea) -> str:
    return reverse("idea-vote", kwargs={"pk": idea.pk})


def follow_url(idea) -> str:
    return reverse("idea-follow", kwargs={"pk": idea.pk})


def comments_url(idea) -> str:
    return reverse("idea-comments", kwargs={"pk": idea.pk})


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


# --- Listing ---------------------------------------------------------------------------


def test_customer_sees_the_board_with_own_vote_and_follow_and_no_staff_fields(
    client_for, customer_a
):
    mine = IdeaFactory(title="Dark mode")
    VoteFactory(idea=mine, contact=customer_a.contact)
    FollowFactory(idea=mine, user=customer_a)
    other = IdeaFactory(title="SSO")
    VoteFactory(idea=other)
    VoteFactory(idea=other)

    rows = client_for(customer_a).get(LIST).json()["results"]

    assert [row["title"] for row in rows] == ["SSO", "Dark mode"]  # top first
    assert all(set(row) == CUSTOMER_FIELDS for row in rows)
    by_title = {row["title"]: row for row in rows}
    assert by_title["Dark mode"]["voted"] is True
    assert by_title["Dark mode"]["following"] is True
    assert by_title["SSO"]["voted"] is False
    assert by_title["SSO"]["vote_count"] == 2
    assert by_title["SSO"]["status_label"] == "Open"


def test_staff_see_demand_split_by_who_cast_the_vote(client_for, pm, csm):
    idea = IdeaFactory()
    first, second = ContactFactory(), ContactFactory()
    VoteFactory(idea=idea, contact=first)
    VoteFactory(idea=idea, contact=ContactFactory(account=first.account))
    services.vote_on_behalf(idea=idea, contact=second, actor=csm, note="From a call")
    demand_refresh()

    row = client_for(pm).get(LIST).json()["results"][0]

    assert set(row) == STAFF_FIELDS
    assert row["demand"] == {"customer_votes": 2, "csm_votes": 1, "accounts": 2}
    assert row["author"]["role"] == Role.CUSTOMER


def test_merged_ideas_are_not_on_the_board(client_for, customer_a):
    target = IdeaFactory(title="Target")
    IdeaFactory(title="Duplicate", status=IdeaStatus.MERGED, merged_into=target)
    assert titles(client_for(customer_a).get(LIST)) == ["Target"]


def test_filters_by_status_category_and_tag_slug(client_for, customer_a):
    reports = CategoryFactory(slug="reports", name="Reports")
    export = TagFactory(name="export")
    IdeaFactory(title="Planned report", status=IdeaStatus.PLANNED, category=reports)
    tagged = IdeaFactory(title="Tagged", category=reports)
    tagged.tags.add(export)
    IdeaFactory(title="Elsewhere")
    client = client_for(customer_a)

    assert titles(client.get(LIST, {"status": "planned"})) == ["Planned report"]
    assert sorted(titles(client.get(LIST, {"category": "reports"}))) == [
        "Planned report",
        "Tagged",
    ]
    assert titles(client.get(LIST, {"tag": "export"})) == ["Tagged"]
    assert titles(client.get(LIST, {"tag": "export", "status": "planned"})) == []


@pytest.mark.parametrize(
    "params",
    [{"status": "merged"}, {"status": "nonsense"}, {"category": "nope"}, {"ordering": "best"}],
)
def test_bad_filters_are_a_400_naming_the_parameter(client_for, customer_a, params):
    response = client_for(customer_a).get(LIST, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_search_finds_words_in_title_or_description(client_for, customer_a):
    IdeaFactory(title="Export dashboards to PDF")
    IdeaFactory(title="Slack alerts", description="Send the weekly export to Slack")
    IdeaFactory(title="Dark mode")
    client = client_for(customer_a)
    assert sorted(titles(client.get(LIST, {"search": "export"}))) == [
        "Export dashboards to PDF",
        "Slack alerts",
    ]
    assert titles(client.get(LIST, {"search": "export pdf"})) == ["Export dashboards to PDF"]
    assert titles(client.get(LIST, {"search": "the"})) == []  # only stop words


def test_orderings(client_for, customer_a):
    old = IdeaFactory(title="Old popular", trend_score=1.0)
    VoteFactory(idea=old)
    VoteFactory(idea=old)
    IdeaFactory(title="Newest quiet", trend_score=0.5)
    IdeaFactory(title="Trending", trend_score=9.0)
    client = client_for(customer_a)
    assert titles(client.get(LIST))[0] == "Old popular"
    assert titles(client.get(LIST, {"ordering": "newest"}))[0] == "Trending"
    assert titles(client.get(LIST, {"ordering": "trending"}))[0] == "Trending"
    assert titles(client.get(LIST, {"ordering": "top"}))[0] == "Old popular"


def test_paginates(client_for, customer_a):
    for _ in range(3):
        IdeaFactory()
    body = client_for(customer_a).get(LIST, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"page_size": 100})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.PM])
def test_list_query_count_does_not_grow_with_ideas_votes_or_tags(
    client_for, customer_a, pm, role, django_assert_max_num_queries
):
    """Session, user, count, page, tags: the same for 2 ideas as for 30."""
    client = client_for(customer_a if role == Role.CUSTOMER else pm)
    tag = TagFactory()
    for _ in range(2):
        VoteFactory(idea=IdeaFactory(category=CategoryFactory()))
    _list_queries(client)  # warm the status-label cache
    small = _list_queries(client)
    for _ in range(28):
        idea = IdeaFactory(category=CategoryFactory())
        idea.tags.add(tag)
        VoteFactory(idea=idea)
        CommentFactory(idea=idea)
    assert _list_queries(client) == small
    with django_assert_max_num_queries(6):
        client.get(LIST, {"page_size": 100, "tag": tag.slug, "search": "idea"})


# --- One idea --------------------------------------------------------------------------


def test_retrieve_shows_a_merged_idea_with_where_it_went(client_for, customer_a):
    target = IdeaFactory()
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=target)
    response = client_for(customer_a).get(detail(merged))
    assert response.status_code == 200
    assert response.json()["merged_into"] == target.pk
    assert response.json()["status"] == "merged"


def test_retrieve_shows_the_status_history_without_who_changed_it(client_for, customer_a, pm):
    idea = IdeaFactory()
    services.idea_status_change(
        idea=idea, status=IdeaStatus.PLANNED, actor=pm, message="Coming in **Q1**"
    )
    response = client_for(customer_a).get(detail(idea))
    body = response.json()
    assert set(body) == CUSTOMER_FIELDS | {"status_changes"}
    [change] = body["status_changes"]
    assert set(change) == {
        "from_status",
        "to_status",
        "to_label",
        "message",
        "message_html",
        "created_at",
    }
    assert (change["from_status"], change["to_status"], change["to_label"]) == (
        "open",
        "planned",
        "Planned",
    )
    assert "<strong>Q1</strong>" in change["message_html"]


def test_staff_detail_has_demand_and_history(client_for, csm):
    idea = IdeaFactory()
    body = client_for(csm).get(detail(idea)).json()
    assert set(body) == STAFF_FIELDS | {"status_changes"}


def test_retrieve_query_count(client_for, customer_a, django_assert_max_num_queries):
    idea = IdeaFactory()
    idea.tags.add(TagFactory(), TagFactory())
    client = client_for(customer_a)
    client.get(detail(idea))  # warm the status-label cache
    with django_assert_max_num_queries(5):  # session, user, idea, tags, history
        client.get(detail(idea))


def test_retrieve_unknown_idea_is_404_json(client_for, customer_a):
    response = client_for(customer_a).get(reverse("idea-detail", kwargs={"pk": 99999}))
    assert response.status_code == 404
    assert "detail" in response.json()


# --- Posting ---------------------------------------------------------------------------


def test_customer_posts_an_idea_and_votes_for_it_and_follows_it(client_for, customer_a):
    CategoryFactory(slug="reports")
    TagFactory(name="pdf")
    response = client_for(customer_a).post(
        LIST,
        {
            "title": "  Export to PDF  ",
            "description": "**Please** <script>alert(1)</script>",
            "category": "reports",
            "tags": ["pdf"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    idea = Idea.objects.get(pk=body["id"])
    assert response["Location"] == detail(idea)
    assert body["title"] == "Export to PDF"
    assert body["category"] == {"slug": "reports", "name": idea.category.name}
    assert [tag["slug"] for tag in body["tags"]] == ["pdf"]
    assert body["vote_count"] == 1
    assert (body["voted"], body["following"], body["is_author"]) == (True, True, True)
    assert "<strong>Please</strong>" in body["description_html"]
    assert "<script" not in body["description_html"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 161}, "title"),
        ({"title": "Fine title", "category": "nope"}, "category"),
        ({"title": "Fine title", "tags": ["nope"]}, "tags"),
        # A title becomes an e-mail subject: CR/LF once stopped every alert e-mail.
        ({"title": "Fine title\r\nBcc: all@example.com"}, "title"),
        ({"title": "Fine\ttitle"}, "title"),
    ],
)
def test_invalid_idea_is_a_400_naming_the_field(client_for, customer_a, payload, field):
    response = client_for(customer_a).post(LIST, payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Idea.objects.exists()


def test_posting_past_the_hourly_limit_is_a_429_with_retry_after(client_for, customer_a, settings):
    settings.FEEDBACK_IDEAS_PER_HOUR = 1
    client = client_for(customer_a)
    assert client.post(LIST, {"title": "First idea"}).status_code == 201
    response = client.post(LIST, {"title": "Second idea"})
    assert response.status_code == 429
    body = response.json()
    assert "1 idea per hour" in body["detail"]
    assert 0 < body["retry_after"] <= 3600
    assert response["Retry-After"] == str(body["retry_after"])
    assert Idea.objects.count() == 1


# --- Editing ---------------------------------------------------------------------------


def test_author_edits_own_open_idea_and_patch_keeps_the_rest(client_for, customer_a):
    idea = IdeaFactory(author=customer_a, title="Old title", category=CategoryFactory())
    idea.tags.add(TagFactory(name="keep"))
    response = client_for(customer_a).patch(
        detail(idea), {"title": "New title"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    idea.refresh_from_db()
    assert idea.title == "New title"
    assert idea.category is not None
    assert list(idea.tags.values_list("slug", flat=True)) == ["keep"]


def test_put_replaces_every_field(client_for, pm):
    idea = IdeaFactory(category=CategoryFactory(), description="Old")
    idea.tags.add(TagFactory())
    response = client_for(pm).put(
        detail(idea), {"title": "Rewritten by PM"}, content_type="application/json"
    )
    assert response.status_code == 200
    idea.refresh_from_db()
    assert (idea.title, idea.description, idea.category) == ("Rewritten by PM", "", None)
    assert not idea.tags.exists()


def test_author_cannot_edit_once_the_team_answered(client_for, customer_a):
    idea = IdeaFactory(author=customer_a, status=IdeaStatus.PLANNED)
    response = client_for(customer_a).patch(
        detail(idea), {"title": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "detail" in response.json()


def test_editing_a_merged_idea_is_a_400(client_for, pm):
    target = IdeaFactory()
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=target)
    response = client_for(pm).patch(
        detail(merged), {"title": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["merged_into"] == target.pk


def test_ideas_cannot_be_deleted_through_the_api(client_for, admin_user):
    idea = IdeaFactory()
    assert client_for(admin_user).delete(detail(idea)).status_code == 405
    assert Idea.objects.filter(pk=idea.pk).exists()


# --- Votes -----------------------------------------------------------------------------


def test_customer_vote_is_idempotent(client_for, customer_a):
    idea = IdeaFactory()
    client = client_for(customer_a)
    first = client.post(vote_url(idea))
    again = client.post(vote_url(idea))
    assert first.status_code == again.status_code == 200
    assert first.json() == {"voted": True, "vote_count": 1, "created": True}
    assert again.json() == {"voted": True, "vote_count": 1, "created": False}
    vote = Vote.objects.get(idea=idea)
    assert (vote.contact, vote.user, vote.added_by) == (customer_a.contact, customer_a, None)
    assert Follow.objects.filter(idea=idea, user=customer_a).exists()


def test_customer_withdraws_a_vote_idempotently(client_for, customer_a):
    idea = IdeaFactory()
    client = client_for(customer_a)
    client.post(vote_url(idea))
    assert client.delete(vote_url(idea)).json() == {
        "voted": False,
        "vote_count": 0,
        "deleted": True,
    }
    assert client.delete(vote_url(idea)).json()["deleted"] is False
    assert Idea.objects.get(pk=idea.pk).vote_count == 0


@pytest.mark.parametrize("status", [IdeaStatus.SHIPPED, IdeaStatus.DECLINED])
@pytest.mark.parametrize("method", ["post", "delete"])
def test_voting_on_a_closed_idea_is_a_400_with_json(client_for, customer_a, status, method):
    idea = IdeaFactory(status=status)
    response = getattr(client_for(customer_a), method)(vote_url(idea))
    assert response.status_code == 400
    assert "Voting is closed" in response.json()["detail"]


def test_voting_on_a_merged_idea_names_the_target(client_for, customer_a):
    target = IdeaFactory()
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=target)
    response = client_for(customer_a).post(vote_url(merged))
    assert response.status_code == 400
    assert response.json()["merged_into"] == target.pk
    assert not Vote.objects.exists()


def test_customer_cannot_vote_for_someone_else(client_for, customer_a, customer_b):
    idea = IdeaFactory()
    response = client_for(customer_a).post(
        vote_url(idea), {"contact": customer_b.contact_id}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_customer_cannot_probe_which_contact_ids_exist(client_for, customer_a):
    response = client_for(customer_a).post(
        vote_url(IdeaFactory()), {"contact": 999999}, content_type="application/json"
    )
    assert response.status_code == 403


def test_customer_naming_themself_votes_normally(client_for, customer_a):
    idea = IdeaFactory()
    response = client_for(customer_a).post(
        vote_url(idea), {"contact": customer_a.contact_id}, content_type="application/json"
    )
    assert response.json()["created"] is True


def test_customer_cannot_attach_a_note(client_for, customer_a):
    response = client_for(customer_a).post(
        vote_url(IdeaFactory()), {"note": "hi"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "note" in response.json()


@pytest.mark.parametrize("role", [Role.CSM, Role.PM, Role.ADMIN])
def test_staff_vote_on_behalf_of_a_contact_with_a_note(client_for, role):
    user = UserFactory(role=role)
    idea = IdeaFactory()
    contact = ContactFactory()
    response = client_for(user).post(
        vote_url(idea),
        {"contact": contact.pk, "note": "Asked on the QBR call"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"voted": True, "vote_count": 1, "created": True}
    vote = Vote.objects.get(idea=idea)
    assert (vote.contact, vote.added_by, vote.user, vote.note) == (
        contact,
        user,
        None,
        "Asked on the QBR call",
    )


@pytest.mark.parametrize(("payload", "field"), [({}, "contact"), ({"contact": 999999}, "contact")])
def test_staff_vote_must_name_an_existing_contact(client_for, csm, payload, field):
    response = client_for(csm).post(
        vote_url(IdeaFactory()), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_staff_withdraw_a_vote_added_on_behalf_but_not_a_customers_own(client_for, csm, customer_a):
    idea = IdeaFactory()
    heard = ContactFactory()
    services.vote_on_behalf(idea=idea, contact=heard, actor=csm)
    services.vote_cast(idea=idea, actor=customer_a)
    client = client_for(csm)

    own = client.delete(vote_url(idea) + f"?contact={customer_a.contact_id}")
    assert own.status_code == 403
    removed = client.delete(vote_url(idea) + f"?contact={heard.pk}")
    assert removed.json() == {"voted": False, "vote_count": 1, "deleted": True}
    assert client.delete(vote_url(idea)).status_code == 400  # no contact named


# --- Follows ---------------------------------------------------------------------------


def test_follow_and_unfollow(client_for, customer_b):
    idea = IdeaFactory()
    client = client_for(customer_b)
    assert client.post(follow_url(idea)).json() == {"following": True}
    assert client.post(follow_url(idea)).json() == {"following": True}
    assert Follow.objects.filter(idea=idea, user=customer_b).count() == 1
    assert client.delete(follow_url(idea)).json() == {"following": False}
    assert not Follow.objects.filter(idea=idea, user=customer_b).exists()


# --- Comments --------------------------------------------------------------------------


def test_customers_never_see_internal_comments_staff_do(client_for, customer_a, csm):
    idea = IdeaFactory()
    CommentFactory(idea=idea, body="Public word")
    CommentFactory(idea=idea, author=csm, body="Internal word", is_internal=True)

    customer_rows = client_for(customer_a).get(comments_url(idea)).json()["results"]
    staff_rows = client_for(csm).get(comments_url(idea)).json()["results"]

    assert [row["body"] for row in customer_rows] == ["Public word"]
    assert [(row["body"], row["internal"]) for row in staff_rows] == [
        ("Public word", False),
        ("Internal word", True),
    ]
    assert staff_rows[1]["author_is_team"] is True


def test_customer_comments_and_follows(client_for, customer_a):
    idea = IdeaFactory()
    response = client_for(customer_a).post(
        comments_url(idea), {"body": "We need this *too*"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["is_mine"], body["internal"]) == (True, False)
    assert "<em>too</em>" in body["body_html"]
    assert Idea.objects.get(pk=idea.pk).comment_count == 1
    assert Follow.objects.filter(idea=idea, user=customer_a).exists()


def test_customer_cannot_post_an_internal_comment(client_for, customer_a):
    idea = IdeaFactory()
    response = client_for(customer_a).post(
        comments_url(idea), {"body": "psst", "internal": True}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_staff_internal_comment_is_not_counted_publicly(client_for, pm):
    idea = IdeaFactory(status=IdeaStatus.SHIPPED)
    response = client_for(pm).post(
        comments_url(idea),
        {"body": "Big account", "internal": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["internal"] is True
    assert Idea.objects.get(pk=idea.pk).comment_count == 0


def test_comments_close_for_customers_when_the_idea_ships_but_not_for_staff(
    client_for, customer_a, pm
):
    idea = IdeaFactory(status=IdeaStatus.SHIPPED)
    refused = client_for(customer_a).post(comments_url(idea), {"body": "Thanks!"})
    assert refused.status_code == 400
    assert "Comments are closed" in refused.json()["detail"]
    assert client_for(pm).post(comments_url(idea), {"body": "It is live."}).status_code == 201


def test_empty_comment_is_a_400(client_for, customer_a):
    response = client_for(customer_a).post(comments_url(IdeaFactory()), {"body": "   "})
    assert response.status_code == 400
    assert "body" in response.json()


def test_commenting_past_the_limit_is_a_429(client_for, customer_a, settings):
    settings.FEEDBACK_COMMENTS_PER_HOUR = 2
    idea = IdeaFactory()
    client = client_for(customer_a)
    for _ in range(2):
        assert client.post(comments_url(idea), {"body": "more"}).status_code == 201
    response = client.post(comments_url(idea), {"body": "more"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) == response.json()["retry_after"] > 0


def test_comment_list_query_count_is_constant(client_for, csm, django_assert_max_num_queries):
    idea = IdeaFactory()
    for _ in range(25):
        CommentFactory(idea=idea)
    client = client_for(csm)
    with django_assert_max_num_queries(5):
        response = client.get(comments_url(idea))
    assert response.json()["count"] == 25
