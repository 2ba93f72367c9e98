"""The one fact ``accounts`` announces to the apps built on it.

``accounts`` must not import healthscores, ttfv or feedback, yet new data about an
account has to wake their recomputes. So it announces, after commit, that the data of
some accounts changed; those apps connect a receiver in their ``AppConfig.ready`` and
enqueue their own tasks. Business logic never lives in a receiver.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

#: Sent with ``account_ids`` (a sorted list of ints) once the change is committed.
account_data_changed = Signal()

_batch: ContextVar[set[int] | None] = ContextVar("account_data_changed_batch", default=None)


def announce_account_data_changed(account_ids: Iterable[int]) -> None:
    ids = {int(pk) for pk in account_ids}
    pending = _batch.get()
    if pending is not None:
        pending.update(ids)
        return
    _send_on_commit(ids)


def _send_on_commit(ids: set[int]) -> None:
    if not ids:
        return
    ordered = sorted(ids)
    transaction.on_commit(lambda: account_data_changed.send(sender=None, account_ids=ordered))


@contextmanager
def one_announcement() -> Iterator[None]:
    """Gather the announcements of several writes (a seed, a multi-file load) into one,
    so the apps above recompute once. Nothing is announced if the block raises; if the
    surrounding transaction rolls back, Django drops the pending send with it."""
    pending: set[int] = set()
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    _send_on_commit(pending)
