"""The idea board, an idea's page, posting and editing ideas, similar-idea suggestions.

Votes, follows and comments, the writes made from these pages, are in
``feedback.views.participation``; CSMs' votes on behalf in ``feedback.views.on_behalf``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import allow, policy_of
from core.roles import ALL_ROLES, Role
from feedback import extensions, limits, policies, services
from feedback.forms import BoardQueryForm, CommentForm, IdeaForm, InternalCommentForm
from feedback.models import Idea
from feedback.selectors import board as selectors
from feedback.selectors.statuses import labels
from feedback.statuses import VOTABLE_STATUSES, IdeaStatus
from feedback.views.on_behalf import on_behalf_context

PAGE_SIZE = 25
#: The most pages of comments one request shows (``?comments=``): past that, the thread
#: is read page by page with "Show earlier comments".
COMMENT_PAGES_MAX = 50


@allow(ALL_ROLES)
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    choices = selectors.board_filter_choices()
    form = BoardQueryForm(request.GET, categories=choices.categories, tags=choices.tags)
    params = form.values()
    ideas = selectors.board_ideas(
        user=request.user,
        sort=params["sort"],
        status=params["status"],
        category=params["category"],
        tag=params["tag"],
        search=params["q"],
    )
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    sort = params["sort"] or ("relevance" if params["q"] else selectors.DEFAULT_SORT)
    return render(
        request,
        "feedback/board.html",
        {
            "page": page,
            "form": form,
            "search": params["q"],
            "sort": sort,
            "has_filters": form.has_filters,
            "status_labels": labels(),
            "can_vote": request.user.role == Role.CUSTOMER,
            "is_empty_board": page.paginator.count == 0 and not (form.has_filters or params["q"]),
        },
    )


#: Triage pages about one idea (feedback.views.triage*), linked from the idea's page to
#: the people their own policy admits. Found by URL name, so a missing page is skipped.
IDEA_ACTIONS = (
    ("feedback:idea_status", gettext_lazy("Change status")),
    ("feedback:merge", gettext_lazy("Merge into another idea")),
    ("feedback:idea_tickets", gettext_lazy("Linked tickets")),
)


def idea_actions(user, idea: Idea) -> list[dict[str, str]]:
    """The triage links of an idea that ``user`` may open."""
    if not user.is_staff_role:
        return []
    actions = []
    for name, label in IDEA_ACTIONS:
        try:
            path = reverse(name, args=[idea.pk])
        except NoReverseMatch:
            continue
        policy = policy_of(resolve(path).func)
        if policy is not None and policy.permits(user):
            actions.append({"url": path, "label": str(label)})
    actions.extend(
        {"url": action.url(idea.pk), "label": str(action.label)}
        for action in extensions.idea_actions(user)
    )
    return actions


def idea_page_context(request: HttpRequest, page: selectors.IdeaPage, **forms: Any) -> dict:
    """The idea page's context; the comment view re-renders it with a bound form."""
    user = request.user
    idea = page.idea
    staff = user.is_staff_role
    context = {
        "page": page,
        "idea": idea,
        "status_labels": labels(),
        "can_comment": staff or idea.status in VOTABLE_STATUSES,
        "can_edit": policies.may_edit(user, idea),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "internal_form": (forms.get("internal_form") or InternalCommentForm()) if staff else None,
        "rate_limited": forms.get("rate_limited"),
        "actions": idea_actions(user, idea),
        "panels": extensions.idea_panels(idea=idea, user=user),
        "shown": len(page.comments.rows),
        "comments_page": selectors.COMMENTS_PAGE,
    }
    if staff and idea.status in VOTABLE_STATUSES:
        context["on_behalf"] = on_behalf_context(request, idea)
    return context


def comments_shown(request: HttpRequest) -> int:
    """How many public comments the page shows: ``?comments=N`` (the link that shows
    earlier comments without JavaScript), in whole pages, at least one page."""
    value = request.GET.get("comments", "")
    pages = -(-int(value) // selectors.COMMENTS_PAGE) if value.isdigit() else 1
    return max(1, min(pages, COMMENT_PAGES_MAX)) * selectors.COMMENTS_PAGE


def render_idea_page(
    request: HttpRequest, pk: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    shown = comments_shown(request)
    try:
        page = selectors.idea_page(user=request.user, pk=pk, comments_shown=shown)
    except selectors.IdeaMerged as merged:
        return redirect("feedback:idea", merged.target.pk)
    return render(
        request,
        "feedback/idea_detail.html",
        idea_page_context(request, page, **forms),
        status=status,
    )


@allow(ALL_ROLES)
@require_GET
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An idea's page; a merged idea redirects to the idea it was merged into."""
    return render_idea_page(request, pk)


@allow(ALL_ROLES)
@require_GET
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    """The public comments before ``?before=`` (htmx, "Show earlier comments")."""
    idea = selectors.idea_for_user(user=request.user, pk=pk)
    before = request.GET.get("before", "")
    if not before.isdigit():
        return HttpResponseBadRequest(_("Say which comment to show earlier ones of."))
    found = selectors.comment_slice(user=request.user, idea=idea, before=int(before))
    return render(
        request,
        "feedback/_comment_slice.html",
        {"idea": idea, "slice": found, "comments_page": selectors.COMMENTS_PAGE},
    )


@allow(ALL_ROLES)
@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """Up to five board ideas like the title being typed (htmx, on each pause in typing)."""
    text = request.GET.get("title", "")[:160]
    exclude = request.GET.get("exclude", "")
    ideas = selectors.similar_ideas(
        text,
        language=get_language(),
        exclude=[int(exclude)] if exclude.isdigit() else (),
        user=request.user,
    )
    return render(
        request,
        "feedback/_similar.html",
        {"similar": ideas, "text": text, "status_labels": labels()},
    )


def _rate_limited(response: HttpResponse, exc: limits.RateLimited) -> HttpResponse:
    response["Retry-After"] = str(exc.retry_after)
    return response


def _form_page(
    request: HttpRequest, form: IdeaForm, idea: Idea | None = None, **extra: Any
) -> dict[str, Any]:
    return {"form": form, "idea": idea, **extra}


@allow(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest) -> HttpResponse:
    """Post an idea. Over the hourly limit the form comes back, filled in, with 429."""
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_create(author=request.user, **form.cleaned_data)
        except limits.RateLimited as exc:
            response = render(
                request,
                "feedback/idea_form.html",
                _form_page(request, form, rate_limited=limits.retry_message(exc)),
                status=429,
            )
            return _rate_limited(response, exc)
        messages.success(request, _("Your idea is on the board."))
        return redirect("feedback:idea", idea.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "feedback/idea_form.html", _form_page(request, form), status=status)


@allow(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def idea_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an idea: its author while it is open, a PM or an admin at any time."""
    idea = selectors.idea_for_user(user=request.user, pk=pk)
    if idea.status == IdeaStatus.MERGED:
        return redirect("feedback:idea", idea.pk)
    if not policies.may_edit(request.user, idea):
        raise PermissionDenied
    initial = {
        "title": idea.title,
        "description": idea.description,
        "category": idea.category_id,
        "tags": list(idea.tags.values_list("pk", flat=True)),
        "language": idea.language,
    }
    form = IdeaForm(request.POST or None, initial=initial, with_language=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(idea=idea, actor=request.user, **form.cleaned_data)
        except limits.RateLimited as exc:
            response = render(
                request,
                "feedback/idea_form.html",
                _form_page(request, form, idea, rate_limited=limits.retry_message(exc)),
                status=429,
            )
            return _rate_limited(response, exc)
        messages.success(request, _("Idea updated."))
        return redirect("feedback:idea", idea.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "feedback/idea_form.html", _form_page(request, form, idea), status=status
    )
