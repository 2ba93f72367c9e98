from __future__ import annotations

from django.db import transaction

from accounts.models import User
from feedback import limits
from feedback.models import Follow, Idea
from feedback.services.errors import IdeaMerged
from feedback.statuses import IdeaStatus


@transaction.atomic
def follow_set(*, idea: Idea, user: User, following: bool = True) -> bool:
    """A person follows or unfollows; repeating either is harmless. Returns whether they
    follow. A merged idea takes no followers: its news are its target's. Raises
    ``limits.RateLimited`` past the hourly limit (each follow can notify them later)."""
    if idea.status == IdeaStatus.MERGED:
        raise IdeaMerged(idea_id=idea.pk, target_id=idea.merged_into_id)
    limits.ensure_can_follow(user)
    if following:
        follow_with(idea=idea, user=user)
    else:
        Follow.objects.filter(idea=idea, user=user).delete()
    return following


def follow_with(*, idea: Idea, user: User) -> None:
    """Follow ``idea`` as part of another write (posting, commenting, voting): not a
    write of its own, so not counted against the follow limit."""
    # ignore_conflicts: a double click, or a vote following at the same moment,
    # meets the unique constraint instead of a read-then-write race.
    Follow.objects.bulk_create([Follow(idea=idea, user=user)], ignore_conflicts=True)
