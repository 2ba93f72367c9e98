"""Writes of tasks: create, assign, reschedule, complete, skip, keep, comment, and the
overdue notice. Each rule about who may do what lives here; pages and the API only
translate the errors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, User
from core import text
from core.roles import Role
from notifications.models import Alert
from notifications.services import AlertDraft, alerts_raise
from plays.models import Play, Task, TaskComment

#: Who works on tasks: the people who own accounts. PMs read them.
TASK_EDITORS = frozenset({Role.CSM, Role.ADMIN})
TITLE_MAX = 200
NOTES_MAX = 5000
#: How far a due day may be set: beyond this it is a typo, not a plan.
DUE_MAX_DAYS = 730
ALERT_KIND_OVERDUE = "plays.task_overdue"


def _require_editor(actor: Any) -> None:
    if getattr(actor, "role", None) not in TASK_EDITORS:
        raise PermissionDenied(_("Only customer success managers and admins change tasks."))


def _clean_title(title: str) -> str:
    title = text.one_line(title or "")
    if not title:
        raise ValidationError({"title": _("Give the task a title.")})
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("Keep the title under %(limit)d characters.") % {"limit": TITLE_MAX}}
        )
    return title


def _clean_due(due_on: date | None) -> date:
    if due_on is None:
        raise ValidationError({"due_on": _("Give the task a due date.")})
    today = timezone.localdate()
    if due_on > today + timedelta(days=DUE_MAX_DAYS):
        raise ValidationError({"due_on": _("Choose a due date within the next two years.")})
    return due_on


def _clean_owner(owner: User | None) -> User | None:
    if owner is not None and (owner.role not in TASK_EDITORS or not owner.is_active):
        raise ValidationError({"owner": _("Tasks go to a customer success manager or an admin.")})
    return owner


def _require_open(task: Task) -> None:
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("This task is already closed."))


@transaction.atomic
def task_create(
    *,
    actor: User,
    account: Account,
    title: str,
    due_on: date | None,
    owner: User | None = None,
    priority: str = Task.Priority.NORMAL,
    notes: str = "",
    contact: Contact | None = None,
    idea_id: int | None = None,
    product_risk_id: int | None = None,
) -> Task:
    """A task by hand; it goes to ``owner``, or the account's CSM, or the actor."""
    _require_editor(actor)
    if contact is not None and contact.account_id != account.pk:
        raise ValidationError({"contact": _("Choose a contact of this account.")})
    if priority not in Task.Priority.values:
        raise ValidationError({"priority": _("Choose a priority from the list.")})
    if len(notes) > NOTES_MAX:
        raise ValidationError(
            {"notes": _("Keep the notes under %(limit)d characters.") % {"limit": NOTES_MAX}}
        )
    owner = _clean_owner(owner) or account.csm_owner or actor
    return Task.objects.create(
        account=account,
        contact=contact,
        idea_id=idea_id,
        product_risk_id=product_risk_id,
        title=_clean_title(title),
        notes=notes,
        owner=owner,
        due_on=_clean_due(due_on),
        priority=priority,
        created_by=actor,
    )


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


@transaction.atomic
def task_assign(*, actor: User, task: Task, owner: User) -> Task:
    _require_editor(actor)
    task = _locked(task)
    _require_open(task)
    task.owner = _clean_owner(owner)
    # A new owner has not been told yet that it is late.
    task.overdue_notified_at = None
    task.save(update_fields=["owner", "overdue_notified_at"])
    return task


@transaction.atomic
def task_reschedule(*, actor: User, task: Task, due_on: date | None) -> Task:
    _require_editor(actor)
    task = _locked(task)
    _require_open(task)
    task.due_on = _clean_due(due_on)
    task.overdue_notified_at = None
    task.save(update_fields=["due_on", "overdue_notified_at"])
    return task


@transaction.atomic
def task_complete(*, actor: User, task: Task) -> Task:
    """Done. Completing a play's last open step completes the play."""
    _require_editor(actor)
    task = _locked(task)
    _require_open(task)
    task.status = Task.Status.DONE
    task.closed_at = timezone.now()
    task.closed_by = actor
    task.save(update_fields=["status", "closed_at", "closed_by"])
    _finish_play_if_done(task)
    return task


@transaction.atomic
def task_skip(*, actor: User, task: Task, reason: str) -> Task:
    """Skipped, with the reason: a step that does not apply to this customer."""
    _require_editor(actor)
    task = _locked(task)
    _require_open(task)
    reason = text.one_line(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Say why the task is skipped.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    task.status = Task.Status.SKIPPED
    task.skip_reason = reason
    task.closed_at = timezone.now()
    task.closed_by = actor
    task.save(update_fields=["status", "skip_reason", "closed_at", "closed_by"])
    _finish_play_if_done(task)
    return task


@transaction.atomic
def task_keep(*, actor: User, task: Task, keep: bool = True) -> Task:
    """Keep a play's step open even when the play's cause clears."""
    _require_editor(actor)
    task = _locked(task)
    _require_open(task)
    task.keep = keep
    task.save(update_fields=["keep"])
    return task


@transaction.atomic
def task_comment(*, actor: User, task: Task, body: str) -> TaskComment:
    _require_editor(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > NOTES_MAX:
        raise ValidationError(
            {"body": _("Keep the comment under %(limit)d characters.") % {"limit": NOTES_MAX}}
        )
    return TaskComment.objects.create(task=task, author=actor, body=body)


def _finish_play_if_done(task: Task) -> None:
    if task.play_id is None:
        return
    if Task.objects.filter(play_id=task.play_id, status=Task.Status.OPEN).exists():
        return
    Play.objects.filter(pk=task.play_id, state=Play.State.ACTIVE).update(
        state=Play.State.COMPLETED, finished_at=timezone.now()
    )


def tasks_notify_overdue(*, today: date | None = None) -> int:
    """Tell each owner, once, about each of their open tasks past its due day.

    Idempotent twice over: ``overdue_notified_at`` marks the task, and the alert's dedupe
    key (task and due day) makes a retried run raise nothing new. Rescheduling clears the
    mark, so a task that slips again is told again. Returns how many were told.
    """
    today = today or timezone.localdate()
    late = list(
        Task.objects.filter(
            status=Task.Status.OPEN,
            due_on__lt=today,
            overdue_notified_at__isnull=True,
            owner__isnull=False,
        )
        .select_related("account")
        .order_by("pk")[:5000]
    )
    if not late:
        return 0
    with transaction.atomic():
        alerts_raise(
            AlertDraft(
                kind=ALERT_KIND_OVERDUE,
                severity=Alert.Severity.WARNING,
                recipient_id=task.owner_id,  # type: ignore[arg-type]
                account_id=task.account_id,
                title=_("Overdue: %(title)s (%(account)s)")
                % {"title": task.title, "account": task.account.name},
                url=reverse("accounts:detail", args=[task.account_id]) + "#tasks",
                dedupe_key=f"{ALERT_KIND_OVERDUE}:{task.pk}:{task.due_on.isoformat()}",
            )
            for task in late
        )
        Task.objects.filter(pk__in=[task.pk for task in late]).update(
            overdue_notified_at=timezone.now()
        )
    return len(late)
