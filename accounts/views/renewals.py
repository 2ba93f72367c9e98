"""The renewals section of the account page: the history of outcomes and the CSM's form."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import RenewalOutcomeForm
from accounts.models import Account, User
from core.access import allow, policy_of
from core.roles import Role

SECTION_TEMPLATE = "accounts/_renewals.html"


def section_context(
    request: HttpRequest, account: Account, form: RenewalOutcomeForm | None = None
) -> dict[str, Any]:
    return {
        "account": account,
        "renewals": selectors.account_renewals(account=account),
        "renewal_form": form or RenewalOutcomeForm(),
        "can_record_renewal": _may_record(request),
    }


def _may_record(request: HttpRequest) -> bool:
    policy = policy_of(add_renewal)
    return policy is not None and policy.permits(request.user)


@allow(Role.CSM, Role.ADMIN)
@require_POST
def add_renewal(request: HttpRequest, account_id: int) -> HttpResponse:
    """Record an outcome. htmx gets the section back; a plain post is redirected, or
    shown the section with its errors."""
    user = cast(User, request.user)  # signed in: @allow let the request through
    htmx = getattr(request, "htmx", None)
    account = selectors.account_for_user(user=user, account_id=account_id)
    form = RenewalOutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.renewal_outcome_record(account=account, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not htmx:
                messages.success(request, _("Renewal outcome recorded."))
                return redirect(reverse("accounts:detail", args=[account.pk]) + "#renewals")
            form = RenewalOutcomeForm()
    context = section_context(request, account, form)
    if htmx:
        # 200 even with errors: htmx swaps only successful responses.
        return render(request, SECTION_TEMPLATE, context)
    return render(request, "accounts/renewals_page.html", context, status=400)
