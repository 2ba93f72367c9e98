"""Tasks: the one thing a CSM does next for an account, and what was said about it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import STAFF_ROLES


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: Any) -> TaskQuerySet:
        """Tasks are the vendor's working notes: staff see them all, customers none."""
        if user is None or not user.is_authenticated or user.role not in STAFF_ROLES:
            return self.none()
        return self

    def open(self) -> TaskQuerySet:
        return self.filter(status=Task.Status.OPEN)


class Task(models.Model):
    """Something to do for an account, by someone, by a day.

    Made by hand or by a play (one task per playbook step); ``created_by`` or ``rule``
    says who or what asked for it.

    Only the keys that pages read by carry an index (account via ``account_status``,
    play, owner): a rules pass may write hundreds of thousands of tasks at once, and
    every index is paid on each of them. The others are looked up only when their row
    is deleted, which is rare.
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("task status", "Open")
        DONE = "done", pgettext_lazy("task status", "Done")
        SKIPPED = "skipped", pgettext_lazy("task status", "Skipped")

    class Priority(models.TextChoices):
        LOW = "low", pgettext_lazy("task priority", "Low")
        NORMAL = "normal", pgettext_lazy("task priority", "Normal")
        HIGH = "high", pgettext_lazy("task priority", "High")

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        db_index=False,
    )
    idea = models.ForeignKey(
        "feedback.Idea",
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        db_index=False,
    )
    product_risk = models.ForeignKey(
        "productrisk.ProductRisk",
        verbose_name=_("product-risk flag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        db_index=False,
    )
    play = models.ForeignKey(
        "plays.Play",
        verbose_name=_("play"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    step = models.ForeignKey(
        "plays.PlaybookStep",
        verbose_name=_("playbook step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        db_index=False,
    )
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    due_on = models.DateField(_("due"))
    priority = models.CharField(
        _("priority"), max_length=6, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=7, choices=Status.choices, default=Status.OPEN
    )
    skip_reason = models.CharField(_("reason for skipping"), max_length=300, blank=True)
    #: Set by the CSM on a play's step: stays open when the play's cause clears.
    keep = models.BooleanField(_("keep when the cause clears"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks_created",
        db_index=False,
    )
    rule = models.ForeignKey(
        "plays.Rule",
        verbose_name=_("created by rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        db_index=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    #: Set once the owner was told the task is overdue: they are told once.
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]
        indexes = [
            # The cockpit: a CSM's open tasks by due day.
            models.Index(
                fields=["owner", "due_on"],
                name="task_open_owner_due_idx",
                condition=models.Q(status="open"),
            ),
            # The account page's panel and "renewals without a plan".
            models.Index(fields=["account", "status"], name="task_account_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class TaskComment(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("task comment")
        verbose_name_plural = _("task comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.body[:40]}"


class CockpitVisit(models.Model):
    """When a user last opened their cockpit: what "new since you last looked" means."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id}: {self.seen_at}"
