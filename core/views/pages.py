"""Project-wide views: the home, sign-in, the health check, and the gates of the API docs
and Django's admin site."""

from __future__ import annotations

from typing import Any, cast

from allauth.account import views as allauth_views
from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.access import RoleHolder, allow, public
from core.health import health_check
from core.roles import ALL_ROLES, Role

HOME_BY_ROLE: dict[str, str] = {
    Role.ADMIN: "accounts:getting_started",
    # The cockpit: what to do today; the portfolio is one click away in the header.
    Role.CSM: "plays:today",
    Role.PM: "feedback:triage",
    Role.CUSTOMER: "feedback:board",
}


@public
def home(request: HttpRequest) -> HttpResponse:
    """Each role's own start page; a visitor who is not signed in is told what the site is
    and pointed at what they may read (the header's links for anonymous readers)."""
    if not request.user.is_authenticated:
        return render(request, "core/home.html")
    # Every signed-in user has a role.
    user = cast(RoleHolder, request.user)
    return redirect(HOME_BY_ROLE[user.role])


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers, compose and monitoring: the database, the broker and the age
    of the oldest pending job, as JSON; 503 when one of them is not right."""
    health = health_check()
    return JsonResponse(health.as_dict(), status=200 if health.ok else 503)


# django-allauth's sign-in (password, or a code by e-mail) and sign-out (POST ends the
# session on the server); our template is templates/account/login.html.
login = public(allauth_views.LoginView.as_view())
logout = public(allauth_views.LogoutView.as_view())


# Open to everyone, but each reader is shown only the operations they may call
# (SPECTACULAR_SETTINGS["SERVE_PUBLIC"] is off): a customer the board and their
# notifications, an anonymous reader the public roadmap, staff the whole API.
@public
class SchemaView(SpectacularAPIView):
    pass


@allow(ALL_ROLES)
@method_decorator(csp_update({"script-src": [NONCE], "style-src": [NONCE]}), name="get")
class DocsView(SpectacularSwaggerView):
    """Swagger UI, from drf-spectacular's template: its start-up script and page style
    are inline, so they carry this response's nonce. No page of ours gets one.

    A page for people, behind a REST framework view: a visitor who is not signed in is
    sent to sign in and back, like on every other page, before REST framework could
    answer a bare JSON 401.
    """

    template_name = "core/api_docs.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


@public
def admin_login(request: HttpRequest) -> HttpResponse:
    """Stands in for the admin site's own sign-in form, where the admin sends whoever it
    does not let in: a visitor signs in on our page and comes back; someone signed in
    without the admin role gets our 403 page; an admin goes on to the admin."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    target = target or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target)
    if getattr(request.user, "role", None) != Role.ADMIN or not request.user.is_staff:
        raise PermissionDenied
    return redirect(target)
