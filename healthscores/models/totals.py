"""Per-day health totals: what "every account" looked like on a day, kept as a rollup."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyHealthTotal(models.Model):
    """The sum and number of real scores among one day's snapshots (an "insufficient
    data" day, grey or without a score, is not a measurement and is left out).

    Impact after shipping sets the accounts that asked against every account, day by
    day around each ship date. Counted from the snapshots, that baseline reads every
    account's rows of a few hundred days: seconds at 100,000 accounts. Kept here, it is
    one row per day, refreshed by ``healthscores.totals.health_totals_refresh`` in the
    transaction that writes the day's snapshots.
    """

    day = models.DateField(_("day"), primary_key=True)
    score_sum = models.FloatField(_("sum of scores"), default=0.0)
    score_n = models.PositiveIntegerField(_("scored accounts"), default=0)

    class Meta:
        verbose_name = _("daily health total")
        verbose_name_plural = _("daily health totals")

    def __str__(self) -> str:
        return f"{self.day}: {self.score_n}"
