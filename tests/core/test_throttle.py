"""Attempt limits per client address, kept in the cache (core/throttle.py)."""

from __future__ import annotations

import uuid

import pytest
from django.test import RequestFactory

from core.throttle import Throttled, client_address, throttle
from tests.processes import free_port


def _request(remote: str = "10.0.0.9", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/sso/", **extra)


def test_without_proxies_the_forwarded_header_is_not_believed(settings):
    settings.NUM_PROXIES = 0
    assert client_address(_request(forwarded="203.0.113.1")) == "10.0.0.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # A client's own X-Forwarded-For is kept by the proxy, left of what it appends.
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "", "10.0.0.9"),
    ],
)
def test_behind_proxies_the_address_the_outermost_one_saw(settings, proxies, forwarded, client):
    settings.NUM_PROXIES = proxies
    assert client_address(_request(forwarded=forwarded)) == client


def test_attempts_beyond_the_limit_are_throttled_per_client():
    scope = f"test-{uuid.uuid4()}"
    for _ in range(3):
        throttle(scope=scope, client="a", limit=3)
    with pytest.raises(Throttled) as refused:
        throttle(scope=scope, client="a", limit=3)
    assert 1 <= refused.value.retry_after <= 60
    throttle(scope=scope, client="b", limit=3)  # another client has its own count


def test_a_cache_that_does_not_answer_lets_the_attempt_through(settings, caplog):
    """Refusing everyone while Redis is away would lock every customer out."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    for _ in range(3):
        throttle(scope=f"test-{uuid.uuid4()}", client="a", limit=1)
    assert "not checked" in caplog.text
