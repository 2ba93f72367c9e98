"""The audit trail: who changed what, from what, to what, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change to one row, kept after the row changes again.

    Written by the service that makes the change, in its transaction (``core.audit``),
    so a change and its record commit together or not at all. Rows are named by app
    label, model and id rather than a foreign key: the trail must outlive what it
    describes, and ``core`` may not point at any app's model.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    #: What was done, e.g. ``account.reassign``.
    action = models.CharField(_("action"), max_length=60)
    #: ``app_label.model`` of the changed row.
    target_type = models.CharField(_("of"), max_length=60)
    target_id = models.BigIntegerField(_("id"))
    #: Field -> [before, after], as JSON values.
    changes = models.JSONField(_("changes"), default=dict)
    #: Every row of one bulk action shares it, so "undo what that click did" can find them.
    batch = models.UUIDField(_("batch"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The history of one row, newest first (an account's timeline).
            models.Index(
                fields=["target_type", "target_id", "-created_at"], name="audit_target_time_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"
