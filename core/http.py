"""Request helpers: the request types for annotating views (Django itself builds plain
HttpRequests), and which requests belong to the REST API."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

#: Where the REST API lives: every answer below it is JSON, errors included.
API_PREFIX = "/api/"


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware, which sets ``htmx`` on every
    request: the type django-htmx's documentation suggests for views that read it."""

    htmx: HtmxDetails


def is_api_request(request: HttpRequest) -> bool:
    """A request of the REST API, whose client reads every answer as JSON.

    ``path_info`` rather than ``path``: behind a proxy that mounts the site under a
    prefix (``SCRIPT_NAME``), ``path`` starts with that prefix and never with ``/api/``.
    """
    return request.path_info.startswith(API_PREFIX)
