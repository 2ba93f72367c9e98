"""The cache as an accelerator, never a dependency.

Every read falls back to the database and every write is best effort: with the cache
server away, pages answer from the database (a little slower) and writes carry on, and
the failure is logged once per call instead of turning into a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)


def cache_get(key: str, default: Any = None) -> Any:
    """The cached value, or ``default`` when it is missing or the cache cannot answer."""
    try:
        return cache.get(key, default)
    except Exception as exc:  # any backend's connection error
        logger.warning("Cache read of %s failed, reading the database instead: %s", key, exc)
        return default


def cache_set(key: str, value: Any, timeout: float | None) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception as exc:
        logger.warning("Cache write of %s failed: %s", key, exc)


def cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception as exc:
        logger.warning("Cache delete of %s failed: %s", key, exc)
