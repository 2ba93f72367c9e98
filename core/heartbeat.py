"""A heartbeat for a row while its work runs: proof that the worker is still alive.

A job, a chunk or an import is worked on inside one long transaction (all or nothing),
whose writes nobody sees until it commits, so the work itself cannot say "still here".
A thread beside it does: every ``JOB_HEARTBEAT_SECONDS`` it runs ``beat`` (an UPDATE of
the row's ``heartbeat_at``, and of any progress the work exposes) on its own database
connection, in autocommit, outside that transaction. When the process dies, the thread
dies with it and the heartbeat stops; the reaper (``core.jobs.jobs_recover`` and the
imports') hands work whose heartbeat is older than ``JOB_STALE_SECONDS`` to another
worker. A process that is alive but stuck keeps beating until the task's hard time
limit kills it, which stops the heartbeat too.

SQLite (the embedded mode) has one writer at a time: a second connection would wait for
the work's own transaction, so no thread is started there; the embedded mode runs its
tasks in the process that asked for them and has no worker to lose.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections

logger = logging.getLogger(__name__)


def _beat_until(stop: threading.Event, beat: Callable[[], None], every: float) -> None:
    try:
        while not stop.wait(every):
            try:
                beat()
            except Exception as exc:  # a missed beat is not worth stopping the work
                logger.warning("Heartbeat failed: %s", exc)
    finally:
        connections.close_all()  # this thread's own connections


@contextmanager
def heartbeat(beat: Callable[[], None], *, every: float | None = None) -> Iterator[None]:
    """Run ``beat`` every ``every`` seconds (``JOB_HEARTBEAT_SECONDS``) from a thread while
    the block runs. Open the block outside the work's transaction: on leaving, it waits
    for the thread, whose UPDATE may be waiting for that transaction's locks."""
    if connection.vendor == "sqlite":
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat_until,
        args=(stop, beat, every or settings.JOB_HEARTBEAT_SECONDS),
        name="heartbeat",
        daemon=True,
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
