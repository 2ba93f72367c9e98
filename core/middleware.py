"""Request middleware that is not about access control (see core.access for that)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.http import is_api_request


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, letting a form lead to the staff sign-in provider.

    "Sign in with …" posts to our ``/auth/oidc/<id>/login/``, which redirects to the
    provider's authorization endpoint. Browsers check ``form-action`` on every redirect
    that follows a form's submission, so under ``form-action 'self'`` alone the button
    did nothing at all. With single sign-on on, the origin of ``OIDC_SERVER_URL`` (where
    Google's, Okta's, Entra ID's and Keycloak's authorization endpoints live) is added.
    It is read per request, like django-csp reads its own settings.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        provider = urlsplit(settings.OIDC_SERVER_URL)
        if provider.scheme and provider.netloc:
            update = dict(parts.update or {})
            already = update.get("form-action") or []
            already = [already] if isinstance(already, str) else list(already)
            update["form-action"] = [*already, f"{provider.scheme}://{provider.netloc}"]
            parts.update = update
        return parts


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


class UserLanguageMiddleware:
    """Show pages in the signed-in person's saved language.

    Django's LocaleMiddleware, earlier in the chain, has already chosen from the language
    cookie, then Accept-Language, then LANGUAGE_CODE; it runs before authentication, so
    the saved choice, which outranks them all, is applied here. LocaleMiddleware still
    writes Content-Language from whatever is active when the response leaves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        saved = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if saved and translation.check_for_language(saved):
            translation.activate(saved)
            request.LANGUAGE_CODE = translation.get_language()
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
