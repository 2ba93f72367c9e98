"""Per-person hourly limits on posting, so one account cannot flood the board.

The count is read from the rows themselves (indexed by author and time), so the limit
holds across processes and machines without a cache. Two posts racing at the limit can
both pass: the limit is a brake on floods, not an exact quota.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WINDOW = timedelta(hours=1)


class RateLimited(Exception):
    """Raised by a service when a person is over a limit; views answer 429 with it."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        #: Seconds until the oldest counted post leaves the window.
        self.retry_after = retry_after


def _ensure_under(model: type[Model], *, user, limit: int, message: str) -> None:
    since = timezone.now() - WINDOW
    recent = list(
        model.objects.filter(author=user, created_at__gte=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return
    retry_after = max(1, int((recent[0] + WINDOW - timezone.now()).total_seconds()))
    raise RateLimited(message, retry_after=retry_after)


def ensure_can_post_idea(user) -> None:
    from feedback.models import Idea

    limit = settings.FEEDBACK_IDEAS_PER_HOUR
    _ensure_under(
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
    from feedback.models import Comment

    limit = settings.FEEDBACK_COMMENTS_PER_HOUR
    _ensure_under(
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


def retry_message(exc: RateLimited) -> str:
    minutes = max(1, round(exc.retry_after / 60))
    return _("%(message)s (about %(minutes)d min)") % {"message": exc.message, "minutes": minutes}
