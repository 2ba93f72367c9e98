"""What the engine writes: one snapshot per account and day, and the current health of
each account that list pages join to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Band(models.TextChoices):
    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    GREEN = "green", _("Green")
    #: More than half of the scorecard's weight had no data: never shown as green.
    INSUFFICIENT = "grey", _("Insufficient data")


#: Worst first; a move to a later index of this tuple is a drop that raises an alert.
BAND_ORDER = (Band.GREEN, Band.YELLOW, Band.RED)


class HealthSnapshot(models.Model):
    """The health of one account on one (UTC) day, with every measure behind it.

    ``components`` maps a measure key to ``{"raw", "score", "weight", "contribution",
    "missing"}``; weight is the share (0-1) after missing measures were left out, so the
    contributions add up to the score. History is kept: trends and "why it changed" read
    older snapshots instead of recomputing the past.
    """

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="health_snapshots"
    )
    day = models.DateField(_("day"))
    score = models.FloatField(_("score"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=6, choices=Band.choices)
    components = models.JSONField(_("components"), default=dict)
    #: Share (0-1) of the scorecard's weight whose measures had no data.
    missing_weight = models.FloatField(_("missing weight"), default=0)
    override_band = models.CharField(
        _("override band"), max_length=6, choices=Band.choices, blank=True
    )
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    divergent = models.BooleanField(_("sentiment diverges from data"), default=False)
    scorecard = models.ForeignKey(
        "healthscores.Scorecard", on_delete=models.PROTECT, related_name="snapshots"
    )
    scorecard_version = models.PositiveIntegerField(_("scorecard version"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("health snapshot")
        verbose_name_plural = _("health snapshots")
        constraints = [
            # Also the index of history charts, trends and "why it changed" per account.
            models.UniqueConstraint(fields=["account", "day"], name="health_snapshot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}: {self.band}"

    @property
    def effective_band(self) -> str:
        return self.override_band or self.band


class AccountHealth(models.Model):
    """The latest snapshot of an account, flattened for list pages and filters.

    The portfolio sorts and filters 10,000 accounts by score and band; a one-to-one row
    joined in the same query does that with plain indexes, where "latest snapshot per
    account" would need a window function on every page view.
    """

    account = models.OneToOneField(
        "accounts.Account", primary_key=True, on_delete=models.CASCADE, related_name="health"
    )
    day = models.DateField(_("day"))
    score = models.FloatField(_("score"), null=True, blank=True)
    band = models.CharField(_("computed band"), max_length=6, choices=Band.choices)
    #: The band shown: an active override, else the computed band.
    effective_band = models.CharField(_("band"), max_length=6, choices=Band.choices)
    is_override = models.BooleanField(_("overridden"), default=False)
    score_7d_ago = models.FloatField(_("score 7 days before"), null=True, blank=True)
    score_30d_ago = models.FloatField(_("score 30 days before"), null=True, blank=True)
    divergent = models.BooleanField(_("sentiment diverges from data"), default=False)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("account health")
        verbose_name_plural = _("account health")
        indexes = [
            # Portfolio "filter by band", the at-risk list and the per-band summary.
            models.Index(fields=["effective_band", "score"], name="account_health_band_idx"),
            # Portfolio "sort by score".
            models.Index(fields=["score"], name="account_health_score_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.effective_band}"

    @property
    def trend_7d(self) -> float | None:
        if self.score is None or self.score_7d_ago is None:
            return None
        return self.score - self.score_7d_ago

    @property
    def trend_30d(self) -> float | None:
        if self.score is None or self.score_30d_ago is None:
            return None
        return self.score - self.score_30d_ago
