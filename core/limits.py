"""Per-person hourly limits on writing, so one person cannot flood a page or the API.

Each person's writes of one kind are remembered as the times of those in the last hour
(``RecentWrites``, one row per person and kind). A write locks that row, forgets the
times older than an hour, and is refused if ``limit`` remain: a true sliding hour, and
exact under concurrency, since one person's writes wait for each other on the lock. The
row is part of the write's transaction, so a refused or failed write leaves no trace.
Edits and follows leave no row of their own to count, which is why the limits keep
their own memory rather than counting the written rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import RecentWrites

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

WINDOW = timedelta(hours=1)

_lifted: ContextVar[bool] = ContextVar("core_limits_lifted", default=False)


@contextmanager
def lifted() -> Iterator[None]:
    """No limit inside the block, in this context only: for writers that are not a
    person at a keyboard, such as the demo seed writing a year of a board in seconds."""
    token = _lifted.set(True)
    try:
        yield
    finally:
        _lifted.reset(token)


class RateLimited(Exception):
    """Raised by a service when a person is over a limit; views answer 429 with it."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        #: Seconds until the oldest counted write leaves the window.
        self.retry_after = retry_after


def recent(times: Sequence[float], now: float) -> list[float]:
    """The times (POSIX seconds) still inside the hour before ``now``, in order."""
    since = now - WINDOW.total_seconds()
    return [t for t in times if t > since]


def refusal(times: Sequence[float], now: float, limit: int) -> int | None:
    """``None`` if one more write fits ``limit`` writes an hour after ``times`` (those
    inside the window, oldest first), else the seconds until it would: until as many of
    the oldest have left the window as it takes to make room."""
    inside = recent(times, now)
    if len(inside) < limit:
        return None
    frees_room = inside[len(inside) - limit]  # leaving the window makes room for one
    return max(1, math.ceil(frees_room + WINDOW.total_seconds() - now))


def consume(*, user: AbstractBaseUser, action: str, limit: int, message: str) -> None:
    """Count one write of ``action`` by ``user``, or raise RateLimited (counting nothing)
    if ``limit`` writes were made in the last hour.

    Call it inside the transaction of the write it counts: the count is kept only if
    that write commits, and concurrent writes by the same person wait for it.
    """
    if _lifted.get():
        return
    now = timezone.now().timestamp()
    with transaction.atomic():
        # The row must exist to be locked; creating it races harmlessly on the constraint.
        RecentWrites.objects.bulk_create(
            [RecentWrites(user_id=user.pk, action=action)], ignore_conflicts=True
        )
        log = RecentWrites.objects.select_for_update().get(user_id=user.pk, action=action)
        wait = refusal(log.times, now, limit)
        if wait is not None:
            raise RateLimited(message, retry_after=wait)
        log.times = [*recent(log.times, now), now]  # fewer than ``limit``, refusal says
        log.save(update_fields=["times"])


def retry_message(exc: RateLimited) -> str:
    minutes = max(1, round(exc.retry_after / 60))
    return _("%(message)s (about %(minutes)d min)") % {"message": exc.message, "minutes": minutes}
