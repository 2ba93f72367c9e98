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

from feedback import policies
from feedback.models import Comment, Follow, Idea, Tag, Vote
from feedback.selectors.board import BOARD_SORTS, DEFAULT_SORT


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
    if policies.is_staff(user):
        # Staff only: customers must never learn how many accounts stand behind an idea.
        # The stored demand, as triage shows it: counting the votes of the most-voted
        # ideas on every request would cost more than the whole rest of the list.
        ideas = ideas.annotate(
            customer_votes=Coalesce(F("demand__customer_votes"), 0),
            csm_votes=Coalesce(F("demand__csm_votes"), 0),
            account_count=Coalesce(F("demand__vote_accounts"), 0),
        )
    return ideas.order_by(*BOARD_SORTS[DEFAULT_SORT])


def idea_for_update(*, user, pk: int) -> Idea | None:
    """The idea an action (vote, follow, comment, edit) applies to, without annotations."""
    return Idea.objects.visible_to(user).select_related("category").filter(pk=pk).first()


def comments_for_api(*, user, idea: Idea) -> QuerySet[Comment]:
    """An idea's comments, oldest first; internal ones only for the vendor's staff."""
    comments = idea.comments.select_related("author")
    if not policies.is_staff(user):
        comments = comments.filter(is_internal=False)
    return comments.order_by("created_at", "pk")


def vote_count(idea_id: int) -> int:
    """The stored counter, re-read after a vote moved it with F()."""
    return Idea.objects.values_list("vote_count", flat=True).get(pk=idea_id)
