"""The onboarding section of the Customer 360 page and the actions on it.

Each action answers htmx with the section itself (200 even with errors, since htmx swaps
only successful responses and the errors must show next to the control) and a plain
form post with a redirect back to the section, its outcome in a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Account
from accounts.selectors import account_for_user
from core.access import allow, policy_of
from core.roles import Role
from ttfv import selectors, services
from ttfv.forms import CheckOffForm, StartForm

SECTION_TEMPLATE = "ttfv/_account_onboarding.html"

Errors = dict[str, list[str]]


def _milestone_key(milestone_id: int) -> str:
    return f"milestone-{milestone_id}"


def section_context(
    request: HttpRequest,
    account: Account,
    *,
    errors: Errors | None = None,
    values: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The section's context: the timeline, and what the viewer may do on it.

    ``errors`` and ``values`` are keyed by control ("start" or "milestone-<id>")
    so a failed action shows its message and the entered date beside its own control.
    """
    errors = errors or {}
    values = values or {}
    data = selectors.account_onboarding(account=account, today=services.today_utc())
    shown_beside = {"start"} | {_milestone_key(step.milestone.pk) for step in data.steps}
    return {
        "account": account,
        "ob": data,
        "steps": [
            {
                "step": step,
                "errors": errors.get(_milestone_key(step.milestone.pk), []),
                "value": values.get(_milestone_key(step.milestone.pk), ""),
            }
            for step in data.steps
        ],
        # Shown exactly to the roles the action views allow (PMs read only).
        "can_act": policy_of(milestone_check).permits(request.user),
        "start_errors": errors.get("start", []),
        "start_value": values.get("start"),
        # Errors with no control on the timeline (a milestone of another template).
        "section_errors": [m for key, ms in errors.items() if key not in shown_beside for m in ms],
    }


def _answer(
    request: HttpRequest,
    account: Account,
    *,
    done: str,
    errors: Errors | None = None,
    values: dict[str, str] | None = None,
) -> HttpResponse:
    if request.htmx:
        context = section_context(request, account, errors=errors, values=values)
        context["done"] = "" if errors else done
        return render(request, SECTION_TEMPLATE, context)
    if errors:
        for message in (m for ms in errors.values() for m in ms):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(reverse("accounts:detail", args=[account.pk]) + "#onboarding")


def _messages(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


@allow(Role.CSM, Role.ADMIN)
@require_POST
def milestone_check(request: HttpRequest, account_id: int, milestone_id: int) -> HttpResponse:
    """Check a milestone off on a day (today when empty); status and TTFV follow."""
    account = account_for_user(user=request.user, account_id=account_id)
    milestone = selectors.milestone_or_404(milestone_id=milestone_id)
    key = _milestone_key(milestone.pk)
    values = {key: request.POST.get("achieved_on", "")}
    form = CheckOffForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, account, done="", errors={key: form.errors["achieved_on"]}, values=values
        )
    try:
        services.milestone_check(
            account=account,
            milestone=milestone,
            user=request.user,
            achieved_on=form.cleaned_data["achieved_on"],
        )
    except ValidationError as exc:
        return _answer(request, account, done="", errors={key: _messages(exc)}, values=values)
    return _answer(request, account, done=_("“%(name)s” checked off.") % {"name": milestone.name})


@allow(Role.CSM, Role.ADMIN)
@require_POST
def milestone_uncheck(request: HttpRequest, account_id: int, milestone_id: int) -> HttpResponse:
    """Undo a manual check-off."""
    account = account_for_user(user=request.user, account_id=account_id)
    milestone = selectors.milestone_or_404(milestone_id=milestone_id)
    services.milestone_uncheck(account=account, milestone=milestone)
    return _answer(
        request, account, done=_("Check-off of “%(name)s” undone.") % {"name": milestone.name}
    )


@allow(Role.CSM, Role.ADMIN)
@require_POST
def onboarding_start(request: HttpRequest, account_id: int) -> HttpResponse:
    """Set the onboarding start by hand; empty goes back to the contract start."""
    account = account_for_user(user=request.user, account_id=account_id)
    values = {"start": request.POST.get("started_on", "")}
    form = StartForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, account, done="", errors={"start": form.errors["started_on"]}, values=values
        )
    try:
        services.onboarding_start_set(account=account, started_on=form.cleaned_data["started_on"])
    except ValidationError as exc:
        return _answer(request, account, done="", errors={"start": _messages(exc)}, values=values)
    return _answer(request, account, done=_("Onboarding start saved."))


@allow(Role.CSM, Role.ADMIN)
@require_POST
def onboarding_compute(request: HttpRequest, account_id: int) -> HttpResponse:
    """Compute one account's onboarding now, instead of waiting for the nightly run."""
    account = account_for_user(user=request.user, account_id=account_id)
    services.onboarding_recompute(account_ids=[account.pk])
    return _answer(request, account, done=_("Onboarding computed."))
