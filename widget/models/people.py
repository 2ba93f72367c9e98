"""What each person of a customer has seen of the widget: read changelog entries,
the day of their last nudge, the nudges they dismissed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WidgetPerson(models.Model):
    """One row per contact who opened the widget."""

    contact = models.OneToOneField(
        "accounts.Contact", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    #: The newest changelog entry they had seen when they last looked, as the changelog
    #: orders entries (shipped day, then id): newer entries are unread.
    read_shipped_on = models.DateField(_("read up to (day)"), null=True, blank=True)
    read_item_id = models.BigIntegerField(_("read up to (entry)"), null=True, blank=True)
    #: The day a nudge was last shown: one a day at most, claimed by a conditional update.
    nudged_on = models.DateField(_("last nudged"), null=True, blank=True)

    class Meta:
        verbose_name = _("widget reader")
        verbose_name_plural = _("widget readers")

    def __str__(self) -> str:
        return str(self.contact_id)


class NudgeDismissal(models.Model):
    """A person closed the nudge of a milestone: it is not shown to them again."""

    contact = models.ForeignKey("accounts.Contact", on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey("ttfv.Milestone", on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(_("dismissed"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed nudge")
        verbose_name_plural = _("dismissed nudges")
        constraints = [
            models.UniqueConstraint(fields=["contact", "milestone"], name="nudge_dismissed_once")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.milestone_id}"
