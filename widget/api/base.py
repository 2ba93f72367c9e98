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

Our own site's origin is not an allowed origin, but the settings page's preview runs
there: a request from it is let through to authentication and then answered only for
a preview session (anything else, the session door included, is refused as from any
origin not allowed). A preview session answers our own origin (or no ``Origin``) only,
and every write of it is refused (``services.widget_session_may_write``).
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS
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


def _origin_refused_text() -> str:
    return _("This site may not show the in-app widget.")


def origin_refused() -> JsonResponse:
    return JsonResponse({"detail": _origin_refused_text()}, status=403)


def own_origins(request: HttpRequest) -> set[str]:
    """Our own site's origin, as configured (``SITE_URL``) and as this request reached
    us (its host checked against ``ALLOWED_HOSTS``)."""
    site = urlsplit(settings.SITE_URL)
    return {
        f"{site.scheme}://{site.netloc}".lower(),
        f"{request.scheme}://{request.get_host()}".lower(),
    }


class CorsMixin:
    """Answer preflights and name the caller's origin, for allowed origins only (and
    our own, for previews: see the module's notes)."""

    #: The request came from our own origin, which is not an allowed one.
    own_origin_only = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        origin = request.headers.get("Origin")
        self.own_origin_only = False
        if origin is not None and not selectors.origin_is_allowed(origin):
            if origin.lower() not in own_origins(request):
                return origin_refused()
            self.own_origin_only = True
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
        session = request.auth if isinstance(request.auth, services.WidgetSession) else None
        preview = session is not None and session.preview
        origin = request.headers.get("Origin")
        if self.own_origin_only and not preview:
            raise PermissionDenied(_origin_refused_text())
        if preview and origin is not None and origin.lower() not in own_origins(request):
            raise PermissionDenied(_origin_refused_text())
        if session is not None and request.method not in SAFE_METHODS:
            services.widget_session_may_write(session=session)
        # The person's saved language, else their browser's (LocaleMiddleware chose it
        # from Accept-Language before anyone was authenticated).
        language = getattr(request.user, "language", "")
        if language and translation.check_for_language(language):
            translation.activate(language)

    @property
    def session(self) -> services.WidgetSession:
        # @allow(Role.CUSTOMER) let the request in, so the bearer authenticated it.
        return cast(services.WidgetSession, self.request.auth)
