"""Merge math: one vote per person, everything carried, counters exact, told once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.roles import Role
from feedback import trending
from feedback.models import Comment, Follow, Idea, IdeaTicket, StatusChange, Vote
from feedback.services import idea_merge
from feedback.services.merge import merge_preview
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from tests.accounts.factories import ContactFactory, TicketFactory, UserFactory
from tests.feedback.factories import (
    CommentFactory,
    FollowFactory,
    IdeaFactory,
    TagFactory,
    VoteFactory,
)
from tests.roadmap.factories import RoadmapItemFactory


def _customer():
    return UserFactory(role=Role.CUSTOMER)


@pytest.fixture
def pair(db, pm):
    """GIVEN a duplicate voted by Ann (who also voted for the target) and Bob, followed
    by Ann, Bob and Cy (Ann also follows the target), with a public and an internal
    comment, two tickets (one also on the target) and a tag; the target voted by Ann
    and Dee, with one public comment."""
    ann, bob, cy, dee = (_customer() for _ in range(4))
    source = IdeaFactory(title="Export reports as CSV", trend_score=3.0)
    target = IdeaFactory(title="CSV export", trend_score=5.0)
    for person in (ann, bob):
        VoteFactory(idea=source, contact=person.contact, user=person)
    for person in (ann, dee):
        VoteFactory(idea=target, contact=person.contact, user=person)
    for person in (ann, bob, cy):
        FollowFactory(idea=source, user=person)
    FollowFactory(idea=target, user=ann)
    CommentFactory(idea=source, author=bob)
    CommentFactory(idea=source, author=UserFactory(role=Role.CSM), is_internal=True)
    CommentFactory(idea=target, author=dee)
    Idea.objects.filter(pk=source.pk).update(comment_count=1)
    Idea.objects.filter(pk=target.pk).update(comment_count=1)
    shared_ticket = TicketFactory()
    for ticket in (shared_ticket, TicketFactory()):
        IdeaTicket.objects.create(idea=source, ticket=ticket)
    IdeaTicket.objects.create(idea=target, ticket=shared_ticket)
    source.tags.add(TagFactory(name="export"))
    source.refresh_from_db()
    target.refresh_from_db()
    return {"source": source, "target": target, "ann": ann, "bob": bob, "cy": cy, "dee": dee}


def test_merge_keeps_one_vote_per_person(pair, pm, django_capture_on_commit_callbacks):
    source, target = pair["source"], pair["target"]
    with django_capture_on_commit_callbacks(execute=True):
        merged = idea_merge(source=source, target=target, actor=pm)
    contacts = set(Vote.objects.filter(idea=target).values_list("contact_id", flat=True))
    assert contacts == {pair["ann"].contact_id, pair["bob"].contact_id, pair["dee"].contact_id}
    assert merged.vote_count == 3
    assert not Vote.objects.filter(idea=source).exists()


def test_merge_carries_follows_comments_tickets_and_tags(pair, pm):
    source, target = pair["source"], pair["target"]
    merged = idea_merge(source=source, target=target, actor=pm)
    followers = set(Follow.objects.filter(idea=target).values_list("user_id", flat=True))
    assert followers == {pair["ann"].pk, pair["bob"].pk, pair["cy"].pk}
    assert Comment.objects.filter(idea=target).count() == 3
    assert merged.comment_count == 2  # Public only: the internal note moved but not counted.
    assert IdeaTicket.objects.filter(idea=target).count() == 2
    assert list(target.tags.values_list("name", flat=True)) == ["export"]
    assert not Follow.objects.filter(idea=source).exists()
    assert not IdeaTicket.objects.filter(idea=source).exists()


def test_merge_puts_the_target_on_the_duplicates_roadmap_items(pair, pm):
    source, target = pair["source"], pair["target"]
    item = RoadmapItemFactory(title="Exports")
    item.ideas.add(source)
    status_before = target.status
    idea_merge(source=source, target=target, actor=pm)
    assert set(item.ideas.values_list("pk", flat=True)) == {source.pk, target.pk}
    target.refresh_from_db()
    assert target.status == status_before  # moving it along stays the PM's call


def test_merge_sets_redirect_and_history(pair, pm):
    source, target = pair["source"], pair["target"]
    idea_merge(source=source, target=target, actor=pm)
    source.refresh_from_db()
    assert source.status == IdeaStatus.MERGED
    assert source.merged_into_id == target.pk
    assert (source.vote_count, source.comment_count) == (0, 0)
    change = StatusChange.objects.get(idea=source)
    assert (change.from_status, change.to_status, change.changed_by) == (
        IdeaStatus.OPEN,
        IdeaStatus.MERGED,
        pm,
    )


def test_merge_adds_trending_in_log_space(pair, pm):
    merged = idea_merge(source=pair["source"], target=pair["target"], actor=pm)
    assert merged.trend_score == pytest.approx(trending.log2_add(3.0, 5.0))


def test_merge_repoints_earlier_duplicates(pair, pm):
    older = IdeaFactory()
    idea_merge(source=older, target=pair["source"], actor=pm)
    idea_merge(source=pair["source"], target=pair["target"], actor=pm)
    older.refresh_from_db()
    assert older.merged_into_id == pair["target"].pk


def test_merge_refuses_itself_merged_ideas_and_cycles(pair, pm):
    source, target = pair["source"], pair["target"]
    with pytest.raises(ValidationError, match="itself"):
        idea_merge(source=source, target=source, actor=pm)
    idea_merge(source=source, target=target, actor=pm)
    with pytest.raises(ValidationError, match="already merged"):
        idea_merge(source=source, target=IdeaFactory(), actor=pm)
    with pytest.raises(ValidationError, match="merged into another idea"):
        idea_merge(source=IdeaFactory(), target=source, actor=pm)
    # A cycle: the target points back at the source although it is not (yet) merged.
    a, b = IdeaFactory(), IdeaFactory()
    Idea.objects.filter(pk=b.pk).update(merged_into=a)
    b.refresh_from_db()
    with pytest.raises(ValidationError, match="cycle"):
        idea_merge(source=a, target=b, actor=pm)
    a.refresh_from_db()
    assert a.status == IdeaStatus.OPEN


def test_refused_merge_changes_nothing(pair, pm):
    with pytest.raises(ValidationError):
        idea_merge(source=pair["source"], target=pair["source"], actor=pm)
    assert Vote.objects.filter(idea=pair["source"]).count() == 2
    assert not Alert.objects.exists()


def test_merge_tells_the_duplicates_people_once(pair, pm, django_capture_on_commit_callbacks):
    """Voters and followers of the duplicate hear once; the target's own people (Dee)
    are not told; the acting PM is not told."""
    source, target = pair["source"], pair["target"]
    with django_capture_on_commit_callbacks(execute=True):
        idea_merge(source=source, target=target, actor=pm)
    alerts = Alert.objects.filter(dedupe_key=f"idea-merged:{source.pk}")
    recipients = sorted(alerts.values_list("recipient_id", flat=True))
    assert recipients == sorted([pair["ann"].pk, pair["bob"].pk, pair["cy"].pk])
    assert "merged into" in alerts.first().title


def test_merge_tells_the_voting_accounts_csm(db, pm, django_capture_on_commit_callbacks):
    csm = UserFactory(role=Role.CSM)
    contact = ContactFactory(account__csm_owner=csm)
    source, target = IdeaFactory(), IdeaFactory()
    VoteFactory(idea=source, contact=contact, added_by=csm)
    with django_capture_on_commit_callbacks(execute=True):
        idea_merge(source=source, target=target, actor=pm)
    assert Alert.objects.filter(recipient=csm, dedupe_key=f"idea-merged:{source.pk}:accounts")


def test_merge_preview_counts_what_moves(pair):
    preview = merge_preview(source=pair["source"], target=pair["target"])
    assert preview.votes_moving == 1  # Bob; Ann keeps her vote on the target.
    assert preview.votes_shared == 1
    assert preview.follows_moving == 2
    assert preview.comments_moving == 2
    assert preview.tickets_moving == 1
    assert preview.tags_added == 1


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_merge_math_on_postgres(pair, pm):
    merged = idea_merge(source=pair["source"], target=pair["target"], actor=pm)
    assert merged.vote_count == Vote.objects.filter(idea=merged).count() == 3
    assert merged.comment_count == 2


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_crossed_merges_at_once_do_not_deadlock(pm):
    """GIVEN two PMs merging A into B and B into A at the same moment, THEN one merge
    wins and the other is refused (it sees the winner's result under the lock)."""
    import threading

    from django.db import connection

    for _round in range(3):
        a, b = IdeaFactory(), IdeaFactory()
        VoteFactory(idea=a)
        VoteFactory(idea=b)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def run(source, target, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait()
                idea_merge(source=source, target=target, actor=pm)
                outcomes.append("merged")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=run, args=(a, b)),
            threading.Thread(target=run, args=(b, a)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes) == ["merged", "refused"]
        winner = Idea.objects.exclude(status=IdeaStatus.MERGED).get(pk__in=[a.pk, b.pk])
        assert winner.vote_count == 2
