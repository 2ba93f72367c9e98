"""A person's own settings: the settings page and the language switcher's target."""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from accounts import services
from accounts.forms import UserSettingsForm
from core.access import allow, public
from core.roles import ALL_ROLES


@public
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (the cookie, then ``next``), and for a signed-in person
    also their saved choice, so it follows them to the next sign-in on any device."""
    response = set_language(request)
    if request.user.is_authenticated:
        # An unknown language: set_language ignored it too, and so the page is unchanged.
        with suppress(ValidationError):
            services.user_language_set(
                user=request.user,
                language=request.POST.get("language", ""),
            )
    return response


@allow(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def user_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = UserSettingsForm(
        request.POST or None,
        initial={"language": user.language, "time_zone": user.time_zone},  # type: ignore[union-attr]
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_settings_update(
                user=user,  # type: ignore[arg-type]
                language=form.cleaned_data["language"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your settings are saved."))
            return redirect("user_settings")
    return render(request, "accounts/user_settings.html", {"form": form})
