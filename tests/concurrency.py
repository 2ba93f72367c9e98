"""Racing real transactions: many threads, each with its own database connection,
released together. Used against PostgreSQL (``needs_postgres``, ``transactional_db``)
where locks and constraints meet truly concurrent writers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def race(calls: list[Callable[[], object]], threads: int) -> list[object]:
    """Run ``calls`` from ``threads`` threads released together; each thread uses (and
    then closes) its own database connection. Results come back grouped by thread."""
    barrier = threading.Barrier(min(threads, len(calls)))

    def worker(chunk: list[Callable[[], object]]) -> list[object]:
        try:
            barrier.wait(timeout=30)
            return [_outcome(call) for call in chunk]
        finally:
            connection.close()

    chunks = [calls[i::threads] for i in range(min(threads, len(calls)))]
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        return [result for chunk in pool.map(worker, chunks) for result in chunk]


def _outcome(call: Callable[[], object]) -> object:
    """The call's result, or the exception it raised (a refusal is a result too)."""
    try:
        return call()
    except Exception as exc:  # the caller asserts on what each call ended with
        return exc
