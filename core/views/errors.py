"""Error answers: under ``/api/`` always JSON (``{"detail": …}``), never Django's pages.

An API client reads the body of every answer as JSON, so a 404 for a mistyped path or a
non-numeric id, or a 500, must not be an HTML page it cannot parse, whatever its
``Accept`` header says. Everywhere else the friendly templates stay.

REST framework already answers JSON for what its views raise; these handlers cover the
rest: what no route matches (``api_not_found``, the last route under ``/api/``) and
what Django itself turns into an error page (an exception escaping a view, a
``SuspiciousOperation``, a ``PermissionDenied`` or ``Http404`` outside REST framework).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from core.access import public
from core.http import is_api_request

#: The URL name of the catch-all route at the end of the API's patterns.
NOT_FOUND_NAME = "api-not-found"


def _detail(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _endpoint_with_slash(request: HttpRequest) -> bool:
    """The address names an endpoint once a slash is appended."""
    if request.path_info.endswith("/"):
        return False
    try:
        match = resolve(request.path_info + "/")
    except Resolver404:
        return False
    return match.url_name != NOT_FOUND_NAME


@public
@csrf_exempt  # whatever the method, the answer changes nothing
def api_not_found(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """The last route under ``/api/``: what no endpoint matched is a JSON 404."""
    if _endpoint_with_slash(request):
        # The catch-all matches first, so APPEND_SLASH no longer redirects under /api/.
        # A GET is still sent on, as before; any other method is told the address,
        # because a redirect would turn a POST into a GET and lose its body.
        target = request.get_full_path(force_append_slash=True)
        if request.method in ("GET", "HEAD"):
            response = _detail(_("Moved to %(path)s") % {"path": target}, 301)
            response["Location"] = target
            return response
        return _detail(
            _("Not found. API addresses end with a slash: %(path)s") % {"path": target}, 404
        )
    return _detail(_("Not found."), 404)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _detail(_("Bad request."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _detail(_("You do not have permission to perform this action."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _detail(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return _detail(_("Server error."), 500)
    return defaults.server_error(request)
