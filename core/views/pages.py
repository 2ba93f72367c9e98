"""Project-wide views: the role-based home, sign-in, and the health check."""

from __future__ import annotations

from typing import cast

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.access import RoleHolder, allow, public
from core.health import health_check
from core.roles import ALL_ROLES, Role

HOME_BY_ROLE: dict[str, str] = {
    Role.ADMIN: "accounts:getting_started",
    Role.CSM: "accounts:portfolio",
    Role.PM: "feedback:triage",
    Role.CUSTOMER: "feedback:board",
}


@allow(ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    # ``@allow`` lets in signed-in users only, and every one of them has a role.
    user = cast(RoleHolder, request.user)
    return redirect(HOME_BY_ROLE[user.role])


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers, compose and monitoring: the database, the broker and the age
    of the oldest pending job, as JSON; 503 when one of them is not right."""
    health = health_check()
    return JsonResponse(health.as_dict(), status=200 if health.ok else 503)


login = public(
    auth_views.LoginView.as_view(
        template_name="registration/login.html", redirect_authenticated_user=True
    )
)
logout = public(auth_views.LogoutView.as_view())


# Open to everyone, but each reader is shown only the operations they may call
# (SPECTACULAR_SETTINGS["SERVE_PUBLIC"] is off): a customer the board and their
# notifications, an anonymous reader the public roadmap, staff the whole API.
@public
class SchemaView(SpectacularAPIView):
    pass


@public
@method_decorator(csp_update({"script-src": [NONCE], "style-src": [NONCE]}), name="get")
class DocsView(SpectacularSwaggerView):
    """Swagger UI, from drf-spectacular's template: its start-up script and page style
    are inline, so they carry this response's nonce. No page of ours gets one."""

    template_name = "core/api_docs.html"
