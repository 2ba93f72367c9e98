"""A CSM's (or PM's) vote on behalf of a customer heard on a call or in a ticket.

A two-step form: find and pick an account, then one of its contacts and a note. htmx
swaps each step in place on the idea page; without JS each step is a page of its own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Account
from core.access import allow
from core.roles import Role
from feedback import services
from feedback.forms import VoteOnBehalfForm
from feedback.models import Idea
from feedback.selectors import board as selectors
from feedback.statuses import VOTABLE_STATUSES


def _chosen_account(request: HttpRequest, source) -> Account | None:
    raw = source.get("account", "")
    if not raw.isdigit():
        return None
    return Account.objects.visible_to(request.user).filter(pk=int(raw)).first()


def on_behalf_context(
    request: HttpRequest, idea: Idea, form: VoteOnBehalfForm | None = None
) -> dict[str, Any]:
    """State of the two-step form: find an account, then pick one of its contacts."""
    source = request.POST if request.method == "POST" else request.GET
    search = source.get("q", "")[:100]
    account = _chosen_account(request, source)
    context: dict[str, Any] = {"idea": idea, "q": search, "account": account}
    if account is None:
        context["accounts"] = selectors.accounts_for_on_behalf(user=request.user, search=search)
    else:
        context["contacts"] = selectors.contacts_for_on_behalf(
            user=request.user, account=account, idea=idea
        )
        context["form"] = form or VoteOnBehalfForm(user=request.user, account=account)
    return context


@allow(Role.CSM, Role.PM, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def vote_on_behalf(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a vote for a contact heard on a call or in a ticket, with a note.

    GET steps through the form (htmx swaps the form in place; without JS each step is
    a page); POST records the vote. A contact who already voted keeps their one vote.
    """
    idea = selectors.idea_for_user(user=request.user, pk=pk)
    if idea.status not in VOTABLE_STATUSES:
        messages.error(request, _("Voting is closed on this idea."))
        return redirect("feedback:idea", idea.pk)
    form = None
    if request.method == "POST":
        account = _chosen_account(request, request.POST)
        form = VoteOnBehalfForm(request.POST, user=request.user, account=account)
        if form.is_valid():
            contact = form.cleaned_data["contact"]
            try:
                added = services.vote_on_behalf(
                    idea=idea,
                    contact=contact,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if added:
                    messages.success(
                        request,
                        _("Vote added for %(contact)s (%(account)s).")
                        % {"contact": contact.name, "account": contact.account.name},
                    )
                else:
                    messages.info(
                        request,
                        _("%(contact)s had already voted for this idea; nothing changed.")
                        % {"contact": contact.name},
                    )
                return redirect(reverse("feedback:idea", args=[idea.pk]) + "#demand")
    context = on_behalf_context(request, idea, form)
    status = 400 if form is not None else 200
    if request.htmx and request.method == "GET":
        return render(request, "feedback/_on_behalf.html", {"on_behalf": context})
    return render(
        request, "feedback/vote_on_behalf.html", {"idea": idea, "on_behalf": context}, status=status
    )
