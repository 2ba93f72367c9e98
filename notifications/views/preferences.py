"""How a person wants to hear of each kind of notification, and the unsubscribe link.

Both doors call the same services: the settings page saves choices, the unsubscribe link
(from an e-mail, signed out) turns one category off after a confirmation, or at once on
a mail client's RFC 8058 one-click POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.access import allow, public
from core.roles import ALL_ROLES
from notifications.forms import PreferencesForm
from notifications.services import preferences as preference_services


@allow(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def preferences_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(
        request.POST or None,
        initial=preference_services.preferences_of(user),  # type: ignore[arg-type]
    )
    if request.method == "POST" and form.is_valid():
        try:
            preference_services.preferences_update(
                user=user,  # type: ignore[arg-type]
                choices=form.cleaned_data,
            )
        except ValidationError as exc:
            for category, errors in exc.message_dict.items():
                form.add_error(category if category in form.fields else None, errors)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# The token in the URL is the credential: the link works signed out, and a mail
# client's one-click POST (RFC 8058) carries no CSRF token. It can only turn one
# category of one person off.
@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners follow GETs); POST turns it off."""
    try:
        if request.method == "POST":
            unsubscription = preference_services.unsubscribe(token=token)
            done = True
        else:
            unsubscription = preference_services.unsubscription_read(token)
            done = False
    except ValidationError as exc:
        return render(
            request,
            "notifications/unsubscribe_invalid.html",
            {"errors": exc.messages},
            status=400,
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"unsubscription": unsubscription, "done": done, "token": token},
    )
