"""Request types for annotating views (Django itself builds plain HttpRequests)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware, which sets ``htmx`` on every
    request: the type django-htmx's documentation suggests for views that read it."""

    htmx: HtmxDetails
