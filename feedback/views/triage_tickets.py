"""Linking support tickets to ideas, from either side. Staff only: a ticket names its
account, which no customer may see of another."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.models import Ticket
from core.access import allow
from core.roles import STAFF_ROLES
from feedback import services
from feedback.forms.triage import IdeaChoiceForm, SearchForm, TicketChoiceForm
from feedback.models import Idea, IdeaTicket
from feedback.search import ideas_matching
from feedback.statuses import IdeaStatus

#: Search results listed at once; people refine the words rather than page.
RESULTS = 20


def _back(path: str, text: str) -> str:
    return f"{path}?{urlencode({'q': text})}" if text else path


@allow(STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def idea_tickets(request: HttpRequest, pk: int) -> HttpResponse:
    """The tickets linked to an idea; search tickets by subject or id to link more."""
    idea = get_object_or_404(Idea, pk=pk)
    if idea.status == IdeaStatus.MERGED and idea.merged_into_id:
        # Its links moved with the merge; the target is where they live now.
        return redirect("feedback:idea_tickets", pk=idea.merged_into_id)
    here = reverse("feedback:idea_tickets", args=[idea.pk])
    if request.method == "POST":
        form = TicketChoiceForm(request.POST)
        if form.is_valid():
            ticket = get_object_or_404(Ticket, pk=form.cleaned_data["ticket"])
            _apply_ticket(request, idea, ticket, form.cleaned_data["action"])
        else:
            messages.error(request, _("Choose a ticket from the list."))
        return redirect(_back(here, request.POST.get("q", "")))

    search = SearchForm(request.GET)
    text = search.text()
    links = list(
        IdeaTicket.objects.filter(idea=idea)
        .select_related("ticket__account", "linked_by")
        .order_by("-created_at", "-pk")
    )
    results: list[Ticket] = []
    if text:
        results = list(
            Ticket.objects.filter(Q(subject__icontains=text) | Q(external_id__icontains=text))
            .exclude(idea_links__idea=idea)
            .select_related("account")
            .order_by("-opened_at", "-pk")[:RESULTS]
        )
    return render(
        request,
        "feedback/ticket_links.html",
        {"idea": idea, "links": links, "search": search, "text": text, "results": results},
    )


def _apply_ticket(request: HttpRequest, idea: Idea, ticket: Ticket, action: str) -> None:
    if action == "unlink":
        services.idea_ticket_unlink(idea=idea, ticket=ticket, actor=request.user)
        messages.success(request, _("Ticket %(ticket)s unlinked.") % {"ticket": ticket.external_id})
        return
    try:
        services.idea_ticket_link(idea=idea, ticket=ticket, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return
    messages.success(request, _("Ticket %(ticket)s linked.") % {"ticket": ticket.external_id})


@allow(STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def ticket_ideas(request: HttpRequest, ticket_pk: int) -> HttpResponse:
    """The ideas a ticket asks for; search ideas to link it to one or several."""
    ticket = get_object_or_404(Ticket.objects.select_related("account"), pk=ticket_pk)
    here = reverse("feedback:ticket_ideas", args=[ticket.pk])
    if request.method == "POST":
        form = IdeaChoiceForm(request.POST)
        if form.is_valid():
            _apply_ideas(request, ticket, form.cleaned_data["ideas"], form.cleaned_data["action"])
        else:
            messages.error(request, _("Choose at least one idea from the list."))
        return redirect(_back(here, request.POST.get("q", "")))

    search = SearchForm(request.GET)
    text = search.text()
    linked = list(
        Idea.objects.filter(ticket_links__ticket=ticket)
        .select_related("category")
        .order_by("-vote_count", "-pk")
    )
    candidates = Idea.objects.on_board().exclude(ticket_links__ticket=ticket)
    # Before any search, ideas that share words with the ticket's subject.
    candidates = (
        ideas_matching(candidates, text)
        if text
        else ideas_matching(candidates, ticket.subject, any_word=True)
    )
    return render(
        request,
        "feedback/ticket_ideas.html",
        {
            "ticket": ticket,
            "linked": linked,
            "search": search,
            "text": text,
            "results": list(candidates.select_related("category")[:RESULTS]),
        },
    )


def _apply_ideas(request: HttpRequest, ticket: Ticket, idea_ids: list[int], action: str) -> None:
    ideas = list(Idea.objects.filter(pk__in=idea_ids))
    if action == "unlink":
        for idea in ideas:
            services.idea_ticket_unlink(idea=idea, ticket=ticket, actor=request.user)
        messages.success(
            request,
            ngettext("Unlinked from %(count)d idea.", "Unlinked from %(count)d ideas.", len(ideas))
            % {"count": len(ideas)},
        )
        return
    linked = 0
    for idea in ideas:
        try:
            linked += services.idea_ticket_link(idea=idea, ticket=ticket, actor=request.user)
        except ValidationError as exc:
            messages.error(request, f"{idea.title}: {' '.join(exc.messages)}")
    if linked:
        messages.success(
            request,
            ngettext("Linked to %(count)d idea.", "Linked to %(count)d ideas.", linked)
            % {"count": linked},
        )
