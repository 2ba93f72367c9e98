"""The widget's pages: its script's lasting address, the admins' settings, the demo."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.services import SsoError, sso_token_issue
from core.access import allow, public
from core.roles import Role
from widget import selectors, services
from widget.forms import LookForm, OriginForm, PreviewForm

SCRIPT = "widget/widget.js"


@public
@require_GET
@cache_control(max_age=300, public=True)
def script(request: HttpRequest) -> HttpResponse:
    """``/widget.js``, the address vendors paste: a redirect to the script under its
    content hash, so the script itself is cached for a year and a new release is
    picked up within minutes."""
    return redirect(static(SCRIPT))


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _settings_context(**extra: Any) -> dict[str, Any]:
    row = selectors.widget_settings()
    return {
        "snippet_src": _site() + reverse("widget-script"),
        "origins": selectors.allowed_origins(),
        "origin_form": OriginForm(),
        "preview_form": PreviewForm(),
        "look_form": LookForm(
            initial={
                "accent_colour": row.accent_colour,
                "position": row.position,
                "show_checklist": row.show_checklist,
                "show_whats_new": row.show_whats_new,
                "show_ideas": row.show_ideas,
                "hide_checklist_after_first_value": row.hide_checklist_after_first_value,
            }
        ),
        **extra,
    }


@allow(Role.ADMIN)
@never_cache
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    return render(request, "widget/settings.html", _settings_context())


@allow(Role.ADMIN)
@require_POST
def origin_add(request: HttpRequest) -> HttpResponse:
    form = OriginForm(request.POST)
    if form.is_valid():
        try:
            added = services.origin_add(
                actor=cast(User, request.user), origin=form.cleaned_data["origin"]
            )
        except ValidationError as exc:
            form.add_error("origin", exc)
        else:
            messages.success(request, _("%(origin)s may show the widget now.") % {"origin": added})
            return redirect("widget:settings")
    return render(request, "widget/settings.html", _settings_context(origin_form=form), status=400)


@allow(Role.ADMIN)
@require_POST
def origin_remove(request: HttpRequest, pk: int) -> HttpResponse:
    services.origin_remove(actor=cast(User, request.user), origin_id=pk)
    messages.success(request, _("The origin was removed."))
    return redirect("widget:settings")


@allow(Role.ADMIN)
@require_POST
def settings_look(request: HttpRequest) -> HttpResponse:
    form = LookForm(request.POST)
    if form.is_valid():
        try:
            services.widget_settings_save(actor=cast(User, request.user), **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The widget's settings were saved."))
            return redirect("widget:settings")
    return render(request, "widget/settings.html", _settings_context(look_form=form), status=400)


@allow(Role.ADMIN)
@never_cache
@require_POST
def settings_preview(request: HttpRequest) -> HttpResponse:
    """The settings page with the widget shown as a chosen contact sees it: a read-only
    preview session (widget.services.session), handed to widget.js by attribute."""
    form = PreviewForm(request.POST)
    if form.is_valid():
        try:
            token, contact = services.widget_preview_start(
                actor=cast(User, request.user),
                email=form.cleaned_data["email"],
                account=form.cleaned_data["account"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(
                request,
                "widget/settings.html",
                _settings_context(
                    preview_form=form,
                    preview_token=token,
                    preview_contact=contact,
                    script_src=reverse("widget-script"),
                ),
            )
    return render(request, "widget/settings.html", _settings_context(preview_form=form), status=400)


@public
@never_cache
@require_GET
def demo_page(request: HttpRequest) -> HttpResponse:
    """A stand-in for the vendor's product (``WIDGET_DEMO_PAGE``, on in ``make run``): a
    page that embeds the widget for the demo customer with a freshly signed token, as
    the vendor's server would sign it. ``?email=&account=`` picks someone else."""
    if not settings.WIDGET_DEMO_PAGE:
        raise Http404
    person = selectors.demo_person(
        email=request.GET.get("email", ""), account=request.GET.get("account", "")
    )
    token = ""
    if person is not None:
        try:
            token = sso_token_issue(email=person.email, account_external_id=person.account)
        except SsoError:
            token = ""
    return render(
        request,
        "widget/demo.html",
        {"token": token, "person": person, "script_src": reverse("widget-script")},
    )
