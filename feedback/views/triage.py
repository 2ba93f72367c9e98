"""The PM triage table (ideas with their demand) and the status change.

Merging lives in ``triage_merge``, ticket links in ``triage_tickets``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import allow
from core.redirects import safe_next
from core.roles import Role
from feedback import extensions, services
from feedback.forms.triage import IdeaStatusForm, TriageQueryForm
from feedback.models import Category, Idea
from feedback.selectors import statuses
from feedback.selectors.board import similar_ideas
from feedback.selectors.demand import (
    BY_DEMAND_SORT,
    DEMAND_SORTS,
    NEEDS_TRIAGE_SORT,
    demand_as_of,
    idea_demand,
    triage_ideas,
    triage_rows,
)
from feedback.statuses import NEEDS_TRIAGE

PAGE_SIZE = 25


def sort_columns(sort: str, direction: str) -> dict[str, dict[str, Any]]:
    """Per sortable column: its label, the direction its link asks for, its aria-sort."""
    columns = {}
    for spec in DEMAND_SORTS:
        active = spec.key == sort
        columns[spec.key] = {
            "key": spec.key,
            "label": spec.label,
            "next_dir": ("desc" if direction == "asc" else "asc") if active else spec.first_dir,
            "aria_sort": ("ascending" if direction == "asc" else "descending")
            if active
            else "none",
        }
    return columns


def queue_orders(sort: str, direction: str) -> list[dict[str, Any]]:
    """The queue's two orders as links: oldest first, and by demand."""
    return [
        {"label": label, "sort": key, "dir": way, "active": (key, way) == (sort, direction)}
        for label, (key, way) in (
            (_("Oldest first"), NEEDS_TRIAGE_SORT),
            (_("By demand"), BY_DEMAND_SORT),
        )
    ]


@allow(Role.PM, Role.ADMIN)
def triage(request: HttpRequest) -> HttpResponse:
    categories = list(Category.objects.all())
    form = TriageQueryForm(request.GET, categories=categories)
    params = form.values()
    ideas = triage_ideas(
        status=params["status"],
        category_id=params["category"],
        search=params["q"],
        sort=params["sort"],
        descending=params["dir"] == "desc",
    )
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's keys were sorted narrow; its 25 rows come with their figures in one query.
    rows = triage_rows(page.object_list)
    actions = extensions.idea_actions(request.user)
    page.object_list = rows
    return render(
        request,
        "feedback/triage.html",
        {
            "page": page,
            # Each row with the links other apps add to it ("Put on the roadmap").
            "rows": [
                (row, [(action.label, action.url(row.pk)) for action in actions]) for row in rows
            ],
            "status_labels": statuses.labels(),
            "form": form,
            "search": params["q"],
            "has_filters": form.has_filters,
            "columns": sort_columns(params["sort"], params["dir"]),
            "is_queue": not params["status"],
            "queue_orders": queue_orders(params["sort"], params["dir"]),
            "needs_triage": NEEDS_TRIAGE,
            "status_form": IdeaStatusForm(auto_id=False),
            "has_categories": bool(categories),
            # The figures are stored by the product-risk recompute: say how old they are.
            "as_of": demand_as_of(),
            "idea_badges": extensions.idea_badges(),
        },
    )


@allow(Role.PM, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def idea_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The triage panel of one idea: its demand, status history and the status form."""
    idea = get_object_or_404(Idea, pk=pk)
    back = safe_next(request, reverse("feedback:triage"))
    if request.method == "POST":
        form = IdeaStatusForm(request.POST)
        if form.is_valid():
            try:
                change = services.idea_status_change(
                    idea=idea,
                    status=form.cleaned_data["status"],
                    actor=request.user,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if change is None:
                    messages.info(request, _("Nothing changed: the idea already had that status."))
                else:
                    messages.success(
                        request,
                        _("“%(idea)s” is now %(status)s. Its voters and followers will be told.")
                        % {"idea": idea.title, "status": statuses.labels()[change.to_status]},
                    )
                return redirect(back)
    else:
        form = IdeaStatusForm(initial={"status": idea.status})
    idea = idea_demand(idea)
    return render(
        request,
        "feedback/triage_status.html",
        {
            "idea": idea,
            "idea_badges": extensions.idea_badges(),
            "status_labels": statuses.labels(),
            "form": form,
            "history": idea.status_changes.select_related("changed_by").order_by("-created_at")[
                :10
            ],
            "next": back,
        },
        status=400 if form.errors else 200,
    )


#: Likely duplicates shown in a triage row; the merge page lists more.
DUPLICATES_SHOWN = 3


@allow(Role.PM, Role.ADMIN)
@require_GET
def duplicates(request: HttpRequest, pk: int) -> HttpResponse:
    """The likely duplicates of one idea, for its triage row (htmx, once it is seen):
    the similar-ideas suggestions for its title, each linking to the merge
    confirmation."""
    idea = get_object_or_404(Idea.objects.only("pk", "title", "language"), pk=pk)
    similar = similar_ideas(
        idea.title,
        language=idea.language,
        exclude=[idea.pk],
        limit=DUPLICATES_SHOWN,
        user=request.user,
    )
    return render(
        request,
        "feedback/_duplicates.html",
        {
            "idea": idea,
            "similar": similar,
            "status_labels": statuses.labels(),
            "next": safe_next(request, reverse("feedback:triage")),
        },
    )
