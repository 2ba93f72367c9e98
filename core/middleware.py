"""Request middleware that is not about access control (see core.access for that)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.http import is_api_request


class UserTimezoneMiddleware:
    """Show times in the signed-in user's zone; they are stored in UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone_name = getattr(request.user, "time_zone", "") if request.user.is_authenticated else ""
        if zone_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class RefuseNulMiddleware:
    """Answer 400 to a NUL byte in the query string or a form field, at the door.

    No field of ours can hold one and PostgreSQL refuses it with an error, so a search
    for ``%00`` would otherwise be a 500. JSON bodies are checked by their parser
    (``core.parsers.PlainTextJSONParser``), uploaded files by the import that reads them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [key for key, values in request.GET.lists() if _has_nul(key, values)]
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            fields += [key for key, values in request.POST.lists() if _has_nul(key, values)]
        if not fields:
            return self.get_response(request)
        message = _("Must not contain control characters.")
        if is_api_request(request):
            return JsonResponse({field: [message] for field in fields}, status=400)
        return render(request, "400.html", status=400)


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(key: str, values: list[str]) -> bool:
    return "\x00" in key or any("\x00" in value for value in values)
