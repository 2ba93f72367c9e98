"""The API speaks JSON only: an address with a format suffix (``.json``) is no route, a
JSON 404, where it was a 500 (the router passed a ``format`` no action takes)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.feedback.factories import IdeaFactory

SIGNED_IN = ("customer", "csm", "pm", "admin")

# (address, methods): every route of the board, the inbox and the roadmap, by the
# methods it answers, and GET.
SUFFIXED = [
    ("/api/ideas.json/", ("get", "post")),
    ("/api/ideas/{idea}.json/", ("get", "put", "patch")),
    ("/api/ideas/{idea}/comments.json/", ("get", "post")),
    ("/api/ideas/{idea}/vote.json/", ("get", "post", "delete")),
    ("/api/ideas/{idea}/follow.json/", ("get", "post", "delete")),
    ("/api/notifications.json/", ("get",)),
    ("/api/notifications/1/read.json/", ("get", "post")),
    ("/api/notifications/read-all.json/", ("get", "post")),
    ("/api/roadmap-items.json/", ("get", "post")),
    ("/api/roadmap-items/1.json/", ("get", "patch", "delete")),
    ("/api/roadmap-items/1/move.json/", ("get", "post")),
    ("/api/accounts.json/", ("get",)),
    ("/api/accounts/1.json/", ("get",)),
    ("/api/contacts.json/", ("get",)),
    ("/api/import-jobs.json/", ("get",)),
    ("/api/product-risks.json/", ("get",)),
    ("/api/ideas.xml/", ("get",)),
    ("/api/ideas.api/", ("get",)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "methods"), SUFFIXED, ids=[a for a, _ in SUFFIXED])
def test_a_format_suffix_is_a_json_404_for_every_role(actors, address, methods):
    url = address.format(idea=IdeaFactory().pk)
    for actor in SIGNED_IN:
        for method in methods:
            response = getattr(actors[actor], method)(url, content_type="application/json")
            assert response.status_code == 404, (actor, method, response.content[:200])
            assert response.json() == {"detail": "Not found."}


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_no_api_route_takes_a_format():
    assert [route for route in _patterns(get_resolver()) if "format" in route] == []
