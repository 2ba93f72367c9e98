"""The cache is an accelerator: with its server away, pages answer from the database.
(tests/core/test_redis_outage.py does it with a real gunicorn and a stopped Redis.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.feedback.factories import IdeaFactory
from tests.processes import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings):
    """A Redis cache at a port where nothing listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_the_board_and_an_idea_answer_without_the_cache(cache_down, actors, customer_a):
    idea = IdeaFactory(author=customer_a)
    for url in (reverse("feedback:board"), reverse("feedback:idea", args=[idea.pk])):
        response = actors["customer"].get(url)
        assert response.status_code == 200
        assert idea.title in response.content.decode()
