"""What happened at each renewal of an account: the outcome the health score is meant
to predict, and what the scorecard report measures it against."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RenewalOutcome(models.Model):
    """One renewal of one account. An account renews many times, so history is rows;
    one outcome per account and day, since two on one day would contradict each other."""

    class Outcome(models.TextChoices):
        RENEWED = "renewed", _("Renewed")
        EXPANDED = "expanded", _("Expanded")
        CONTRACTED = "contracted", _("Contracted")
        CHURNED = "churned", _("Churned")

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="renewal_outcomes"
    )
    renewed_on = models.DateField(_("renewal date"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    arr_before = models.DecimalField(_("ARR before"), max_digits=14, decimal_places=2)
    arr_after = models.DecimalField(_("ARR after"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("renewal outcome")
        verbose_name_plural = _("renewal outcomes")
        ordering = ["-renewed_on", "-pk"]
        constraints = [
            # Also the index of an account's history and of the import's upsert key.
            models.UniqueConstraint(
                fields=["account", "renewed_on"], name="renewal_outcome_unique"
            ),
            models.CheckConstraint(
                condition=Q(arr_before__gte=0) & Q(arr_after__gte=0),
                name="renewal_outcome_arr_not_negative",
            ),
        ]
        indexes = [
            # The scorecard report: the outcomes of a period, across accounts.
            models.Index(fields=["renewed_on"], name="renewal_outcome_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.renewed_on}: {self.outcome}"
