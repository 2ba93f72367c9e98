"""What every widget endpoint shares: the bearer session, the CORS check, and the
reader's language.

The widget runs on the vendor's pages, another origin: browsers let it call us only
when our answer names that origin (CORS). The check is here, for the widget's API
only, instead of a site-wide CORS middleware: no other endpoint answers another origin.
A request from an origin not allowed is refused before anything runs (a token it
carries is not even spent) with a JSON 403 and no CORS header, so the page's script
cannot read even that. No cookie is ever involved: ``Access-Control-Allow-Credentials``
is never sent, and the session travels as ``Authorization: Bearer``.

A request without ``Origin`` is not a browser's cross-origin call (browsers send it on
every CORS request): a server or a script, which CORS never restrained anyway. It is
answered like any other, and the bearer session, not the origin, is what guards it.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User
from core.api import ServiceErrorsMixin
from widget import selectors, services

ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type, X-Widget-Token"
PREFLIGHT_MAX_AGE = "600"


class WidgetSessionAuthentication(BaseAuthentication):
    """``Authorization: Bearer <widget session token>`` (see widget.services.session)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, services.WidgetSession] | None:
        header = request.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        if scheme != self.keyword or not token.strip():
            return None
        try:
            session = services.widget_session_read(token=token.strip())
        except services.WidgetSessionError as exc:
            raise AuthenticationFailed(exc.message, code=exc.reason) from None
        return session.user, session

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="widget"'


def origin_refused() -> JsonResponse:
    return JsonResponse({"detail": _("This site may not show the in-app widget.")}, status=403)


class CorsMixin:
    """Answer preflights and name the caller's origin, for allowed origins only."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        origin = request.headers.get("Origin")
        if origin is not None and not selectors.origin_is_allowed(origin):
            return origin_refused()
        if origin is not None and request.method == "OPTIONS":
            response: HttpResponseBase = JsonResponse({}, status=200)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        else:
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        if origin is not None:
            response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])
        return response


class WidgetAPIView(CorsMixin, ServiceErrorsMixin, APIView):
    """A widget endpoint for a signed-in widget session (``@allow(Role.CUSTOMER)``).

    Not in the public API's schema: its only client is widget.js, and it is not
    reachable with the API's tokens or sessions, only with a widget session."""

    authentication_classes = [WidgetSessionAuthentication]
    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # The person's saved language, else their browser's (LocaleMiddleware chose it
        # from Accept-Language before anyone was authenticated).
        language = getattr(request.user, "language", "")
        if language and translation.check_for_language(language):
            translation.activate(language)

    @property
    def session(self) -> services.WidgetSession:
        # @allow(Role.CUSTOMER) let the request in, so the bearer authenticated it.
        return cast(services.WidgetSession, self.request.auth)
