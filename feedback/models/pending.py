"""Notifications held back for a short while before anyone is told.

A change that tells people (an idea's status moved, a roadmap item shipped) is not sent
at once: it waits here for ``FEEDBACK_NOTIFY_DELAY_SECONDS``, so that the person who
made it can undo it before anyone hears of it, and so that several changes to one idea
within that window reach its people as one notification with the final state. The row
is durable (PostgreSQL, not a broker's countdown): a worker or broker restart delays a
notification, it never loses one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from feedback.statuses import IdeaStatus


class PendingNotification(models.Model):
    """One idea's next notification: what its people will be told, and when.

    An idea has at most one pending row; a later change within the window replaces
    its payload (the final state wins) and moves ``send_after`` on, while
    ``status_before`` keeps the status the idea had when the window opened: if the
    idea is back there when the row falls due, nothing happened, and no one is told.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    idea = models.ForeignKey(
        "feedback.Idea",
        verbose_name=_("idea"),
        on_delete=models.CASCADE,
        related_name="pending_notifications",
    )
    status_before = models.CharField(_("status before"), max_length=16, choices=IdeaStatus.choices)
    #: The alert inbox's dedupe key of the event (see ``feedback.notifications``): the
    #: rows of one event (a roadmap item shipping several ideas) are told as one.
    event_key = models.CharField(_("event"), max_length=120)
    #: Deferred texts (``core.i18n``): translated for each reader when shown.
    title = models.JSONField(_("title"))
    body = models.JSONField(_("body"), blank=True, default=str)
    url = models.CharField(_("link"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: A message posted without a status change: told even though the status is the same.
    message_only = models.BooleanField(default=False)
    send_after = models.DateTimeField(_("send after"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    #: When it was sent or cancelled.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending notification")
        verbose_name_plural = _("pending notifications")
        constraints = [
            # One pending row per idea: changes within the window coalesce into it.
            models.UniqueConstraint(
                fields=["idea"],
                condition=Q(state="pending"),
                name="feedback_pending_one_per_idea",
            ),
        ]
        indexes = [
            # The delivery's claim: pending rows whose send_after has passed, oldest first.
            models.Index(
                fields=["send_after"],
                condition=Q(state="pending"),
                name="feedback_pending_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.event_key} ({self.state})"
