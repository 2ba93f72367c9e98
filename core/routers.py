"""The REST API's router: ids are numbers, and there are no format suffixes, so
``/api/ideas/abc/`` and ``/api/ideas.json/`` match no route and are the catch-all's JSON
404 (``core.views.errors``)."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import SimpleRouter

#: Every model of ours has an integer primary key.
ID_PATTERN = r"\d+"


class Router(SimpleRouter):
    """REST framework's router, with two differences.

    Not its ``DefaultRouter``: that one also routes ``.json``-style format suffixes,
    passing a ``format`` argument our actions do not take (a 500), and answers nothing
    a client needs: the API speaks JSON only, and its root is the schema.

    Its default lookup accepts any segment: ``abc`` in place of an id then reached the
    view and, for an anonymous caller, answered 401 before the id was read. A viewset
    may still declare its own ``lookup_value_regex``.
    """

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        lookup_field = getattr(viewset, "lookup_field", "pk")
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        value = getattr(viewset, "lookup_value_regex", ID_PATTERN)
        return f"(?P<{lookup_prefix}{kwarg}>{value})"
