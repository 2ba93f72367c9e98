"""What people do on an idea: vote, follow, comment.

Vote and follow buttons post the state they ask for ("vote"/"unvote"), not "toggle", so
a double click or a retried request lands on the same state instead of flipping back.
htmx requests get the button back to swap in place; plain form posts are redirected.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import allow
from core.http import HtmxHttpRequest
from core.redirects import safe_next
from core.roles import ALL_ROLES, Role
from feedback import limits, services
from feedback.forms import CommentForm, InternalCommentForm
from feedback.models import Follow, Idea, Vote
from feedback.selectors import board as selectors
from feedback.views.board import render_idea_page


def _back(request: HttpRequest, idea: Idea, anchor: str = "") -> HttpResponse:
    """Back where the form was (the board keeps its filters and page), else the idea."""
    return redirect(safe_next(request, reverse("feedback:idea", args=[idea.pk]) + anchor))


def _wanted(request: HttpRequest, on: str, off: str, current) -> bool:
    """The state the button asks for; without one (an old form), the other state."""
    action = request.POST.get("action")
    if action in (on, off):
        return action == on
    return not current()


@allow(Role.CUSTOMER)
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """A customer votes or takes their vote back, as their own contact."""
    idea = selectors.idea_for_user(user=request.user, pk=pk)
    contact = request.user.contact
    voted = Vote.objects.filter(idea=idea, contact=contact).exists
    error = ""
    try:
        if _wanted(request, "vote", "unvote", voted):
            services.vote_cast(idea=idea, actor=request.user)
        else:
            services.vote_withdraw(idea=idea, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        idea.refresh_from_db(fields=["vote_count", "status"])
        return render(
            request,
            "feedback/_vote_button.html",
            {
                "idea": idea,
                "voted": voted(),
                "can_vote": True,
                "vote_error": error,
                "show_detail": request.POST.get("detail") == "1",
                # The page the button sits on, not this endpoint, for a later plain post.
                "next_url": request.htmx.current_url_abs_path or "",
            },
        )
    if error:
        messages.error(request, error)
    return _back(request, idea)


@allow(ALL_ROLES)
@require_POST
def follow(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Follow or unfollow an idea: its news arrive in the notifications and by e-mail."""
    idea = selectors.idea_for_user(user=request.user, pk=pk)
    following = Follow.objects.filter(idea=idea, user=request.user).exists
    try:
        now = services.follow_set(
            idea=idea,
            user=request.user,
            following=_wanted(request, "follow", "unfollow", following),
        )
    except limits.RateLimited as exc:
        if request.htmx:
            # Swapped in like a success (htmx swaps no 4xx): the button as it was,
            # with the reason beside it.
            context = {
                "idea": idea,
                "following": following(),
                "rate_limited": limits.retry_message(exc),
            }
            response = render(request, "feedback/_follow_button.html", context)
        else:
            messages.error(request, limits.retry_message(exc))
            response = _back(request, idea)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if request.htmx:
        return render(request, "feedback/_follow_button.html", {"idea": idea, "following": now})
    if now:
        messages.success(request, _("You follow this idea: we'll tell you when it moves."))
    else:
        messages.info(request, _("You no longer follow this idea."))
    return _back(request, idea)


@allow(ALL_ROLES)
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a public comment, or an internal one (staff). 429 past the hourly limit."""
    idea = selectors.idea_for_user(user=request.user, pk=pk)
    staff = request.user.is_staff_role
    internal_form = staff and request.POST.get("form") == "internal"
    form = InternalCommentForm(request.POST) if internal_form else CommentForm(request.POST)
    forms = {"internal_form" if internal_form else "comment_form": form}
    if not form.is_valid():
        return render_idea_page(request, idea.pk, status=400, **forms)
    try:
        posted = services.comment_add(
            idea=idea,
            author=request.user,
            body=form.cleaned_data["body"],
            internal=internal_form,
        )
    except ValidationError as exc:
        # Comments closed, or the idea was merged after the page was read.
        form.add_error(None, exc)
        return render_idea_page(request, idea.pk, status=400, **forms)
    except limits.RateLimited as exc:
        response = render_idea_page(
            request, idea.pk, status=429, rate_limited=limits.retry_message(exc), **forms
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    messages.success(request, _("Comment posted."))
    return redirect(reverse("feedback:idea", args=[idea.pk]) + f"#comment-{posted.pk}")
