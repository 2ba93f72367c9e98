from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.markdown import render_markdown
from feedback import limits, policies, trending
from feedback.models import Category, Idea, Tag
from feedback.services.errors import IdeaMerged
from feedback.services.follows import follow_with
from feedback.services.votes import vote_cast
from feedback.statuses import IdeaStatus


@transaction.atomic
def idea_create(
    *,
    author: User,
    title: str,
    description: str = "",
    category: Category | None = None,
    tags: Iterable[Tag] = (),
    language: str = "",
) -> Idea:
    """Post an idea. The author follows it, and a customer's own idea gets their vote,
    since asking for something is the strongest vote there is. ``language`` left blank
    is the poster's active language (``policies.clean_language``).

    Raises ``limits.RateLimited`` past the hourly limit.
    """
    limits.ensure_can_post_idea(author)
    idea = Idea.objects.create(
        title=_clean_title(title),
        language=_clean_language(language),
        description=description,
        description_html=render_markdown(description),
        category=category,
        author=author,
        trend_score=trending.activity_term(timezone.now(), trending.WEIGHT_IDEA),
    )
    if tags:
        idea.tags.set(tags)
    follow_with(idea=idea, user=author)
    if policies.may_vote_for_themself(author):
        vote_cast(idea=idea, actor=author)
        idea.refresh_from_db(fields=["vote_count", "trend_score"])
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    actor: User,
    title: str,
    description: str,
    category: Category | None,
    tags: Iterable[Tag] | None = None,
    language: str | None = None,
) -> Idea:
    """Edit an idea (``tags=None`` keeps its tags, ``language=None`` its language: a PM
    corrects the language an idea was posted in so search stems it right). Raises
    IdeaMerged for a merged idea, PermissionDenied unless ``actor`` may edit it
    (``policies.may_edit``) and ``limits.RateLimited`` past the hourly limit on edits."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status == IdeaStatus.MERGED:
        raise IdeaMerged(idea_id=idea.pk, target_id=idea.merged_into_id)
    if not policies.may_edit(actor, idea):
        raise PermissionDenied(_("You can edit your own idea while it is open."))
    limits.ensure_can_edit(actor)
    idea.title = _clean_title(title)
    idea.description = description
    idea.description_html = render_markdown(description)
    idea.category = category
    fields = ["title", "description", "description_html", "category", "updated_at"]
    if language is not None:
        idea.language = _clean_language(language)
        fields.append("language")
    idea.save(update_fields=fields)
    if tags is not None:
        idea.tags.set(tags)
    return idea


def _clean_title(title: str) -> str:
    return _under_field("title", policies.clean_title, title)


def _clean_language(language: str) -> str:
    return _under_field("language", policies.clean_language, language)


def _under_field(field: str, clean: Callable[[str], str], value: str) -> str:
    """``clean(value)``, its ValidationError filed under ``field`` for forms and the API."""
    try:
        return clean(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from None


#: The weight of each kind of activity in an idea's trending score.
TREND_WEIGHTS = {
    "idea": trending.WEIGHT_IDEA,
    "vote": trending.WEIGHT_VOTE,
    "comment": trending.WEIGHT_COMMENT,
}


def trend_score_of(activity: Iterable[tuple[datetime, str]]) -> float:
    """The trending score an idea would have, had its activity (when, and "idea",
    "vote" or "comment") happened live: for rows written with past dates (imports of an
    old board, the demo)."""
    score = None
    for at, kind in sorted(activity):
        score = trending.score_after(score, at, TREND_WEIGHTS[kind])
    return score or 0.0
