"""The board's hourly limits on posting ideas and comments (see ``core.limits``)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import ngettext

from core.limits import RateLimited, ensure_under, retry_message
from feedback.models import Comment, Idea

__all__ = ["RateLimited", "ensure_can_comment", "ensure_can_post_idea", "retry_message"]


def ensure_can_post_idea(user) -> None:
    limit = settings.FEEDBACK_IDEAS_PER_HOUR
    ensure_under(
        Idea,
        user=user,
        limit=limit,
        message=ngettext(
            "You can post %(limit)d idea per hour. Please try again later.",
            "You can post %(limit)d ideas per hour. Please try again later.",
            limit,
        )
        % {"limit": limit},
    )


def ensure_can_comment(user) -> None:
    limit = settings.FEEDBACK_COMMENTS_PER_HOUR
    ensure_under(
        Comment,
        user=user,
        limit=limit,
        message=ngettext(
            "You can post %(limit)d comment per hour. Please try again later.",
            "You can post %(limit)d comments per hour. Please try again later.",
            limit,
        )
        % {"limit": limit},
    )
