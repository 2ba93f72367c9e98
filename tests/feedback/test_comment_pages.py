"""A long thread stays a page: the latest comments first shown, earlier ones on demand
(htmx fragment, or a link that shows more without JavaScript), in constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.models import Idea
from feedback.selectors.board import COMMENTS_PAGE
from tests.feedback.factories import CommentFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def _thread(count: int, **kwargs) -> Idea:
    idea = IdeaFactory(title="Long thread")
    for n in range(count):
        CommentFactory(idea=idea, body=f"Comment {n:03d}", body_html=f"<p>Comment {n:03d}</p>")
    Idea.objects.filter(pk=idea.pk).update(comment_count=count)
    return idea


def _shown(response) -> list[str]:
    return [row.comment.body for row in response.context["page"].comments.rows]


def test_the_page_shows_the_latest_comments_and_offers_earlier_ones(client_for, customer_a):
    idea = _thread(COMMENTS_PAGE + 5)
    response = client_for(customer_a).get(reverse("feedback:idea", args=[idea.pk]))
    shown = _shown(response)
    assert shown == [f"Comment {n:03d}" for n in range(5, COMMENTS_PAGE + 5)]
    html = response.content.decode()
    assert f"{COMMENTS_PAGE + 5} comments" in html
    assert "Show earlier comments" in html
    assert f"?comments={2 * COMMENTS_PAGE}#comments" in html


def test_without_javascript_the_link_shows_the_whole_thread(client_for, customer_a):
    idea = _thread(COMMENTS_PAGE + 5)
    response = client_for(customer_a).get(
        reverse("feedback:idea", args=[idea.pk]), {"comments": 2 * COMMENTS_PAGE}
    )
    assert len(_shown(response)) == COMMENTS_PAGE + 5
    assert "Show earlier comments" not in response.content.decode()


def test_htmx_fragment_brings_the_earlier_comments(client_for, customer_a):
    idea = _thread(COMMENTS_PAGE + 5)
    client = client_for(customer_a)
    first = client.get(reverse("feedback:idea", args=[idea.pk])).context["page"].comments
    response = client.get(
        reverse("feedback:comments", args=[idea.pk]), {"before": first.earlier_than}
    )
    earlier = [row.comment.body for row in response.context["slice"].rows]
    assert earlier == [f"Comment {n:03d}" for n in range(5)]
    assert not response.context["slice"].has_earlier
    bad = client.get(reverse("feedback:comments", args=[idea.pk]), {"before": "x"})
    assert bad.status_code == 400


def test_internal_comments_stay_out_of_the_customer_fragment(client_for, customer_a):
    idea = _thread(3)
    CommentFactory(idea=idea, is_internal=True, body="Team note")
    response = client_for(customer_a).get(
        reverse("feedback:comments", args=[idea.pk]), {"before": 10**9}
    )
    assert "Team note" not in response.content.decode()


def test_idea_page_queries_do_not_grow_with_the_thread(
    client_for, customer_a, django_assert_max_num_queries
):
    short = _thread(2)
    client = client_for(customer_a)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("feedback:idea", args=[short.pk]))
    long = _thread(3 * COMMENTS_PAGE)
    with django_assert_max_num_queries(30) as many:
        client.get(reverse("feedback:idea", args=[long.pk]))
    assert len(many.captured_queries) == len(few.captured_queries)
