"""Holding work back for the length of a block, in this context only.

A bulk writer (the demo seed, a multi-file load) makes thousands of small changes, each
of which would announce itself or queue a recompute. Inside ``deferring(name)`` the
callers of ``defer(name, ...)`` hand their items to the block instead; when the block
ends, ``flush`` receives everything gathered, once (or nothing happens if the block
raised). A ContextVar, not a thread-local: it follows the code through threads and
asyncio tasks alike, and nested blocks of the same name gather into the outermost one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

H = TypeVar("H", bound=Hashable)

_open: ContextVar[dict[str, set[Any]] | None] = ContextVar("core_deferral", default=None)


@contextmanager
def deferring(name: str, *, flush: Callable[[set[H]], None] | None = None) -> Iterator[None]:
    """Gather what ``defer(name, ...)`` is given inside the block; hand it to ``flush``
    once the block ends without an exception."""
    blocks = _open.get() or {}
    if name in blocks:  # nested: the outer block gathers and flushes
        yield
        return
    gathered: set[H] = set()
    token = _open.set({**blocks, name: gathered})
    try:
        yield
    finally:
        _open.reset(token)
    if flush is not None:
        flush(gathered)


def defer(name: str, items: Iterable[Hashable] = ()) -> bool:
    """Add ``items`` to the open ``deferring(name)`` block and return True, or return
    False when no such block is open (the caller then does the work itself)."""
    gathered = (_open.get() or {}).get(name)
    if gathered is None:
        return False
    gathered.update(items)
    return True
