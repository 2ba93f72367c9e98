"""Attempt limits per client kept in the cache, for doors used before anyone signs in.

``core.limits`` counts a signed-in person's writes in the database, exactly. A sign-in
door has no person yet, only a client address, and its attempts write nothing worth a
row each: a fixed window counted in the cache is enough to stop a script from guessing
or replaying at speed. The cache is an accelerator (``core.cache``): when it cannot
answer the attempt is let through and the failure logged, since refusing everyone while
Redis is away would lock every customer out to slow down a few.

The client is ``REMOTE_ADDR``, unless the deployer says how many reverse proxies stand
in front (``NUM_PROXIES``, as REST framework's throttles count them): then it is the
address the outermost of them saw, read from the right of ``X-Forwarded-For``. Reading
that header without such a count would let any client pick its own bucket.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


class Throttled(Exception):
    """Too many attempts from one client; ``retry_after`` seconds until the window ends."""

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(f"too many attempts, retry after {retry_after} s")
        self.retry_after = retry_after


def client_address(request: HttpRequest) -> str:
    """The client's IP address as far as this site can trust it (see the module doc)."""
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [hop for hop in forwarded if hop]
        if forwarded:
            # Each proxy appends the address it received from; the last ``proxies``
            # entries were written by our own proxies, anything left of them by anyone.
            return str(forwarded[-min(proxies, len(forwarded))])
    return request.META.get("REMOTE_ADDR") or "unknown"


def throttle(*, scope: str, client: str, limit: int, window_seconds: int = 60) -> None:
    """Count one attempt of ``client`` at ``scope``; raise :class:`Throttled` when it is
    beyond ``limit`` in the current window of ``window_seconds``."""
    now = time.time()
    window = int(now // window_seconds)
    key = f"throttle:{scope}:{client}:{window}"
    try:
        # add() creates the counter with its expiry once; incr() is atomic on Redis and
        # in local memory, so two attempts at once never count as one.
        cache.add(key, 0, timeout=window_seconds + 1)
        count = cache.incr(key)
    except ValueError:  # the counter expired between add() and incr(): a new window
        return
    except Exception as exc:  # any backend's connection error
        logger.warning("Attempt limit of %s not checked, the cache did not answer: %s", scope, exc)
        return
    if count > limit:
        raise Throttled(retry_after=max(1, math.ceil((window + 1) * window_seconds - now)))
