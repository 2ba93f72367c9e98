"""The one fact ``accounts`` announces to the apps built on it.

``accounts`` must not import healthscores, ttfv or feedback, yet new data about an
account has to wake their recomputes. So it announces, after commit, that the data of
some accounts changed; those apps connect a receiver in their ``AppConfig.ready`` and
enqueue their own tasks. Business logic never lives in a receiver.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

#: Sent with ``account_ids`` (a sorted list of ints) once the change is committed.
account_data_changed = Signal()


def announce_account_data_changed(account_ids: Iterable[int]) -> None:
    ids = sorted({int(pk) for pk in account_ids})
    if not ids:
        return
    transaction.on_commit(lambda: account_data_changed.send(sender=None, account_ids=ids))
