"""Reads behind the REST API of the board: ideas with what the caller may know of them.

Every row the API lists carries the caller's own state (``voted``, ``following``) and,
for the vendor's staff only, the demand behind it. All of it is computed in the one
query of the page (``Exists`` and correlated ``Subquery`` annotations), never per row in
Python, so a page costs the same few queries whatever its size.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce

from core.roles import Role
from feedback.models import Comment, Follow, Idea, Tag, Vote
from feedback.statuses import VOTABLE_STATUSES, IdeaStatus

#: How the API sorts the board; each has an index (see Idea.Meta.indexes).
ORDERINGS: dict[str, tuple[str, ...]] = {
    "top": ("-vote_count", "-pk"),
    "trending": ("-trend_score", "-pk"),
    "newest": ("-created_at", "-pk"),
}
DEFAULT_ORDERING = "top"


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_staff_role)


def ideas_for_api(*, user, board_only: bool = True) -> QuerySet[Idea]:
    """Ideas the user may read, annotated for the API's serializers, top first.

    ``board_only`` leaves out merged ideas (the list); a single idea is read with it off,
    so that an old link to a merged idea still answers with where it went.
    """
    ideas = Idea.objects.visible_to(user)
    if board_only:
        ideas = ideas.on_board()
    contact_id = getattr(user, "contact_id", None)
    voted = (
        Exists(Vote.objects.filter(idea=OuterRef("pk"), contact_id=contact_id))
        if contact_id is not None
        else Value(False, output_field=BooleanField())
    )
    ideas = (
        ideas.select_related("category", "author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .annotate(
            voted=voted,
            following=Exists(Follow.objects.filter(idea=OuterRef("pk"), user_id=user.pk)),
        )
    )
    if is_staff(user):
        # Staff only: customers must never learn how many accounts stand behind an idea.
        # The stored demand, as triage shows it: counting the votes of the most-voted
        # ideas on every request would cost more than the whole rest of the list.
        ideas = ideas.annotate(
            customer_votes=Coalesce(F("demand__customer_votes"), 0),
            csm_votes=Coalesce(F("demand__csm_votes"), 0),
            account_count=Coalesce(F("demand__vote_accounts"), 0),
        )
    return ideas.order_by(*ORDERINGS[DEFAULT_ORDERING])


def idea_for_update(*, user, pk: int) -> Idea | None:
    """The idea an action (vote, follow, comment, edit) applies to, without annotations."""
    return Idea.objects.visible_to(user).select_related("category").filter(pk=pk).first()


def may_edit(*, user, idea: Idea) -> bool:
    """PMs and admins edit any idea; its author only while it is still open, so that
    nobody rewrites a request after the product team has answered it."""
    if idea.status == IdeaStatus.MERGED:
        return False
    if user.role in (Role.PM, Role.ADMIN):
        return True
    return idea.author_id == user.pk and idea.status == IdeaStatus.OPEN


def may_comment_publicly(*, user, idea: Idea) -> bool:
    """Customers comment while the idea takes votes; staff may still answer on a shipped
    or declined one. Nobody comments on a merged idea: the talk moved to its target."""
    if idea.status == IdeaStatus.MERGED:
        return False
    return is_staff(user) or idea.status in VOTABLE_STATUSES


def comments_for_api(*, user, idea: Idea) -> QuerySet[Comment]:
    """An idea's comments, oldest first; internal ones only for the vendor's staff."""
    comments = idea.comments.select_related("author")
    if not is_staff(user):
        comments = comments.filter(is_internal=False)
    return comments.order_by("created_at", "pk")


def voted_themself(*, idea: Idea, contact) -> bool:
    """The contact's vote on the idea is their own click, not one a CSM added: only they
    may withdraw it."""
    return Vote.objects.filter(idea=idea, contact=contact, added_by__isnull=True).exists()


def vote_count(idea_id: int) -> int:
    """The stored counter, re-read after a vote moved it with F()."""
    return Idea.objects.values_list("vote_count", flat=True).get(pk=idea_id)
