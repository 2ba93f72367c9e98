"""What CSMs tell the engine: their sentiment about an account and band overrides."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from healthscores.models.snapshots import Band


class Sentiment(models.Model):
    """A CSM's read of an account, dated. The newest one counts until it goes stale.

    Kept as history rather than one field on the account, so that a backfill scores each
    past day with the sentiment that was current then.
    """

    class Value(models.TextChoices):
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")

    #: Raw value the CSM-sentiment measure scores: red 0, yellow 1, green 2.
    RAW = {Value.RED: 0, Value.YELLOW: 1, Value.GREEN: 2}

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="sentiments"
    )
    value = models.CharField(_("sentiment"), max_length=6, choices=Value.choices)
    comment = models.TextField(_("comment"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        verbose_name = _("CSM sentiment")
        verbose_name_plural = _("CSM sentiments")
        ordering = ["-set_at", "-pk"]
        indexes = [
            # Latest sentiment per account as of a day (recompute, account page).
            models.Index(fields=["account", "-set_at"], name="sentiment_account_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_value_display()} ({self.set_at:%Y-%m-%d})"


class HealthOverride(models.Model):
    """A CSM sets the band by hand, with a reason, until an expiry date (inclusive).

    The computed score stays in every snapshot beside it: an override is shown as such,
    never passed off as the data's verdict.
    """

    BANDS = [
        (Band.RED, Band.RED.label),
        (Band.YELLOW, Band.YELLOW.label),
        (Band.GREEN, Band.GREEN.label),
    ]

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="health_overrides"
    )
    band = models.CharField(_("band"), max_length=6, choices=BANDS)
    reason = models.CharField(_("reason"), max_length=300)
    starts_on = models.DateField(_("from"))
    expires_on = models.DateField(_("until"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: Ended early by a CSM; the days before stay overridden in history.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("health override")
        verbose_name_plural = _("health overrides")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gte=models.F("starts_on")),
                name="override_expires_after_start",
                violation_error_message=_("The expiry date cannot be before the start."),
            ),
        ]
        indexes = [
            # Overrides in force on a day for a chunk of accounts.
            models.Index(fields=["account", "expires_on"], name="override_account_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()} until {self.expires_on}"
