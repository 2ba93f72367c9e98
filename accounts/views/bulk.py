"""The portfolio's bulk actions: reassign, set the stage, export, and whatever other
apps register (``accounts.extensions.BulkAction``).

A change is asked, confirmed with the count, then made by its service; the page holds
no rule of its own. Export changes nothing, so it goes straight to the file.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts import extensions, selectors, services
from accounts.forms import BulkSelectionForm, ReassignForm, StageForm
from accounts.models import Account, User
from core.access import allow
from core.redirects import safe_next
from core.roles import STAFF_ROLES, Role

#: Accounts named on the confirmation page; the rest are counted.
NAMES_SHOWN = 25


def _reassign(actor: User, ids: list[int], data: dict[str, Any]) -> int:
    return services.accounts_reassign(actor=actor, account_ids=ids, csm=data["csm"])


def _set_stage(actor: User, ids: list[int], data: dict[str, Any]) -> int:
    return services.accounts_set_stage(actor=actor, account_ids=ids, stage=data["stage"])


def _person(user: User) -> str:
    return user.get_full_name() or user.username


def _stage_label(value: str) -> str:
    return str(Account.Lifecycle(value).label)


REASSIGN = extensions.BulkAction(
    key="reassign",
    label=gettext_lazy("Reassign CSM"),
    form=ReassignForm,
    perform=_reassign,
    confirm=lambda count, data: (
        ngettext(
            "Make %(csm)s the CSM of %(count)d account?",
            "Make %(csm)s the CSM of %(count)d accounts?",
            count,
        )
        % {"csm": _person(data["csm"]), "count": count}
    ),
    done=lambda changed, data: (
        ngettext(
            "%(count)d account reassigned to %(csm)s.",
            "%(count)d accounts reassigned to %(csm)s.",
            changed,
        )
        % {"csm": _person(data["csm"]), "count": changed}
    ),
    roles=frozenset({Role.CSM, Role.ADMIN}),
    order=10,
)
SET_STAGE = extensions.BulkAction(
    key="stage",
    label=gettext_lazy("Set lifecycle stage"),
    form=StageForm,
    perform=_set_stage,
    confirm=lambda count, data: (
        ngettext(
            "Move %(count)d account to the stage “%(stage)s”?",
            "Move %(count)d accounts to the stage “%(stage)s”?",
            count,
        )
        % {"stage": _stage_label(data["stage"]), "count": count}
    ),
    done=lambda changed, data: (
        ngettext(
            "%(count)d account moved to “%(stage)s”.",
            "%(count)d accounts moved to “%(stage)s”.",
            changed,
        )
        % {"stage": _stage_label(data["stage"]), "count": changed}
    ),
    roles=frozenset({Role.CSM, Role.ADMIN}),
    order=20,
)


def bulk_menu(request: HttpRequest) -> dict[str, Any]:
    """What the portfolio's bulk toolbar offers the viewer: the actions of their role,
    each with its (unbound) form."""
    role = cast(User, request.user).role
    return {
        "bulk_actions": [
            {"action": action, "form": action.form(prefix=action.key) if action.form else None}
            for action in extensions.bulk_actions(role)
        ],
    }


@allow(STAFF_ROLES)
@require_POST
def portfolio_bulk(request: HttpRequest) -> HttpResponseBase:
    user = cast(User, request.user)
    back = safe_next(request, reverse("accounts:portfolio"))
    available = {a.key: a for a in extensions.bulk_actions(user.role)}
    selection = BulkSelectionForm(
        request.POST, actions=[(key, a.label) for key, a in available.items()]
    )
    if not selection.is_valid():
        return _answer(request, back, errors=_messages(selection.errors), status=400)
    ids: list[int] = selection.cleaned_data["account"]
    if "export" in request.POST:
        return _export(user, ids)
    action = available.get(selection.cleaned_data["action"])
    if action is None:
        return _answer(request, back, errors=[_("Choose an action.")], status=400)
    form = action.form(request.POST, prefix=action.key) if action.form else None
    if form is not None and not form.is_valid():
        return _answer(request, back, action=action, form=form, ids=ids, status=400)
    data = form.cleaned_data if form is not None else {}
    if not selection.cleaned_data["confirmed"]:
        return _answer(request, back, action=action, form=form, ids=ids, data=data)
    try:
        changed = action.perform(user, ids, data)
    except ValidationError as exc:
        return _answer(
            request, back, action=action, form=form, ids=ids, errors=exc.messages, status=400
        )
    messages.success(request, action.done(changed, data))
    return redirect(back)


def _messages(errors: Any) -> list[str]:
    return [str(message) for field in errors.values() for message in field]


def _answer(
    request: HttpRequest,
    back: str,
    *,
    action: extensions.BulkAction | None = None,
    form: Any = None,
    ids: list[int] | None = None,
    data: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The confirmation page: the question with the count, the accounts, and the
    choices made, carried as hidden fields so "Confirm" posts the same request again."""
    ids = ids or []
    names = list(
        Account.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .order_by("name", "pk")
        .values_list("name", flat=True)[:NAMES_SHOWN]
    )
    return render(
        request,
        "accounts/bulk_confirm.html",
        {
            "action": action,
            "form": form,
            "ids": ids,
            "names": names,
            "more": max(len(ids) - len(names), 0),
            "question": action.confirm(len(ids), data) if action and data is not None else "",
            "errors": errors or [],
            "next": back,
        },
        status=status,
    )


def _export(user: User, ids: list[int]) -> StreamingHttpResponse:
    """The selected accounts as CSV: the portfolio export's columns, so it re-imports."""
    accounts = (
        Account.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("csm_owner")
        .order_by("name", "pk")
    )
    response = StreamingHttpResponse(
        selectors.portfolio_csv_rows(accounts.iterator(chunk_size=2000)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"accounts-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
