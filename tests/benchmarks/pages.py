"""Measuring pages as a server serves them, for the page benchmarks.

Server time is what Django's WSGI handler spends on a request, middleware to rendered
page, as under gunicorn. The test client adds its own cost (it copies every template's
context for its assertions), so benchmarks judge the handler's figure.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext


def signed_in_get(user) -> Callable[[str], Callable[[], object]]:
    """``get(url)`` gives a function serving GET ``url`` as ``user`` through the handler."""
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    handler, factory = WSGIHandler(), RequestFactory()

    def get(url: str) -> Callable[[], object]:
        def run() -> object:
            response = handler.get_response(factory.get(url, HTTP_COOKIE=cookie))
            assert response.status_code == 200, url
            return response

        return run

    return get


def timed_ms(run: Callable[[], object], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def query_count(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


@contextmanager
def sql_time() -> Iterator[list[float]]:
    """Milliseconds spent in each SQL statement run inside the block."""
    spent: list[float] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - started) * 1000)

    with connection.execute_wrapper(timed):
        yield spent
