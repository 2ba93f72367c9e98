"""The REST API's router: ids are numbers, so anything else in their place matches no
route and is the catch-all's JSON 404 (``core.views.errors``)."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import DefaultRouter

#: Every model of ours has an integer primary key.
ID_PATTERN = r"\d+"


class Router(DefaultRouter):
    """REST framework's router, whose default lookup accepts any segment: ``abc`` in
    place of an id then reached the view and, for an anonymous caller, answered 401
    before the id was read. A viewset may still declare its own ``lookup_value_regex``."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        lookup_field = getattr(viewset, "lookup_field", "pk")
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        value = getattr(viewset, "lookup_value_regex", ID_PATTERN)
        return f"(?P<{lookup_prefix}{kwarg}>{value})"
