"""What /healthz reports: the database, the broker, and how long work has waited.

Each app whose rows are background work registers how to find its longest-waiting
item (``register_pending_work``, from its ``AppConfig.ready``); the recompute jobs of
``core.jobs`` are registered by core itself. Work waiting longer than
``HEALTHZ_PENDING_MAX_SECONDS`` means no worker is taking it (workers down, the broker
away, the beat not re-sending), which is as much an outage as a database that is down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

PendingSource = Callable[[datetime], datetime | None]

_pending: dict[str, PendingSource] = {}


def register_pending_work(name: str, oldest: PendingSource) -> None:
    """``oldest(now)`` returns since when the longest-waiting item of ``name`` waits."""
    _pending[name] = oldest


@dataclass(frozen=True)
class Health:
    database: bool
    broker: bool | None  # None: no broker, tasks run in the web process
    oldest_pending_seconds: float | None

    @property
    def ok(self) -> bool:
        waited = self.oldest_pending_seconds or 0
        return (
            self.database
            and self.broker is not False
            and waited <= settings.HEALTHZ_PENDING_MAX_SECONDS
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "unavailable",
            "database": "ok" if self.database else "down",
            "broker": {None: "inline", True: "ok", False: "down"}[self.broker],
            "oldest_pending_seconds": self.oldest_pending_seconds,
            "pending_max_seconds": settings.HEALTHZ_PENDING_MAX_SECONDS,
        }


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        logger.warning("Health check: the database does not answer: %s", exc)
        return False
    return True


def _broker() -> bool | None:
    if current_app.conf.task_always_eager:
        return None
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        logger.warning("Health check: the broker does not answer: %s", exc)
        return False
    return True


def _oldest_pending(now: datetime) -> float | None:
    since = [when for source in _pending.values() if (when := source(now)) is not None]
    if not since:
        return None
    return round(max(0.0, (now - min(since)).total_seconds()), 1)


def health_check() -> Health:
    database = _database()
    now = timezone.now()
    oldest = None
    if database:
        try:
            oldest = _oldest_pending(now)
        except DatabaseError as exc:  # answers, but not with our tables (not migrated)
            logger.warning("Health check: the job tables cannot be read: %s", exc)
            database = False
    return Health(database=database, broker=_broker(), oldest_pending_seconds=oldest)
