"""Merging a duplicate idea: pick the target by searching, confirm what moves, merge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import allow
from core.redirects import safe_next
from core.roles import Role
from feedback import services
from feedback.forms.triage import MergeForm, SearchForm
from feedback.models import Idea
from feedback.search import ideas_matching
from feedback.selectors import statuses
from feedback.services.merge import merge_preview, merge_refusal

#: Candidates listed for one search; a PM refines the words rather than paging.
CANDIDATES = 15


@allow(Role.PM, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Idea.objects.select_related("merged_into"), pk=pk)
    back = safe_next(request, reverse("feedback:triage"))
    if request.method == "POST":
        return _merge_post(request, source, back)
    target_id = request.GET.get("target", "")
    if target_id.isdigit():
        target = get_object_or_404(Idea.objects.select_related("category"), pk=int(target_id))
        return _confirm(request, source, target, back)
    return _choose(request, source, back)


def _choose(request: HttpRequest, source: Idea, back: str) -> HttpResponse:
    """Search for the target; before any search, ideas sharing words with the title."""
    search = SearchForm(request.GET)
    text = search.text()
    candidates = Idea.objects.on_board().exclude(pk=source.pk).select_related("category")
    if text:
        candidates = ideas_matching(candidates, text)
    else:
        candidates = ideas_matching(candidates, source.title, any_word=True)
    rows = list(candidates[:CANDIDATES])
    return render(
        request,
        "feedback/merge.html",
        {
            "source": source,
            "search": search,
            "text": text,
            "candidates": rows,
            "status_labels": statuses.labels(),
            "next": back,
        },
    )


def _confirm(
    request: HttpRequest,
    source: Idea,
    target: Idea,
    back: str,
    *,
    error: str | None = None,
) -> HttpResponse:
    refusal = error or merge_refusal(source=source, target=target)
    return render(
        request,
        "feedback/merge_confirm.html",
        {
            "source": source,
            "target": target,
            "refusal": refusal,
            "preview": None if refusal else merge_preview(source=source, target=target),
            "form": MergeForm(initial={"target": target.pk}),
            "next": back,
        },
        status=400 if error else 200,
    )


def _merge_post(request: HttpRequest, source: Idea, back: str) -> HttpResponse:
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the idea to merge into."))
        return redirect(reverse("feedback:merge", args=[source.pk]))
    target = get_object_or_404(Idea, pk=form.cleaned_data["target"])
    try:
        target = services.idea_merge(source=source, target=target, actor=request.user)
    except ValidationError as exc:
        return _confirm(request, source, target, back, error=" ".join(exc.messages))
    messages.success(
        request,
        _("“%(source)s” was merged into “%(target)s”; its voters and followers were told.")
        % {"source": source.title, "target": target.title},
    )
    return redirect(back)
