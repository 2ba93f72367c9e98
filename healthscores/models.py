"""Health scores. For now: the job rows that record every recompute, so the UI can show
what ran, for which accounts, how long it took and why it failed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecomputeRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    #: Empty means every account.
    account_ids = models.JSONField(_("account IDs"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    accounts_processed = models.PositiveIntegerField(_("accounts processed"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("health recompute")
        verbose_name_plural = _("health recomputes")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        scope = _("all accounts") if not self.account_ids else f"{len(self.account_ids)}"
        return f"#{self.pk} {scope} ({self.get_status_display()})"

    @property
    def is_full(self) -> bool:
        return not self.account_ids
