"""Sign-in from the vendor's product (``GET /sso/?token=…``) and its settings pages.

The rules live in ``accounts.services.sso``; these views translate its refusals into a
page, sign the person in, and show admins the secret and how to make a token.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import services
from accounts.forms import SsoRotateForm
from accounts.models import User
from core.access import allow, public
from core.roles import Role
from core.throttle import Throttled, client_address, throttle
from core.views.pages import HOME_BY_ROLE

logger = logging.getLogger(__name__)

#: Explicit: the person has no password here, and the backend named in the session must
#: be one that can load them again on the next request.
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refusal(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "accounts/sso_error.html", {"message": message}, status=status)


@public
@never_cache
@require_GET
def sso_sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with a token from the vendor's product and go to its return path.

    ``login()`` gives the browser a new session key (and drops the session of anyone
    else signed in there), so a session fixed before the link was opened is worthless.
    """
    client = client_address(request)
    try:
        throttle(scope="sso", client=client, limit=settings.SSO_ATTEMPTS_PER_MINUTE)
    except Throttled as exc:
        logger.warning("SSO sign-in refused (throttled) from %s", client)
        response = _refusal(
            request,
            _("Too many sign-in attempts from your network. Wait a minute and try again."),
            status=429,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    try:
        result = services.sso_sign_in(token=request.GET.get("token", ""))
    except services.SsoError as exc:
        logger.warning("SSO sign-in refused (%s) from %s: %s", exc.reason, client, exc.detail)
        return _refusal(request, exc.message, status=400)
    auth.login(request, result.user, backend=BACKEND)
    return redirect(result.return_to or reverse(HOME_BY_ROLE[Role.CUSTOMER]))


@allow(Role.ADMIN)
@never_cache
@require_GET
def sso_settings(request: HttpRequest) -> HttpResponse:
    """The current secret (to copy into the vendor's server), the replaced ones still
    accepted, and the rotation form."""
    current = services.sso_secret_current()
    return render(
        request,
        "accounts/sso_settings.html",
        {
            "current": current,
            "in_grace": services.sso_secrets_in_grace(),
            "form": SsoRotateForm(),
            "grace_hours": settings.SSO_SECRET_GRACE_HOURS,
            "sso_url": settings.SITE_URL.rstrip("/") + reverse("sso"),
        },
    )


@allow(Role.ADMIN)
@require_POST
def sso_rotate(request: HttpRequest) -> HttpResponse:
    form = SsoRotateForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/sso_settings.html",
            {
                "current": services.sso_secret_current(),
                "in_grace": services.sso_secrets_in_grace(),
                "form": form,
                "grace_hours": settings.SSO_SECRET_GRACE_HOURS,
                "sso_url": settings.SITE_URL.rstrip("/") + reverse("sso"),
            },
            status=400,
        )
    had_one = services.sso_secret_current() is not None
    admin = cast(User, request.user)  # signed in: @allow let the request through
    services.sso_secret_rotate(actor=admin, end_grace_now=form.cleaned_data["end_grace"])
    if not had_one:
        messages.success(request, _("The sign-in secret was created."))
    elif form.cleaned_data["end_grace"]:
        messages.success(request, _("A new secret is in force; the old ones are refused now."))
    else:
        until = timezone.now() + timedelta(hours=settings.SSO_SECRET_GRACE_HOURS)
        messages.success(
            request,
            _("A new secret is in force; the old one is accepted until %(until)s (%(zone)s).")
            % {
                "until": date_format(timezone.localtime(until), "DATETIME_FORMAT"),
                "zone": timezone.get_current_timezone_name(),
            },
        )
    return redirect("accounts:sso_settings")


@allow(Role.ADMIN)
@require_GET
def sso_docs(request: HttpRequest) -> HttpResponse:
    """How the vendor's server makes a token, with examples to copy."""
    return render(
        request,
        "accounts/sso_docs.html",
        {
            "sso_url": settings.SITE_URL.rstrip("/") + reverse("sso"),
            "max_lifetime": settings.SSO_TOKEN_MAX_LIFETIME_SECONDS,
            "grace_hours": settings.SSO_SECRET_GRACE_HOURS,
        },
    )
