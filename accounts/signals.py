"""The one fact ``accounts`` announces to the apps built on it.

``accounts`` must not import healthscores, ttfv or feedback, yet new data about an
account has to wake their recomputes. So it announces that the data of some accounts
changed; those apps connect a receiver in their ``AppConfig.ready`` that requests their
own recompute. Business logic never lives in a receiver.

The announcement is made inside the writer's transaction: the receivers record their
jobs (``core.jobs``) in it, so the data and the work it needs commit together or not at
all, and the jobs' messages go to the broker after commit. A broker that is away then
delays the recompute; it can neither lose it nor fail the write.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager

from django.db import transaction
from django.dispatch import Signal

from core.deferral import defer, deferring
from core.jobs import NO_CAUSE, JobCause

#: Sent with ``account_ids`` (a sorted list of ints) and ``cause`` (a ``core.jobs.JobCause``:
#: who or what changed the data, named by the alerts the recomputes raise) in the
#: transaction of the change.
account_data_changed = Signal()

#: The deferral (``core.deferral``) that gathers announcements into one.
ONE_ANNOUNCEMENT = "accounts.announce"


def announce_account_data_changed(
    account_ids: Iterable[int], *, cause: JobCause = NO_CAUSE
) -> None:
    """Announce that these accounts' data changed, and why. Inside
    ``one_announcement`` the accounts join the block's one announcement, whose cause
    is the block's (several writers have no single cause)."""
    ids = {int(pk) for pk in account_ids}
    if not defer(ONE_ANNOUNCEMENT, ids):
        _send(ids, cause)


@transaction.atomic
def _send(ids: set[int], cause: JobCause = NO_CAUSE) -> None:
    if ids:
        account_data_changed.send(sender=None, account_ids=sorted(ids), cause=cause)


def one_announcement() -> AbstractContextManager[None]:
    """Gather the announcements of several writes (a seed, a multi-file load) into one,
    so the apps above recompute once. Nothing is announced if the block raises; if the
    surrounding transaction rolls back, the jobs requested roll back with it."""
    return deferring(ONE_ANNOUNCEMENT, flush=_send)
