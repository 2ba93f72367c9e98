"""The one fact ``accounts`` announces to the apps built on it.

``accounts`` must not import healthscores, ttfv or feedback, yet new data about an
account has to wake their recomputes. So it announces, after commit, that the data of
some accounts changed; those apps connect a receiver in their ``AppConfig.ready`` and
enqueue their own tasks. Business logic never lives in a receiver.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager

from django.db import transaction
from django.dispatch import Signal

from core.deferral import defer, deferring

#: Sent with ``account_ids`` (a sorted list of ints) once the change is committed.
account_data_changed = Signal()

#: The deferral (``core.deferral``) that gathers announcements into one.
ONE_ANNOUNCEMENT = "accounts.announce"


def announce_account_data_changed(account_ids: Iterable[int]) -> None:
    ids = {int(pk) for pk in account_ids}
    if not defer(ONE_ANNOUNCEMENT, ids):
        _send_on_commit(ids)


def _send_on_commit(ids: set[int]) -> None:
    if not ids:
        return
    ordered = sorted(ids)
    transaction.on_commit(lambda: account_data_changed.send(sender=None, account_ids=ordered))


def one_announcement() -> AbstractContextManager[None]:
    """Gather the announcements of several writes (a seed, a multi-file load) into one,
    so the apps above recompute once. Nothing is announced if the block raises; if the
    surrounding transaction rolls back, Django drops the pending send with it."""
    return deferring(ONE_ANNOUNCEMENT, flush=_send_on_commit)
