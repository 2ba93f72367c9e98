"""Running a transaction again when PostgreSQL chose it as the loser of a conflict.

Concurrent loads on the same rows are ordered by design (``ingest`` writes each
statement's rows in the order of their unique key), but a deadlock between two writers
that do not share that order, or a serialization failure, must cost a retry, never the
writer's data: the database rolled the whole transaction back, so running it again from
the start is safe.
Only the outermost transaction can be retried; inside another, the error goes up to it.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: SQLSTATEs that say "run me again": deadlock_detected, serialization_failure.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
#: Attempts in all, the first included.
ATTEMPTS = 4


def is_retryable(error: BaseException) -> bool:
    """Whether ``error`` (Django's wrapper or psycopg's own) is a deadlock or a
    serialization failure."""
    cause: BaseException | None = error
    while cause is not None:
        if getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES:
            return True
        cause = cause.__cause__
    return False


def atomic_with_retry(work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """``work()`` in a transaction, run again (after a short random pause, so the two
    losers do not meet again) when the database aborted it as a deadlock or a
    serialization failure. ``work`` must start from scratch each time: it is the whole
    transaction, not a part of it."""
    if connection.in_atomic_block:
        with transaction.atomic():
            return work()
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except DatabaseError as error:
            if attempt == attempts or not is_retryable(error):
                raise
            logger.warning("Transaction conflict (%s); attempt %d again.", error, attempt + 1)
            time.sleep(random.uniform(0.05, 0.2) * attempt)  # noqa: S311 (not security)
    raise AssertionError("unreachable")
