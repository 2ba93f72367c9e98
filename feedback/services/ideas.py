from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from core.markdown import render_markdown
from core.roles import Role
from feedback import limits, trending
from feedback.models import Category, Idea, Tag
from feedback.services.follows import follow_set
from feedback.services.votes import vote_cast


@transaction.atomic
def idea_create(
    *,
    author,
    title: str,
    description: str = "",
    category: Category | None = None,
    tags: Iterable[Tag] = (),
) -> Idea:
    """Post an idea. The author follows it, and a customer's own idea gets their vote,
    since asking for something is the strongest vote there is.

    Raises ``limits.RateLimited`` past the hourly limit.
    """
    limits.ensure_can_post_idea(author)
    idea = Idea.objects.create(
        title=title.strip(),
        description=description,
        description_html=render_markdown(description),
        category=category,
        author=author,
        trend_score=trending.activity_term(timezone.now(), trending.WEIGHT_IDEA),
    )
    if tags:
        idea.tags.set(tags)
    follow_set(idea=idea, user=author)
    if author.role == Role.CUSTOMER and author.contact_id is not None:
        vote_cast(idea=idea, contact=author.contact, user=author)
        idea.refresh_from_db(fields=["vote_count", "trend_score"])
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    title: str,
    description: str,
    category: Category | None,
    tags: Iterable[Tag] | None = None,
) -> Idea:
    idea.title = title.strip()
    idea.description = description
    idea.description_html = render_markdown(description)
    idea.category = category
    idea.save(update_fields=["title", "description", "description_html", "category", "updated_at"])
    if tags is not None:
        idea.tags.set(tags)
    return idea
