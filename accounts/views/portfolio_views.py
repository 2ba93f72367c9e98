"""Saved portfolio views: the list to manage them, and the forms that save, rename,
share, delete and choose the default. The rules are the services'."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import extensions, selectors, services
from accounts.forms import SaveViewForm, UpdateViewForm
from accounts.models import User
from core.access import allow
from core.roles import STAFF_ROLES


def column_choices() -> list[tuple[str, Any]]:
    """Every column a view may show, with its header, in the table's order."""
    builtin = {
        "plan": _("Plan"),
        "stage": _("Stage"),
        "csm": _("CSM"),
        "arr": _("ARR"),
        "seats": _("Seats"),
        "renewal": _("Renewal"),
    }
    labels: dict[str, Any] = {
        **builtin,
        **{c.key: c.label for c in extensions.portfolio_columns()},
    }
    return [(key, labels[key]) for key in services.column_keys()]


def _errors(form: Any) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def view_url(view_id: int) -> str:
    return reverse("accounts:portfolio") + "?" + urlencode({"view": view_id})


@allow(STAFF_ROLES)
def portfolio_views(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    views = selectors.portfolio_views_for(user=user)
    default = selectors.default_portfolio_view(user=user)
    return render(
        request,
        "accounts/portfolio_views.html",
        {
            "rows": [
                {
                    "view": view,
                    "mine": view.owner_id == user.pk,
                    "is_default": default is not None and default.pk == view.pk,
                    "url": view_url(view.pk),
                    "form": UpdateViewForm(
                        initial={"name": view.name, "shared": view.shared},
                        prefix=f"view-{view.pk}",
                    ),
                }
                for view in views
            ],
            "default": default,
        },
    )


@allow(STAFF_ROLES)
@require_POST
def portfolio_view_save(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = SaveViewForm(request.POST, columns=column_choices())
    back = reverse("accounts:portfolio") + "?" + request.POST.get("query", "")
    if not form.is_valid():
        for error in _errors(form):
            messages.error(request, error)
        return redirect(back)
    try:
        view = services.portfolio_view_save(
            actor=user,
            name=form.cleaned_data["name"],
            query=dict(parse_qsl(form.cleaned_data["query"])),
            columns=form.cleaned_data["columns"],
            shared=form.cleaned_data["shared"],
            make_default=form.cleaned_data["make_default"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(view_url(view.pk))


@allow(STAFF_ROLES)
@require_POST
def portfolio_view_update(request: HttpRequest, view_id: int) -> HttpResponse:
    user = cast(User, request.user)
    view = selectors.portfolio_view_for_user(user=user, view_id=view_id)
    form = UpdateViewForm(request.POST, prefix=f"view-{view.pk}")
    if form.is_valid():
        try:
            services.portfolio_view_update(
                actor=user,
                view=view,
                name=form.cleaned_data["name"],
                shared=form.cleaned_data["shared"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    else:
        for error in _errors(form):
            messages.error(request, error)
    return redirect("accounts:portfolio_views")


@allow(STAFF_ROLES)
@require_POST
def portfolio_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    user = cast(User, request.user)
    view = selectors.portfolio_view_for_user(user=user, view_id=view_id)
    name = view.name
    services.portfolio_view_delete(actor=user, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": name})
    return redirect("accounts:portfolio_views")


@allow(STAFF_ROLES)
@require_POST
def portfolio_view_default(request: HttpRequest) -> HttpResponse:
    """Make a view the default (``view`` posted), or have none (``view`` empty)."""
    user = cast(User, request.user)
    raw = request.POST.get("view", "")
    view = selectors.portfolio_view_for_user(user=user, view_id=raw) if raw else None
    services.portfolio_view_set_default(actor=user, view=view)
    if view is None:
        messages.success(request, _("Your portfolio opens without a saved view."))
    else:
        messages.success(request, _("Your portfolio opens with “%(name)s”.") % {"name": view.name})
    return redirect("accounts:portfolio_views")
