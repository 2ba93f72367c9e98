"""Merging a duplicate idea into the one that stays.

Everything that belongs to the duplicate moves to the target in one transaction: votes
(one per person — a contact who voted for both keeps the target's vote), follows,
comments, ticket links, tags and roadmap links. The duplicate stays as a row with status
"merged" and ``merged_into`` set, so that its old links redirect, and its counters go to
zero while the target's are recounted from rows: after a merge every counter is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from core import i18n
from feedback import extensions, notifications, trending
from feedback.models import Comment, Follow, Idea, IdeaTicket, StatusChange, Vote
from feedback.selectors.demand import scalar_subquery
from feedback.statuses import IdeaStatus

#: How far up a chain of merged ideas we look for a cycle; chains are flattened on
#: every merge, so a real chain is one link long.
MAX_CHAIN = 50


@dataclass(frozen=True)
class MergePreview:
    """What a merge would move: the confirm screen shows it before the PM commits."""

    votes_moving: int
    votes_shared: int
    follows_moving: int
    comments_moving: int
    tickets_moving: int
    tags_added: int


def merge_preview(*, source: Idea, target: Idea) -> MergePreview:
    """Counts of what ``idea_merge`` would move (reads only; one query)."""
    target_contacts = Vote.objects.filter(idea_id=target.pk).values("contact_id")
    target_followers = Follow.objects.filter(idea_id=target.pk).values("user_id")
    target_tickets = IdeaTicket.objects.filter(idea_id=target.pk).values("ticket_id")
    target_tags = Idea.tags.through.objects.filter(idea_id=target.pk).values("tag_id")

    count = _row_count
    row = (
        Idea.objects.filter(pk=source.pk)
        .annotate(
            votes_moving=count(
                Vote.objects.filter(idea_id=OuterRef("pk")).exclude(contact_id__in=target_contacts)
            ),
            votes_shared=count(
                Vote.objects.filter(idea_id=OuterRef("pk"), contact_id__in=target_contacts)
            ),
            follows_moving=count(
                Follow.objects.filter(idea_id=OuterRef("pk")).exclude(user_id__in=target_followers)
            ),
            comments_moving=count(Comment.objects.filter(idea_id=OuterRef("pk"))),
            tickets_moving=count(
                IdeaTicket.objects.filter(idea_id=OuterRef("pk")).exclude(
                    ticket_id__in=target_tickets
                )
            ),
            tags_added=count(
                Idea.tags.through.objects.filter(idea_id=OuterRef("pk")).exclude(
                    tag_id__in=target_tags
                )
            ),
        )
        .values(*MergePreview.__dataclass_fields__)
        .get()
    )
    return MergePreview(**row)


def merge_refusal(*, source: Idea, target: Idea) -> str | None:
    """Why this merge cannot happen, or None. Reads the chain of ``merged_into``."""
    if source.pk == target.pk:
        return _("An idea cannot be merged into itself.")
    if source.status == IdeaStatus.MERGED:
        return _("This idea was already merged into another.")
    # The chain above the target first, for the more useful message: were the source
    # on it, the merge would close a loop of redirects.
    seen = {target.pk}
    parent_id = target.merged_into_id
    for _step in range(MAX_CHAIN):
        if parent_id is None:
            break
        if parent_id == source.pk or parent_id in seen:
            return _("Merging these ideas would make a cycle.")
        seen.add(parent_id)
        parents = Idea.objects.filter(pk=parent_id).values_list("merged_into_id", flat=True)
        parent_id = parents.first()
    if target.status == IdeaStatus.MERGED or target.merged_into_id is not None:
        return _("The target was merged into another idea; merge into that one instead.")
    return None


@transaction.atomic
def idea_merge(*, source: Idea, target: Idea, actor: User) -> Idea:
    """Merge ``source`` into ``target`` and return the target, refreshed.

    Raises ``ValidationError`` when the merge is refused (itself, an already merged
    idea on either side, a cycle).
    """
    # Both rows locked, always in pk order: two PMs merging A→B and B→A at once queue
    # up on the same first lock instead of deadlocking. The locks also hold votes and
    # comments off the idea counters (they update these rows) until we are done.
    locked = {
        idea.pk: idea
        for idea in Idea.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if source.pk not in locked or target.pk not in locked:
        raise ValidationError(_("That idea no longer exists."), code="missing")
    source, target = locked[source.pk], locked[target.pk]
    refusal = merge_refusal(source=source, target=target)
    if refusal:
        raise ValidationError(refusal, code="refused")

    # Tell the duplicate's people before their votes and follows move: the fan-out finds
    # them through the duplicate's rows. The alerts are rows of this transaction (gone
    # if it rolls back) and their e-mails go out after commit; the key makes it once.
    notifications.idea_event_notify(
        idea_ids=[source.pk],
        event_key=f"idea-merged:{source.pk}",
        title=i18n.deferred(
            "“%(source)s” was merged into “%(target)s”", source=source.title, target=target.title
        ),
        body=i18n.deferred(
            "Your vote and your follow now count for “%(target)s”.", target=target.title
        ),
        url=reverse("feedback:idea", args=[target.pk]),
        actor_id=getattr(actor, "pk", None),
    )

    _move_rows(source=source, target=target)

    StatusChange.objects.create(
        idea=source,
        from_status=source.status,
        to_status=IdeaStatus.MERGED,
        message="",
        changed_by=actor,
    )
    # Ideas merged into the duplicate earlier now point at the target directly, so a
    # redirect is always one hop and no chain can grow.
    Idea.objects.filter(merged_into=source).update(merged_into=target)
    source.status = IdeaStatus.MERGED
    source.merged_into = target
    source.vote_count = 0
    source.comment_count = 0
    source.save(
        update_fields=["status", "merged_into", "vote_count", "comment_count", "updated_at"]
    )

    Idea.objects.filter(pk=target.pk).update(
        vote_count=_row_count(Vote.objects.filter(idea_id=OuterRef("pk"))),
        comment_count=_row_count(Comment.objects.filter(idea_id=OuterRef("pk"), is_internal=False)),
        # Both histories of activity now belong to the target: their decayed sums add.
        trend_score=trending.log2_add(source.trend_score, target.trend_score),
    )
    # The target's demand (accounts, ARR, tickets) grew.
    extensions.demand_changed()
    target.refresh_from_db()
    return target


def _move_rows(*, source: Idea, target: Idea) -> None:
    """Move what hangs off ``source`` to ``target``, one statement per kind of row.

    Rows that would break a uniqueness rule on the target (the same person's vote or
    follow, the same ticket) stay behind and go: the target already has their twin.
    """
    target_contacts = Vote.objects.filter(idea_id=target.pk).values("contact_id")
    Vote.objects.filter(idea_id=source.pk).exclude(contact_id__in=target_contacts).update(
        idea_id=target.pk
    )
    Vote.objects.filter(idea_id=source.pk).delete()

    target_followers = Follow.objects.filter(idea_id=target.pk).values("user_id")
    Follow.objects.filter(idea_id=source.pk).exclude(user_id__in=target_followers).update(
        idea_id=target.pk
    )
    Follow.objects.filter(idea_id=source.pk).delete()

    target_tickets = IdeaTicket.objects.filter(idea_id=target.pk).values("ticket_id")
    IdeaTicket.objects.filter(idea_id=source.pk).exclude(ticket_id__in=target_tickets).update(
        idea_id=target.pk
    )
    IdeaTicket.objects.filter(idea_id=source.pk).delete()

    Comment.objects.filter(idea_id=source.pk).update(idea_id=target.pk)

    tag_ids = list(source.tags.values_list("pk", flat=True))
    if tag_ids:
        target.tags.add(*tag_ids)

    # What hangs off the duplicate in the apps above (its roadmap items) follows too.
    extensions.ideas_merged(source=source, target=target)


def _row_count(queryset: QuerySet[Any]) -> Subquery:
    """COUNT(*) of ``queryset`` as a correlated subquery (always one row, 0 when empty)."""
    return scalar_subquery(queryset, Count("pk"), IntegerField())


__all__ = ["MergePreview", "idea_merge", "merge_preview", "merge_refusal"]
