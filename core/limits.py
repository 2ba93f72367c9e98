"""Per-person hourly limits on writing, so one person cannot flood a page or the API.

The count is read from the rows themselves (indexed by author and time), so a limit
holds across processes and machines without a cache. Two posts racing at the limit can
both pass: a limit is a brake on floods, not an exact quota.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

WINDOW = timedelta(hours=1)


class RateLimited(Exception):
    """Raised by a service when a person is over a limit; views answer 429 with it."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        #: Seconds until the oldest counted post leaves the window.
        self.retry_after = retry_after


def ensure_under(model: type[Model], *, user: AbstractBaseUser, limit: int, message: str) -> None:
    """Raise RateLimited when ``user`` wrote ``limit`` rows of ``model`` in the window."""
    since = timezone.now() - WINDOW
    recent = list(
        model._default_manager.filter(author=user, created_at__gte=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return
    retry_after = max(1, int((recent[0] + WINDOW - timezone.now()).total_seconds()))
    raise RateLimited(message, retry_after=retry_after)


def retry_message(exc: RateLimited) -> str:
    minutes = max(1, round(exc.retry_after / 60))
    return _("%(message)s (about %(minutes)d min)") % {"message": exc.message, "minutes": minutes}
