"""The board's hourly limits hold under concurrency and cover edits and follows, at
every door: the service, the API and the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback import services
from feedback.limits import RateLimited
from feedback.models import Comment, Follow, Idea
from tests.concurrency import race
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def _refusals(outcomes: list[object]) -> int:
    assert all(o is None or isinstance(o, (Idea, Comment, RateLimited)) for o in outcomes), outcomes
    return sum(isinstance(o, RateLimited) for o in outcomes)


# --- Concurrency, on PostgreSQL ---------------------------------------------------------


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_create_exactly_the_limit(settings, customer_a):
    settings.FEEDBACK_IDEAS_PER_HOUR = 5

    def post(n: int):
        return lambda: services.idea_create(author=customer_a, title=f"Concurrent idea {n}")

    outcomes = race([post(n) for n in range(20)], threads=10)

    assert _refusals(outcomes) == 15
    assert Idea.objects.filter(author=customer_a).count() == 5


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_comments_create_exactly_the_limit(settings, customer_a):
    settings.FEEDBACK_COMMENTS_PER_HOUR = 30
    idea = IdeaFactory()

    def comment(n: int):
        return lambda: services.comment_add(idea=idea, author=customer_a, body=f"Comment {n}")

    outcomes = race([comment(n) for n in range(50)], threads=10)

    assert _refusals(outcomes) == 20
    assert Comment.objects.filter(author=customer_a).count() == 30


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_and_follows_stop_at_their_limits(settings, customer_a):
    settings.FEEDBACK_EDITS_PER_HOUR = 3
    settings.FEEDBACK_FOLLOWS_PER_HOUR = 4
    idea = IdeaFactory(author=customer_a)

    def edit(n: int):
        return lambda: services.idea_update(
            idea=idea, actor=customer_a, title=f"Edited {n} times", description="", category=None
        )

    def follow(n: int):
        return lambda: services.follow_set(idea=idea, user=customer_a, following=n % 2 == 0)

    edits = race([edit(n) for n in range(12)], threads=6)
    follows = race([follow(n) for n in range(12)], threads=6)

    assert sum(isinstance(o, RateLimited) for o in edits) == 9
    assert sum(isinstance(o, RateLimited) for o in follows) == 8


# --- Edits and follows at each door -------------------------------------------------------


def test_editing_past_the_limit_is_refused_by_the_service(settings, customer_a):
    settings.FEEDBACK_EDITS_PER_HOUR = 1
    idea = IdeaFactory(author=customer_a, title="Original title")
    services.idea_update(
        idea=idea, actor=customer_a, title="First edit", description="", category=None
    )
    with pytest.raises(RateLimited, match="1 edit per hour"):
        services.idea_update(
            idea=idea, actor=customer_a, title="Second edit", description="", category=None
        )
    idea.refresh_from_db()
    assert idea.title == "First edit"


def test_editing_past_the_limit_is_a_429_in_the_api(settings, client_for, customer_a):
    settings.FEEDBACK_EDITS_PER_HOUR = 1
    idea = IdeaFactory(author=customer_a)
    client = client_for(customer_a)
    url = reverse("idea-detail", kwargs={"pk": idea.pk})
    ok = client.patch(url, {"title": "First edit"}, content_type="application/json")
    assert ok.status_code == 200
    refused = client.patch(url, {"title": "Second edit"}, content_type="application/json")
    assert refused.status_code == 429
    assert "1 edit per hour" in refused.json()["detail"]
    assert refused["Retry-After"] == str(refused.json()["retry_after"])


def test_editing_past_the_limit_on_the_page_keeps_the_text(settings, client_for, customer_a):
    settings.FEEDBACK_EDITS_PER_HOUR = 1
    idea = IdeaFactory(author=customer_a)
    client = client_for(customer_a)
    url = reverse("feedback:idea_edit", args=[idea.pk])
    assert client.post(url, {"title": "First edit", "description": ""}).status_code == 302
    refused = client.post(url, {"title": "Second edit kept", "description": ""})
    assert refused.status_code == 429
    assert "Retry-After" in refused
    body = refused.content.decode()
    assert "You can save 1 edit per hour" in body
    assert "Second edit kept" in body


def test_following_past_the_limit_is_a_429_in_the_api(settings, client_for, customer_a):
    settings.FEEDBACK_FOLLOWS_PER_HOUR = 2
    idea = IdeaFactory()
    client = client_for(customer_a)
    url = reverse("idea-follow", kwargs={"pk": idea.pk})
    assert client.post(url).status_code == 200
    assert client.delete(url).status_code == 200
    refused = client.post(url)
    assert refused.status_code == 429
    assert "2 times per hour" in refused.json()["detail"]
    assert not Follow.objects.filter(idea=idea, user=customer_a).exists()


def test_following_past_the_limit_on_the_page_says_why_beside_the_button(
    settings, client_for, customer_a
):
    settings.FEEDBACK_FOLLOWS_PER_HOUR = 1
    idea = IdeaFactory()
    client = client_for(customer_a)
    url = reverse("feedback:follow", args=[idea.pk])
    assert client.post(url, {"action": "follow"}, HTTP_HX_REQUEST="true").status_code == 200

    refused = client.post(url, {"action": "unfollow"}, HTTP_HX_REQUEST="true")

    body = refused.content.decode()
    assert "You can follow or unfollow ideas 1 time per hour" in body
    assert 'aria-pressed="true"' in body  # still following: the button as it was
    assert "Retry-After" in refused
    plain = client.post(url, {"action": "unfollow"}, follow=True)
    assert "You can follow or unfollow ideas 1 time per hour" in plain.content.decode()
    assert Follow.objects.filter(idea=idea, user=customer_a).exists()


def test_posting_and_voting_follow_without_spending_the_follow_limit(settings, customer_a):
    settings.FEEDBACK_FOLLOWS_PER_HOUR = 1
    idea = services.idea_create(author=customer_a, title="An idea of mine")
    other = IdeaFactory()
    services.comment_add(idea=other, author=customer_a, body="Me too")
    assert Follow.objects.filter(user=customer_a).count() == 2
    services.follow_set(idea=idea, user=customer_a, following=False)  # the one follow
