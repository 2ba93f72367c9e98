"""The health section of the Customer 360 page and the CSM's sentiment and override forms.

Staff see the section (it is rendered into the staff-only account page); only CSMs and
admins may set sentiment or overrides. Each form posts with htmx and gets the whole
section back, so the badge, score and divergence flag move with the input; a plain form
post is redirected back to the page, or shown its errors with status 400.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors as account_selectors
from accounts.models import Account, User
from core.access import allow, policy_of
from core.http import HtmxHttpRequest
from core.roles import STAFF_ROLES, Role
from healthscores import selectors, services
from healthscores.forms import OverrideForm, SentimentForm, WhyChangedForm
from healthscores.services.inputs import OVERRIDE_MAX_DAYS

SECTION_TEMPLATE = "healthscores/_account_health.html"
WHY_TEMPLATE = "healthscores/_why_changed_pick.html"


def _why_form(request: HttpRequest) -> WhyChangedForm:
    """The CSM's pair of days from the query string; unbound when none was asked for."""
    asked = any(key.startswith(f"{WhyChangedForm.prefix}-") for key in request.GET)
    return WhyChangedForm(request.GET if asked else None)


def section_context(
    request: HttpRequest,
    account: Account,
    *,
    sentiment_form: SentimentForm | None = None,
    override_form: OverrideForm | None = None,
    saved: str = "",
) -> dict[str, Any]:
    """The section's template context (also the AccountSection's context callable)."""
    why_form = _why_form(request)
    return {
        "panel": selectors.account_health_panel(account=account, compare=why_form.days()),
        "why_form": why_form,
        "account": account,
        # Forms are shown exactly to the people the posting views allow.
        "can_edit": policy_of(sentiment).permits(request.user),
        "sentiment_form": sentiment_form or SentimentForm(),
        "override_form": override_form or OverrideForm(),
        "saved": saved,
        "override_max_days": OVERRIDE_MAX_DAYS,
    }


def _respond(
    request: HttpRequest,
    account: Account,
    *,
    saved: str = "",
    sentiment_form: SentimentForm | None = None,
    override_form: OverrideForm | None = None,
) -> HttpResponse:
    """htmx: the whole section, 200 even with errors (htmx swaps only successful
    responses, and the errors must replace the form in place). Plain posts: back to the
    account page when saved, else the section on its own page with status 400."""
    if request.htmx:
        context = section_context(
            request,
            account,
            sentiment_form=sentiment_form,
            override_form=override_form,
            saved=saved,
        )
        return render(request, SECTION_TEMPLATE, context)
    if saved:
        messages.success(request, saved)
        return redirect(reverse("accounts:detail", args=[account.pk]) + "#health")
    context = section_context(
        request, account, sentiment_form=sentiment_form, override_form=override_form
    )
    return render(request, "healthscores/account_health_page.html", context, status=400)


def _save(form: forms.Form, save) -> bool:
    """Run the service with the form's cleaned data; its ValidationErrors land on the
    form's fields. True when saved."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@allow(Role.CSM, Role.ADMIN)
@require_POST
def sentiment(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_selectors.account_for_user(user=request.user, account_id=account_id)
    form = SentimentForm(request.POST)
    saved = _save(
        form,
        lambda data: services.sentiment_set(
            account=account, value=data["value"], comment=data["comment"], set_by=request.user
        ),
    )
    if saved:
        return _respond(request, account, saved=_("Sentiment saved; health recomputed."))
    return _respond(request, account, sentiment_form=form)


@allow(Role.CSM, Role.ADMIN)
@require_POST
def override(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_selectors.account_for_user(user=request.user, account_id=account_id)
    form = OverrideForm(request.POST)
    saved = _save(
        form,
        lambda data: services.override_set(
            account=account,
            band=data["band"],
            reason=data["reason"],
            expires_on=data["expires_on"],
            set_by=request.user,
        ),
    )
    if saved:
        return _respond(request, account, saved=_("Override set; health recomputed."))
    return _respond(request, account, override_form=form)


@allow(Role.CSM, Role.ADMIN)
@require_POST
def override_end(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_selectors.account_for_user(user=request.user, account_id=account_id)
    try:
        services.override_end(account=account, ended_by=cast(User, request.user))
    except ValidationError as exc:
        # Someone else ended it first: show the section as it is now, with the reason.
        if request.htmx:
            return _respond(request, account, saved=" ".join(exc.messages))
        messages.info(request, " ".join(exc.messages))
        return redirect(reverse("accounts:detail", args=[account.pk]) + "#health")
    return _respond(request, account, saved=_("Override ended; health recomputed."))


@allow(STAFF_ROLES)
@require_GET
def why_changed(request: HtmxHttpRequest, account_id: int) -> HttpResponse:
    """Why the score changed between the two days picked: the picker and its result,
    swapped in by htmx; a plain request gets the whole account page with that query."""
    # allow() lets only signed-in staff this far.
    user = cast(User, request.user)
    account = account_selectors.account_for_user(user=user, account_id=account_id)
    if not request.htmx:
        query = request.GET.urlencode()
        url = reverse("accounts:detail", args=[account.pk])
        return redirect(f"{url}?{query}#health-why-heading" if query else url)
    why_form = _why_form(request)
    days = why_form.days()
    picked = (
        selectors.picked_comparison(account=account, then_day=days[0], now_day=days[1])
        if days
        else None
    )
    context = {"account": account, "why_form": why_form, "picked": picked}
    return render(request, WHY_TEMPLATE, context)
