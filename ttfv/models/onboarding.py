"""Each account's onboarding: when it started, which milestones it reached, and when it
got to first value."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Onboarding(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        LATE = "late", _("Late")
        ACHIEVED = "achieved", _("Achieved on time")
        ACHIEVED_LATE = "achieved_late", _("Achieved late")

    #: Still onboarding: no first value yet.
    OPEN_STATUSES = (Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.LATE)

    account = models.OneToOneField(
        "accounts.Account", primary_key=True, on_delete=models.CASCADE, related_name="onboarding"
    )
    template = models.ForeignKey(
        "ttfv.MilestoneTemplate", on_delete=models.PROTECT, related_name="onboardings"
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    #: Set by a CSM: the contract start no longer overwrites it.
    start_is_manual = models.BooleanField(_("start set by hand"), default=False)
    target_days = models.PositiveIntegerField(_("target (days)"))
    first_value_on = models.DateField(_("first value"), null=True, blank=True)
    ttfv_days = models.PositiveIntegerField(_("time to first value (days)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.NOT_STARTED
    )
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")
        indexes = [
            # Dashboard filter by status; cohort reports by start month.
            models.Index(fields=["status", "started_on"], name="onboarding_status_idx"),
            models.Index(fields=["started_on"], name="onboarding_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.get_status_display()}"


class MilestoneProgress(models.Model):
    class Source(models.TextChoices):
        AUTO = "auto", _("Detected from usage")
        MANUAL = "manual", _("Checked off")

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="milestone_progress"
    )
    milestone = models.ForeignKey(
        "ttfv.Milestone", on_delete=models.CASCADE, related_name="progress"
    )
    achieved_on = models.DateField(_("achieved"))
    source = models.CharField(_("source"), max_length=6, choices=Source.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("milestone progress")
        verbose_name_plural = _("milestone progress")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "milestone"], name="milestone_once_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.milestone_id} {self.achieved_on}"
