"""The idea board pages: sorting, filters, search, voting with and without htmx, the
idea page, posting and editing, comments, on-behalf votes and the 429 answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from feedback import services
from feedback.models import Comment, Follow, Idea, StatusLabel, Vote
from feedback.selectors.statuses import labels_clear
from feedback.statuses import IdeaStatus
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory
from tests.feedback.factories import (
    CategoryFactory,
    CommentFactory,
    IdeaFactory,
    TagFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db

BOARD = reverse("feedback:board")


def _titles(response) -> list[str]:
    return [idea.title for idea in response.context["page"]]


# --- Board ----------------------------------------------------------------------------


def test_board_sorts_top_by_stored_votes_by_default(client_for, customer_a):
    low = IdeaFactory(title="Low", vote_count=1)
    high = IdeaFactory(title="High", vote_count=9)
    mid = IdeaFactory(title="Mid", vote_count=4)
    response = client_for(customer_a).get(BOARD)
    assert response.status_code == 200
    assert _titles(response) == [high.title, mid.title, low.title]


def test_board_sorts_trending_and_newest(client_for, customer_a):
    old = IdeaFactory(title="Old but hot", trend_score=50.0)
    new = IdeaFactory(title="New and quiet", trend_score=1.0)
    Idea.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    client = client_for(customer_a)
    assert _titles(client.get(BOARD, {"sort": "trending"})) == [old.title, new.title]
    assert _titles(client.get(BOARD, {"sort": "newest"})) == [new.title, old.title]


def test_board_hides_merged_ideas(client_for, customer_a):
    target = IdeaFactory(title="Target")
    IdeaFactory(title="Duplicate", status=IdeaStatus.MERGED, merged_into=target)
    assert _titles(client_for(customer_a).get(BOARD)) == ["Target"]


def test_board_filters_by_status_category_and_tag(client_for, customer_a):
    reports = CategoryFactory(name="Reports", slug="reports")
    excel = TagFactory(name="excel")
    wanted = IdeaFactory(title="Wanted", status=IdeaStatus.PLANNED, category=reports)
    wanted.tags.add(excel)
    IdeaFactory(title="Other status", status=IdeaStatus.OPEN, category=reports).tags.add(excel)
    IdeaFactory(title="Other category", status=IdeaStatus.PLANNED).tags.add(excel)
    IdeaFactory(title="No tag", status=IdeaStatus.PLANNED, category=reports)
    response = client_for(customer_a).get(
        BOARD, {"status": "planned", "category": "reports", "tag": "excel"}
    )
    assert _titles(response) == ["Wanted"]
    assert response.context["has_filters"]


def test_board_ignores_unknown_filter_values(client_for, customer_a):
    IdeaFactory(title="Still listed")
    response = client_for(customer_a).get(
        BOARD, {"status": "bogus", "category": "gone", "tag": "nope", "sort": "x"}
    )
    assert response.status_code == 200
    assert _titles(response) == ["Still listed"]


def test_board_search_finds_words_in_title_or_description(client_for, customer_a):
    IdeaFactory(title="Export reports to Excel")
    IdeaFactory(title="Dark mode", description="Easier on the eyes at night")
    IdeaFactory(title="Single sign-on")
    client = client_for(customer_a)
    assert _titles(client.get(BOARD, {"q": "excel"})) == ["Export reports to Excel"]
    assert _titles(client.get(BOARD, {"q": "night eyes"})) == ["Dark mode"]
    response = client.get(BOARD, {"q": "kubernetes"})
    assert _titles(response) == []
    assert "No ideas match" in response.content.decode()


def test_board_paginates_by_25(client_for, customer_a):
    for n in range(30):
        IdeaFactory(title=f"Idea {n:02d}", vote_count=n)
    client = client_for(customer_a)
    first = client.get(BOARD)
    second = client.get(BOARD, {"page": 2})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert 'rel="next"' in first.content.decode()


def test_empty_board_invites_the_first_idea(client_for, customer_a):
    response = client_for(customer_a).get(BOARD)
    body = response.content.decode()
    assert "No ideas yet" in body
    assert reverse("feedback:idea_new") in body


def test_board_rows_show_status_label_category_tags_and_counts(client_for, customer_a):
    StatusLabel.objects.create(status=IdeaStatus.PLANNED, label="On the plan")
    labels_clear()
    idea = IdeaFactory(
        title="Row idea",
        status=IdeaStatus.PLANNED,
        category=CategoryFactory(name="Integrations"),
        comment_count=3,
    )
    idea.tags.add(TagFactory(name="salesforce"))
    VoteFactory(idea=idea)
    body = client_for(customer_a).get(BOARD).content.decode()
    labels_clear()
    assert "On the plan" in body
    assert "Integrations" in body
    assert "#salesforce" in body
    assert '<span class="vote-count">1</span>' in body
    assert "3 comments" in body


def test_board_marks_the_customers_own_votes(client_for, customer_a):
    mine = IdeaFactory(title="Mine")
    IdeaFactory(title="Not mine")
    services.vote_cast(idea=mine, actor=customer_a)
    response = client_for(customer_a).get(BOARD)
    voted = {idea.title: idea.viewer_voted for idea in response.context["page"]}
    assert voted == {"Mine": True, "Not mine": False}
    assert response.content.decode().count('aria-pressed="true"') == 1


def test_staff_see_the_board_without_a_vote_button(client_for, csm):
    IdeaFactory(title="Some idea")
    body = client_for(csm).get(BOARD).content.decode()
    assert "Some idea" in body
    assert reverse("feedback:vote", args=[Idea.objects.get().pk]) not in body


def _board_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(BOARD).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.PM])
def test_board_runs_a_constant_number_of_queries(client_for, role, django_assert_max_num_queries):
    user = UserFactory(role=role)
    client = client_for(user)
    category = CategoryFactory()
    tags = [TagFactory(), TagFactory()]

    def seed(n: int) -> None:
        for _ in range(n):
            idea = IdeaFactory(category=category)
            idea.tags.set(tags)
            VoteFactory(idea=idea)
            CommentFactory(idea=idea)

    seed(2)
    few = _board_queries(client)
    seed(28)
    with django_assert_max_num_queries(few):
        client.get(BOARD)
    with django_assert_max_num_queries(10):
        client.get(BOARD, {"q": "idea", "sort": "trending", "tag": tags[0].slug})


# --- Voting ---------------------------------------------------------------------------


def test_htmx_vote_toggles_and_returns_the_button(client_for, customer_a):
    idea = IdeaFactory()
    client = client_for(customer_a)
    url = reverse("feedback:vote", args=[idea.pk])
    response = client.post(
        url,
        {"action": "vote"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{BOARD}?sort=newest",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="vote-{idea.pk}"' in body
    assert '<span class="vote-count">1</span>' in body
    assert 'aria-pressed="true"' in body
    assert "<html" not in body
    assert f'name="next" value="{BOARD}?sort=newest"' in body
    response = client.post(url, {"action": "unvote"}, HTTP_HX_REQUEST="true")
    assert '<span class="vote-count">0</span>' in response.content.decode()
    assert 'aria-pressed="false"' in response.content.decode()
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_repeated_vote_clicks_keep_one_vote(client_for, customer_a):
    idea = IdeaFactory()
    client = client_for(customer_a)
    url = reverse("feedback:vote", args=[idea.pk])
    for _ in range(3):
        client.post(url, {"action": "vote"}, HTTP_HX_REQUEST="true")
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert Vote.objects.filter(idea=idea).count() == 1


def test_vote_without_js_redirects_back_to_the_board(client_for, customer_a):
    idea = IdeaFactory()
    response = client_for(customer_a).post(
        reverse("feedback:vote", args=[idea.pk]), {"next": BOARD + "?sort=newest"}
    )
    assert response.status_code == 302
    assert response["Location"] == BOARD + "?sort=newest"
    assert Vote.objects.filter(idea=idea, contact=customer_a.contact).exists()


def test_vote_never_redirects_off_site(client_for, customer_a):
    idea = IdeaFactory()
    response = client_for(customer_a).post(
        reverse("feedback:vote", args=[idea.pk]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("feedback:idea", args=[idea.pk])


def test_vote_on_a_closed_idea_explains_itself(client_for, customer_a):
    idea = IdeaFactory(status=IdeaStatus.SHIPPED)
    client = client_for(customer_a)
    url = reverse("feedback:vote", args=[idea.pk])
    response = client.post(url, {"action": "vote"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Voting is closed" in response.content.decode()
    response = client.post(url, {"action": "vote"}, follow=True)
    assert "Voting is closed" in response.content.decode()
    assert not Vote.objects.filter(idea=idea).exists()


# --- Idea page ------------------------------------------------------------------------


def test_idea_page_shows_description_history_and_comments(client_for, customer_a, pm):
    idea = services.idea_create(
        author=customer_a, title="Scheduled exports", description="Every **Monday**."
    )
    services.idea_status_change(
        idea=idea, status=IdeaStatus.PLANNED, actor=pm, message="Coming in *Q3*."
    )
    services.comment_add(idea=idea, author=customer_a, body="We need this for finance.")
    services.comment_add(idea=idea, author=pm, body="Scoping it now.", internal=True)
    response = client_for(customer_a).get(reverse("feedback:idea", args=[idea.pk]))
    body = response.content.decode()
    assert "<strong>Monday</strong>" in body
    assert "<em>Q3</em>" in body
    assert "We need this for finance." in body
    assert "Scoping it now." not in body
    assert "You voted for this idea." in body


def test_htmx_vote_on_the_idea_page_updates_the_total_beside_the_button(client_for, customer_a):
    idea = IdeaFactory()
    response = client_for(customer_a).post(
        reverse("feedback:vote", args=[idea.pk]),
        {"action": "vote", "detail": "1"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "1 vote" in body
    assert "You voted for this idea." in body


def test_merged_idea_redirects_along_the_chain(client_for, customer_a):
    final = IdeaFactory(title="Final")
    middle = IdeaFactory(status=IdeaStatus.MERGED, merged_into=final)
    first = IdeaFactory(status=IdeaStatus.MERGED, merged_into=middle)
    response = client_for(customer_a).get(reverse("feedback:idea", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:idea", args=[final.pk])


def test_merge_cycle_does_not_loop(client_for, customer_a):
    a = IdeaFactory(title="A")
    b = IdeaFactory(title="B", status=IdeaStatus.MERGED, merged_into=a)
    Idea.objects.filter(pk=a.pk).update(status=IdeaStatus.MERGED, merged_into=b)
    response = client_for(customer_a).get(reverse("feedback:idea", args=[a.pk]))
    assert response.status_code == 200


def test_idea_page_runs_a_constant_number_of_queries(
    client_for, pm, customer_a, django_assert_max_num_queries
):
    idea = IdeaFactory()
    url = reverse("feedback:idea", args=[idea.pk])
    for _ in range(2):
        VoteFactory(idea=idea)
        CommentFactory(idea=idea)
    counts = {}
    for user in (customer_a, pm):
        with CaptureQueriesContext(connection) as captured:
            client_for(user).get(url)
        counts[user.pk] = len(captured)
    for _ in range(10):
        VoteFactory(idea=idea)
        CommentFactory(idea=idea, is_internal=True, author=UserFactory(role=Role.CSM))
        CommentFactory(idea=idea)
    for user in (customer_a, pm):
        with django_assert_max_num_queries(counts[user.pk]):
            client_for(user).get(url)


def test_follow_toggles_with_htmx(client_for, customer_a):
    idea = IdeaFactory()
    client = client_for(customer_a)
    url = reverse("feedback:follow", args=[idea.pk])
    response = client.post(url, {"action": "follow"}, HTTP_HX_REQUEST="true")
    assert "Following" in response.content.decode()
    assert Follow.objects.filter(idea=idea, user=customer_a).exists()
    response = client.post(url, {"action": "unfollow"})
    assert response.status_code == 302
    assert not Follow.objects.filter(idea=idea, user=customer_a).exists()


# --- Posting and editing ----------------------------------------------------------------


def test_customer_posts_an_idea_and_lands_on_it(client_for, customer_a):
    category = CategoryFactory()
    tag = TagFactory()
    response = client_for(customer_a).post(
        reverse("feedback:idea_new"),
        {
            "title": "Slack   alerts for   renewals",
            "description": "Post to *#cs*.",
            "category": category.pk,
            "tags": [tag.pk],
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:idea", args=[idea.pk])
    assert idea.title == "Slack alerts for renewals"
    assert idea.description_html == "<p>Post to <em>#cs</em>.</p>"
    assert list(idea.tags.all()) == [tag]
    assert idea.vote_count == 1


def test_idea_form_shows_errors(client_for, customer_a):
    response = client_for(customer_a).post(reverse("feedback:idea_new"), {"title": ""})
    assert response.status_code == 400
    assert "Give your idea a title." in response.content.decode()


def test_idea_over_the_hourly_limit_answers_429_and_keeps_the_text(
    settings, client_for, customer_a
):
    settings.FEEDBACK_IDEAS_PER_HOUR = 1
    client = client_for(customer_a)
    url = reverse("feedback:idea_new")
    assert client.post(url, {"title": "First idea here"}).status_code == 302
    response = client.post(url, {"title": "Second idea here", "description": "keep me"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "You can post 1 idea per hour" in body
    assert "Second idea here" in body
    assert "keep me" in body
    assert Idea.objects.count() == 1


def test_comment_over_the_hourly_limit_answers_429(settings, client_for, customer_a):
    settings.FEEDBACK_COMMENTS_PER_HOUR = 2
    idea = IdeaFactory()
    client = client_for(customer_a)
    url = reverse("feedback:comment", args=[idea.pk])
    for n in range(2):
        assert client.post(url, {"body": f"Comment {n}"}).status_code == 302
    response = client.post(url, {"body": "One too many"})
    assert response.status_code == 429
    assert "Retry-After" in response
    body = response.content.decode()
    assert "You can post 2 comments per hour" in body
    assert "One too many" in body
    assert Comment.objects.filter(idea=idea).count() == 2


def test_comment_posts_and_redirects_to_the_comment(client_for, customer_a):
    idea = IdeaFactory()
    response = client_for(customer_a).post(
        reverse("feedback:comment", args=[idea.pk]), {"body": "Yes please"}
    )
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert not comment.is_internal
    idea.refresh_from_db()
    assert idea.comment_count == 1


def test_empty_comment_is_a_form_error(client_for, customer_a):
    idea = IdeaFactory()
    response = client_for(customer_a).post(
        reverse("feedback:comment", args=[idea.pk]), {"body": "  "}
    )
    assert response.status_code == 400
    assert "Write something" in response.content.decode()


def test_customers_cannot_comment_on_closed_ideas_but_staff_can(client_for, customer_a, pm):
    idea = IdeaFactory(status=IdeaStatus.DECLINED)
    url = reverse("feedback:comment", args=[idea.pk])
    assert client_for(customer_a).post(url, {"body": "Why?"}).status_code == 400
    assert client_for(pm).post(url, {"body": "Because."}).status_code == 302
    assert list(Comment.objects.values_list("body", flat=True)) == ["Because."]


def test_staff_post_internal_comments_and_customers_cannot(client_for, csm, customer_a):
    idea = IdeaFactory()
    url = reverse("feedback:comment", args=[idea.pk])
    client_for(csm).post(url, {"body": "Big renewal depends on it", "form": "internal"})
    client_for(customer_a).post(url, {"body": "Sneaky", "internal": "on", "form": "internal"})
    comments = dict(Comment.objects.values_list("body", "is_internal"))
    assert comments == {"Big renewal depends on it": True, "Sneaky": False}


def test_author_edits_while_open_and_pm_any_time(client_for, customer_a, customer_b, pm):
    idea = services.idea_create(author=customer_a, title="Original title")
    url = reverse("feedback:idea_edit", args=[idea.pk])
    data = {"title": "Better title", "description": "More"}
    assert client_for(customer_a).get(url).status_code == 200
    assert client_for(customer_a).post(url, data).status_code == 302
    assert client_for(customer_b).post(url, data).status_code == 403
    services.idea_status_change(idea=idea, status=IdeaStatus.PLANNED, actor=pm)
    assert client_for(customer_a).get(url).status_code == 403
    assert client_for(pm).post(url, {"title": "PM title"}).status_code == 302
    idea.refresh_from_db()
    assert idea.title == "PM title"


# --- Similar ideas --------------------------------------------------------------------


def test_similar_suggests_up_to_five_board_ideas_sharing_any_word(client_for, customer_a):
    for n in range(7):
        IdeaFactory(title=f"Export format {n}", vote_count=n)
    IdeaFactory(title="Export merged", status=IdeaStatus.MERGED, merged_into=IdeaFactory())
    IdeaFactory(title="Unrelated thing")
    response = client_for(customer_a).get(
        reverse("feedback:similar"), {"title": "Excel export"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<li>") == 5
    assert "Export format 6" in body
    assert "Export merged" not in body
    assert "Unrelated" not in body


def test_similar_returns_nothing_for_no_words(client_for, customer_a):
    IdeaFactory(title="Anything")
    response = client_for(customer_a).get(reverse("feedback:similar"), {"title": "the a"})
    assert response.status_code == 200
    assert "<li>" not in response.content.decode()


def test_similar_excludes_the_idea_being_edited(client_for, customer_a):
    idea = IdeaFactory(title="Export to Excel")
    response = client_for(customer_a).get(
        reverse("feedback:similar"), {"title": "Export", "exclude": idea.pk}
    )
    assert "Export to Excel" not in response.content.decode()


def test_new_idea_form_asks_for_suggestions_while_typing(client_for, customer_a):
    body = client_for(customer_a).get(reverse("feedback:idea_new")).content.decode()
    assert f'hx-get="{reverse("feedback:similar")}"' in body
    assert 'hx-trigger="keyup changed delay:300ms"' in body


# --- Vote on behalf -------------------------------------------------------------------


def test_csm_adds_a_vote_on_behalf_with_a_note(client_for, csm):
    idea = IdeaFactory()
    contact = ContactFactory(account=AccountFactory(name="Globex"))
    response = client_for(csm).post(
        reverse("feedback:vote_on_behalf", args=[idea.pk]),
        {"account": contact.account_id, "contact": contact.pk, "note": "QBR call"},
    )
    assert response.status_code == 302
    vote = Vote.objects.get(idea=idea)
    assert (vote.contact, vote.added_by, vote.note) == (contact, csm, "QBR call")
    idea.refresh_from_db()
    assert idea.vote_count == 1


def test_vote_on_behalf_is_idempotent_and_says_so(client_for, csm, customer_a):
    idea = IdeaFactory()
    services.vote_cast(idea=idea, actor=customer_a)
    response = client_for(csm).post(
        reverse("feedback:vote_on_behalf", args=[idea.pk]),
        {"account": customer_a.contact.account_id, "contact": customer_a.contact_id},
        follow=True,
    )
    assert "had already voted" in response.content.decode()
    idea.refresh_from_db()
    assert idea.vote_count == 1


def test_vote_on_behalf_rejects_a_contact_of_another_account(client_for, csm, account_a):
    idea = IdeaFactory()
    stranger = ContactFactory()
    response = client_for(csm).post(
        reverse("feedback:vote_on_behalf", args=[idea.pk]),
        {"account": account_a.pk, "contact": stranger.pk},
    )
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_vote_on_behalf_steps_search_accounts_then_list_contacts(client_for, csm):
    idea = IdeaFactory()
    globex = AccountFactory(name="Globex")
    AccountFactory(name="Initech")
    ContactFactory(account=globex, name="Hank Scorpio")
    client = client_for(csm)
    url = reverse("feedback:vote_on_behalf", args=[idea.pk])
    step1 = client.get(url, {"q": "glob"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Globex" in step1
    assert "Initech" not in step1
    assert "<html" not in step1
    step2 = client.get(url, {"account": globex.pk}).content.decode()
    assert "Hank Scorpio" in step2
    assert 'name="note"' in step2


def test_pm_sees_demand_split_and_voting_accounts(client_for, pm, customer_a, csm):
    idea = IdeaFactory()
    services.vote_cast(idea=idea, actor=customer_a)
    other = ContactFactory(account=AccountFactory(name="Globex"))
    services.vote_on_behalf(idea=idea, contact=other, actor=csm)
    body = client_for(pm).get(reverse("feedback:idea", args=[idea.pk])).content.decode()
    assert "1 vote from customers, 1 added by CSMs" in body
    assert "Globex" in body
    assert "Account A" in body


def test_triage_actions_are_linked_for_those_their_pages_admit(client_for, customer_a, pm):
    from django.urls import NoReverseMatch

    idea = IdeaFactory()
    url = reverse("feedback:idea", args=[idea.pk])
    pm_page = client_for(pm).get(url).content.decode()
    customer_page = client_for(customer_a).get(url).content.decode()
    for name in ("feedback:idea_status", "feedback:merge", "feedback:idea_tickets"):
        try:
            action = reverse(name, args=[idea.pk])
        except NoReverseMatch:
            continue  # that page is not installed
        assert f'href="{action}"' in pm_page
        assert f'href="{action}"' not in customer_page
