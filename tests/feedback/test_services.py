"""The board's writes: exact counters, one vote per person, follows, comments, limits."""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.roles import Role
from feedback import services, trending
from feedback.limits import RateLimited
from feedback.models import Comment, Follow, Idea, Vote
from feedback.statuses import IdeaStatus
from tests.accounts.factories import ContactFactory, UserFactory
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_vote_cast_twice_stores_one_vote_and_counts_one(customer_a):
    idea = IdeaFactory()
    assert services.vote_cast(idea=idea, actor=customer_a) is True
    assert services.vote_cast(idea=idea, actor=customer_a) is False
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert Vote.objects.filter(idea=idea).count() == 1


def test_vote_cast_follows_the_voter_and_records_the_account(customer_a):
    idea = IdeaFactory()
    services.vote_cast(idea=idea, actor=customer_a)
    vote = Vote.objects.get(idea=idea)
    assert vote.account_id == customer_a.contact.account_id
    assert not vote.on_behalf
    assert Follow.objects.filter(idea=idea, user=customer_a).exists()


def test_a_csm_vote_and_the_customers_own_vote_are_one_vote(customer_a, csm):
    idea = IdeaFactory()
    added = services.vote_on_behalf(
        idea=idea, contact=customer_a.contact, actor=csm, note="Asked on the QBR call"
    )
    again = services.vote_cast(idea=idea, actor=customer_a)
    assert (added, again) == (True, False)
    vote = Vote.objects.get(idea=idea)
    assert vote.on_behalf
    assert vote.note == "Asked on the QBR call"
    idea.refresh_from_db()
    assert idea.vote_count == 1


def test_vote_withdraw_takes_the_count_back_once(customer_a):
    idea = IdeaFactory()
    services.vote_cast(idea=idea, actor=customer_a)
    assert services.vote_withdraw(idea=idea, actor=customer_a) is True
    assert services.vote_withdraw(idea=idea, actor=customer_a) is False
    idea.refresh_from_db()
    assert idea.vote_count == 0


@pytest.mark.parametrize("status", [IdeaStatus.SHIPPED, IdeaStatus.DECLINED])
def test_closed_ideas_take_no_votes(customer_a, status):
    idea = IdeaFactory(status=status)
    with pytest.raises(services.VoteClosed):
        services.vote_cast(idea=idea, actor=customer_a)
    assert not Vote.objects.exists()


def test_a_vote_raises_the_trending_score_as_the_formula_says(customer_a):
    idea = IdeaFactory(trend_score=trending.activity_term(timezone.now(), 1.0))
    before = idea.trend_score
    services.vote_cast(idea=idea, actor=customer_a)
    idea.refresh_from_db()
    expected = trending.score_after(before, timezone.now(), trending.WEIGHT_VOTE)
    assert math.isclose(idea.trend_score, expected, abs_tol=1e-3)
    assert idea.trend_score > before


def test_a_customers_idea_carries_their_vote_and_follow(customer_a):
    idea = services.idea_create(
        author=customer_a, title="  Export to CSV  ", description="**Please** <script>x</script>"
    )
    assert idea.title == "Export to CSV"
    assert idea.vote_count == 1
    assert "<strong>Please</strong>" in idea.description_html
    assert "<script" not in idea.description_html
    assert Follow.objects.filter(idea=idea, user=customer_a).exists()


def test_a_staff_idea_follows_but_does_not_vote(pm):
    idea = services.idea_create(author=pm, title="Audit log")
    assert idea.vote_count == 0
    assert Follow.objects.filter(idea=idea, user=pm).exists()


def test_idea_limit_per_hour(settings, customer_a):
    settings.FEEDBACK_IDEAS_PER_HOUR = 2
    services.idea_create(author=customer_a, title="Idea one")
    services.idea_create(author=customer_a, title="Idea two")
    with pytest.raises(RateLimited) as caught:
        services.idea_create(author=customer_a, title="Idea three")
    assert "2 ideas per hour" in caught.value.message
    assert 0 < caught.value.retry_after <= 3600
    assert Idea.objects.count() == 2


def test_comment_limit_per_hour(settings, customer_a):
    settings.FEEDBACK_COMMENTS_PER_HOUR = 1
    idea = IdeaFactory()
    services.comment_add(idea=idea, author=customer_a, body="First")
    with pytest.raises(RateLimited):
        services.comment_add(idea=idea, author=customer_a, body="Second")
    assert Comment.objects.count() == 1


def test_public_comments_count_internal_ones_do_not(customer_a, csm):
    idea = IdeaFactory()
    services.comment_add(idea=idea, author=customer_a, body="Same need here")
    services.comment_add(idea=idea, author=csm, body="Acme's renewal hinges on it", internal=True)
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert Comment.objects.filter(is_internal=True).count() == 1


def test_customers_cannot_post_internal_comments(customer_a):
    with pytest.raises(PermissionDenied):
        services.comment_add(idea=IdeaFactory(), author=customer_a, body="psst", internal=True)


def test_follow_set_is_idempotent_both_ways():
    user = UserFactory(role=Role.CUSTOMER)
    idea = IdeaFactory()
    services.follow_set(idea=idea, user=user)
    services.follow_set(idea=idea, user=user)
    assert Follow.objects.filter(idea=idea, user=user).count() == 1
    services.follow_set(idea=idea, user=user, following=False)
    services.follow_set(idea=idea, user=user, following=False)
    assert not Follow.objects.filter(idea=idea, user=user).exists()


def test_contact_of_another_account_votes_separately(customer_a):
    idea = IdeaFactory()
    other = UserFactory(role=Role.CUSTOMER, contact=ContactFactory())
    services.vote_cast(idea=idea, actor=customer_a)
    services.vote_cast(idea=idea, actor=other)
    idea.refresh_from_db()
    assert idea.vote_count == 2


def test_a_vote_on_an_idea_closed_since_it_was_read_is_refused(customer_a):
    idea = IdeaFactory()
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.SHIPPED)  # another request
    with pytest.raises(services.VoteClosed):
        services.vote_cast(idea=idea, actor=customer_a)
    assert not Vote.objects.exists()
    assert Idea.objects.get(pk=idea.pk).vote_count == 0


def test_no_comment_lands_on_a_merged_idea(customer_a):
    target = IdeaFactory()
    idea = IdeaFactory()
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.MERGED, merged_into=target)
    with pytest.raises(ValidationError):
        services.comment_add(idea=idea, author=customer_a, body="Me too")
    assert not Comment.objects.exists()
