"""The account page's tasks panel and what is done to one task: create, complete,
skip, reschedule, assign, keep, comment, start a play.

Every form works without JavaScript (a post, then a redirect back); with htmx the
account page swaps its panel in place and the cockpit its row.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Account, User
from accounts.selectors import account_for_user
from core.access import allow, policy_of
from core.http import HtmxHttpRequest
from core.markdown import render_markdown
from core.redirects import safe_next
from core.roles import STAFF_ROLES, Role
from plays import selectors, services
from plays.forms import AssignForm, CommentForm, RescheduleForm, SkipForm, TaskForm
from plays.models import Playbook, Task, TaskComment

PANEL_TEMPLATE = "plays/_account_tasks.html"


class PlaysRequest(HtmxHttpRequest):
    """A request behind ``@allow``: signed in, with a user of our model."""

    user: User


def can(view: Any, user: Any) -> bool:
    """Whether the view's declared policy lets this user in (links shown to exactly them)."""
    policy = policy_of(view)
    return policy is not None and policy.permits(user)


def _panel_context(
    request: PlaysRequest, account: Account, form: TaskForm | None = None
) -> dict[str, Any]:
    can_edit = can(task_create, request.user)
    return {
        "account": account,
        "task_form": form or TaskForm(initial={"due_on": timezone.localdate()}),
        "can_edit_tasks": can_edit,
        "playbooks": list(Playbook.objects.order_by("name")) if can_edit else [],
        "today": timezone.localdate(),
        **selectors.account_tasks(account=account, user=request.user),
    }


def account_panel_context(request: HttpRequest, account: Account) -> dict[str, Any]:
    """The Customer 360 panel (three queries)."""
    return _panel_context(cast(PlaysRequest, request), account)


def _panel(request: PlaysRequest, account: Account, form: TaskForm | None = None) -> HttpResponse:
    return render(request, PANEL_TEMPLATE, _panel_context(request, account, form))


def _back(request: PlaysRequest, account_id: int) -> str:
    return safe_next(request, reverse("accounts:detail", args=[account_id]) + "#tasks")


@allow(Role.CSM, Role.ADMIN)
@require_POST
def task_create(request: PlaysRequest, account_id: int) -> HttpResponse:
    account = account_for_user(user=request.user, account_id=account_id)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            services.task_create(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if request.htmx:
                return _panel(request, account)
            messages.success(request, _("Task added."))
            return redirect(_back(request, account.pk))
    if request.htmx:
        # 200: htmx swaps only successful answers, and the errors replace the form.
        return _panel(request, account, form)
    messages.error(request, _("The task was not added: %(errors)s") % {"errors": _errors(form)})
    return redirect(_back(request, account.pk))


def _errors(form: Any) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _task(request: PlaysRequest, task_id: int) -> Task:
    try:
        return selectors.task_for_user(user=request.user, task_id=task_id)
    except Task.DoesNotExist:
        raise Http404 from None


def _after(request: PlaysRequest, task: Task, done: str) -> HttpResponse:
    """Where an action on a task answers: the cockpit's row, the account's panel, or
    (no JavaScript) back where the form was."""
    if request.htmx:
        if request.POST.get("from") == "cockpit":
            task.refresh_from_db()
            return render(request, "plays/_cockpit_task_done.html", {"task": task})
        return _panel(request, task.account)
    messages.success(request, done)
    return redirect(_back(request, task.account_id))


def _failed(request: PlaysRequest, task: Task, exc: ValidationError) -> HttpResponse:
    message = " ".join(exc.messages)
    if request.htmx and request.POST.get("from") != "cockpit":
        response = _panel(request, task.account)
        response["HX-Trigger"] = "task-error"
        return response
    messages.error(request, message)
    return redirect(safe_next(request, reverse("plays:task", args=[task.pk])))


@allow(STAFF_ROLES)
def task_detail(request: PlaysRequest, task_id: int) -> HttpResponse:
    """One task with its comments, and the forms to act on it."""
    task = get_object_or_404(
        Task.objects.visible_to(request.user)
        .select_related("account", "owner", "created_by", "rule", "play__playbook", "step")
        .prefetch_related(
            Prefetch("comments", queryset=TaskComment.objects.select_related("author"))
        ),
        pk=task_id,
    )
    return render(
        request,
        "plays/task_detail.html",
        {
            "task": task,
            "how_to": render_markdown(task.step.how_to) if task.step else "",
            "can_edit": can(task_complete, request.user),
            "skip_form": SkipForm(),
            "reschedule_form": RescheduleForm(initial={"due_on": task.due_on}),
            "assign_form": AssignForm(initial={"owner": task.owner_id}),
            "comment_form": CommentForm(),
            "today": timezone.localdate(),
        },
    )


@allow(Role.CSM, Role.ADMIN)
@require_POST
def task_complete(request: PlaysRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    try:
        services.task_complete(actor=request.user, task=task)
    except ValidationError as exc:
        return _failed(request, task, exc)
    return _after(request, task, _("Task done."))


@allow(Role.CSM, Role.ADMIN)
@require_POST
def task_skip(request: PlaysRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    try:
        services.task_skip(actor=request.user, task=task, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return _failed(request, task, exc)
    return _after(request, task, _("Task skipped."))


@allow(Role.CSM, Role.ADMIN)
@require_POST
def task_reschedule(request: PlaysRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    form = RescheduleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        services.task_reschedule(actor=request.user, task=task, due_on=form.cleaned_data["due_on"])
    except ValidationError as exc:
        return _failed(request, task, exc)
    return _after(request, task, _("Task rescheduled."))


@allow(Role.CSM, Role.ADMIN)
@require_POST
def task_assign(request: PlaysRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    form = AssignForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        services.task_assign(actor=request.user, task=task, owner=form.cleaned_data["owner"])
    except ValidationError as exc:
        return _failed(request, task, exc)
    return _after(request, task, _("Task reassigned."))


@allow(Role.CSM, Role.ADMIN)
@require_POST
def task_keep(request: PlaysRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    try:
        services.task_keep(actor=request.user, task=task, keep=request.POST.get("keep") != "0")
    except ValidationError as exc:
        return _failed(request, task, exc)
    return _after(request, task, _("Saved."))


@allow(Role.CSM, Role.ADMIN)
@require_POST
def task_comment(request: PlaysRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    try:
        services.task_comment(actor=request.user, task=task, body=request.POST.get("body", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Comment added."))
    return redirect(reverse("plays:task", args=[task.pk]) + "#comments")


@allow(Role.CSM, Role.ADMIN)
@require_POST
def play_start(request: PlaysRequest, account_id: int) -> HttpResponse:
    account = account_for_user(user=request.user, account_id=account_id)
    playbook = Playbook.objects.filter(pk=request.POST.get("playbook") or 0).first()
    if playbook is None:
        messages.error(request, _("Choose a playbook."))
        return redirect(_back(request, account.pk))
    try:
        _play, created = services.play_start(actor=request.user, playbook=playbook, account=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("Play started: %(name)s.") % {"name": playbook.name})
        else:
            messages.info(request, _("This playbook is already running on this account."))
    if request.htmx:
        return _panel(request, account)
    return redirect(_back(request, account.pk))
