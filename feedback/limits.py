"""The board's hourly limits (see ``core.limits``): posting ideas and comments, editing
ideas, and following or unfollowing them. Votes need none: one per person and idea."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import ngettext

from accounts.models import User
from core.limits import RateLimited, consume, retry_message

__all__ = [
    "RateLimited",
    "ensure_can_comment",
    "ensure_can_edit",
    "ensure_can_follow",
    "ensure_can_post_idea",
    "retry_message",
]


def ensure_can_post_idea(user: User) -> None:
    limit = settings.FEEDBACK_IDEAS_PER_HOUR
    message = ngettext(
        "You can post %(limit)d idea per hour. Please try again later.",
        "You can post %(limit)d ideas per hour. Please try again later.",
        limit,
    )
    consume(user=user, action="idea", limit=limit, message=message % {"limit": limit})


def ensure_can_comment(user: User) -> None:
    limit = settings.FEEDBACK_COMMENTS_PER_HOUR
    message = ngettext(
        "You can post %(limit)d comment per hour. Please try again later.",
        "You can post %(limit)d comments per hour. Please try again later.",
        limit,
    )
    consume(user=user, action="comment", limit=limit, message=message % {"limit": limit})


def ensure_can_edit(user: User) -> None:
    limit = settings.FEEDBACK_EDITS_PER_HOUR
    message = ngettext(
        "You can save %(limit)d edit per hour. Please try again later.",
        "You can save %(limit)d edits per hour. Please try again later.",
        limit,
    )
    consume(user=user, action="edit", limit=limit, message=message % {"limit": limit})


def ensure_can_follow(user: User) -> None:
    limit = settings.FEEDBACK_FOLLOWS_PER_HOUR
    message = ngettext(
        "You can follow or unfollow ideas %(limit)d time per hour. Please try again later.",
        "You can follow or unfollow ideas %(limit)d times per hour. Please try again later.",
        limit,
    )
    consume(user=user, action="follow", limit=limit, message=message % {"limit": limit})
