"""Product-risk flags: one product gap (an idea) that blocks value for several accounts.

The rule is one editable row; each flag is one row per idea (never two), and its
evidence is relational — one row per affected account and why it counts — so that
Customer 360 and a CSM's book can ask "which flags touch these accounts" with an index.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RiskRule(models.Model):
    """When a product gap becomes a flag, and how severe it is (see productrisk.rules)."""

    min_accounts = models.PositiveSmallIntegerField(
        _("accounts to open a flag"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("A flag opens when at least this many distinct accounts are affected."),
    )
    arr_threshold = models.DecimalField(
        _("ARR to open a flag"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("250000"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("…or when the affected accounts' ARR reaches this, however few they are."),
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        _("renewal window (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("An account renewing within this many days counts as at risk."),
    )
    arr_reference = models.DecimalField(
        _("ARR at risk for full weight"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("500000"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("ARR at risk at which the ARR part of the severity score is full."),
    )
    medium_score = models.PositiveSmallIntegerField(
        _("score for medium"), default=35, validators=[MaxValueValidator(100)]
    )
    high_score = models.PositiveSmallIntegerField(
        _("score for high"), default=65, validators=[MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: When the last product-risk recompute committed (flags, evidence, idea demand): the
    #: "as of" of the triage figures. Set by the run under the lock it holds on this row.
    recomputed_at = models.DateTimeField(_("last recomputed"), null=True, editable=False)

    class Meta:
        db_table = "feedback_riskrule"
        verbose_name = _("product-risk rule")
        verbose_name_plural = _("product-risk rule")

    def __str__(self) -> str:
        return str(_("Product-risk rule"))


class ProductRisk(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("risk status", "Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        PLANNED = "planned", pgettext_lazy("risk status", "Planned")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    ACTIVE_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED, Status.PLANNED)

    #: One flag per idea, whatever the number of recomputes or workers.
    idea = models.OneToOneField(
        "feedback.Idea", verbose_name=_("idea"), on_delete=models.CASCADE, related_name="risk"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    severity = models.CharField(
        _("severity"), max_length=6, choices=Severity.choices, default=Severity.LOW
    )
    score = models.FloatField(_("severity score"), default=0.0)
    accounts_affected = models.PositiveIntegerField(_("accounts affected"), default=0)
    arr_affected = models.DecimalField(
        _("ARR affected"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    arr_at_risk = models.DecimalField(
        _("ARR at risk"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    red_accounts = models.PositiveIntegerField(_("red accounts"), default=0)
    yellow_accounts = models.PositiveIntegerField(_("yellow accounts"), default=0)
    renewing_accounts = models.PositiveIntegerField(_("renewing soon"), default=0)
    late_onboardings = models.PositiveIntegerField(_("late onboardings"), default=0)
    #: How many times the flag (re)opened: notifications of each opening are told apart.
    generation = models.PositiveIntegerField(default=1)
    #: The highest severity PMs have been told of in this generation.
    notified_severity = models.CharField(max_length=6, choices=Severity.choices, blank=True)
    dismissed_reason = models.TextField(_("reason for dismissing"), blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The evidence when dismissed: the flag re-opens only if it grows beyond this.
    dismissed_accounts = models.PositiveIntegerField(default=0)
    dismissed_arr = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"))
    opened_at = models.DateTimeField(_("opened"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    computed_at = models.DateTimeField(_("last computed"))

    class Meta:
        # Tables kept their names when the models moved here from feedback.
        db_table = "feedback_productrisk"
        verbose_name = _("product risk")
        verbose_name_plural = _("product risks")
        ordering = ["-arr_at_risk", "-pk"]
        indexes = [
            # The PM dashboard: active flags by severity and ARR at risk.
            models.Index(fields=["status", "-arr_at_risk"], name="risk_status_arr_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.idea_id}"


class ProductRiskAccount(models.Model):
    """One affected account of a flag, and why it counts: the flag's evidence."""

    # No database constraints and no single-column indexes on these two keys: a first
    # recompute writes ~1M rows, whose deferred FK checks took ~30 s at commit (see
    # accounts 0008 for the same trade). Only the recompute writes these rows, from
    # flags and accounts it read in the same transaction; Django still cascades deletes,
    # and a row orphaned by a concurrent account deletion is invisible to the joins and
    # removed by the next run. The two composite indexes below lead with each key.
    risk = models.ForeignKey(
        ProductRisk,
        on_delete=models.CASCADE,
        related_name="evidence",
        db_constraint=False,
        db_index=False,
    )
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="product_risks",
        db_constraint=False,
        db_index=False,
    )
    by_vote = models.BooleanField(_("voted"), default=False)
    by_ticket = models.BooleanField(_("linked ticket"), default=False)
    arr = models.DecimalField(_("ARR"), max_digits=14, decimal_places=2, default=Decimal("0"))
    #: Health band at compute time ("" when the account has no score yet).
    band = models.CharField(_("band"), max_length=6, blank=True)
    #: The (UTC) day of the health that ``band`` was read from. The row is rewritten
    #: only when a fact changes, and a resolved flag's evidence is frozen, so the band
    #: is shown "as of" this day, beside the account's band now when they differ.
    band_on = models.DateField(_("band as of"), null=True, blank=True)
    renews_soon = models.BooleanField(_("renews soon"), default=False)
    late_onboarding = models.BooleanField(_("late onboarding"), default=False)

    class Meta:
        db_table = "feedback_productriskaccount"
        verbose_name = _("affected account")
        verbose_name_plural = _("affected accounts")
        constraints = [
            models.UniqueConstraint(fields=["risk", "account"], name="risk_account_once"),
        ]
        indexes = [
            # Customer 360 and a CSM's book: the flags touching these accounts.
            models.Index(fields=["account", "risk"], name="risk_account_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} in {self.risk_id}"

    @property
    def at_risk(self) -> bool:
        return self.band in {"red", "yellow"} or self.renews_soon
