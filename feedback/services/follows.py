from __future__ import annotations

from accounts.models import User
from feedback.models import Follow, Idea
from feedback.services.errors import IdeaMerged
from feedback.statuses import IdeaStatus


def follow_set(*, idea: Idea, user: User, following: bool = True) -> bool:
    """Follow or unfollow; repeating either is harmless. Returns whether they follow.
    A merged idea takes no followers: its news are its target's."""
    if idea.status == IdeaStatus.MERGED:
        raise IdeaMerged(idea_id=idea.pk, target_id=idea.merged_into_id)
    if following:
        # ignore_conflicts: a double click, or a vote following at the same moment,
        # meets the unique constraint instead of a read-then-write race.
        Follow.objects.bulk_create([Follow(idea=idea, user=user)], ignore_conflicts=True)
    else:
        Follow.objects.filter(idea=idea, user=user).delete()
    return following
