"""The demand behind each idea, stored: what the PM triage table shows and sorts on.

Why stored: counted on read (a correlated subquery per figure per idea), the triage
page took 0.5 s sorted by votes and 8-10 s sorted by ARR, red accounts or accounts at
10,000 ideas and a million votes on PostgreSQL — every sort but the live vote counter
had to count every vote of every idea. The product-risk recompute already reads every
(idea, account) pair with its ARR, health band and renewal, so it writes these figures
in the same transaction, set-based (:mod:`feedback.services.demand`): hourly (beat), about
a minute after votes, ticket links and merges (debounced), after ingests, and right
after each vote commit in eager mode (development, tests). The page says how old they
are (``RiskRule.recomputed_at``); ``Idea.vote_count`` stays the live counter.

An idea without votes or linked tickets has no row (read as zeros through a LEFT JOIN).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdeaDemand(models.Model):
    """One idea's demand as of the last product-risk recompute that changed it."""

    idea = models.OneToOneField(
        "feedback.Idea",
        verbose_name=_("idea"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="demand",
    )
    #: Votes customers cast themselves, and votes CSMs added on a contact's behalf.
    customer_votes = models.PositiveIntegerField(_("customer votes"), default=0)
    csm_votes = models.PositiveIntegerField(_("votes added by CSMs"), default=0)
    #: Distinct accounts with a vote; the figures below are about these accounts,
    #: each counted once however many of its contacts voted.
    vote_accounts = models.PositiveIntegerField(_("voting accounts"), default=0)
    arr_total = models.DecimalField(
        _("ARR of voting accounts"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    red_accounts = models.PositiveIntegerField(_("red accounts"), default=0)
    yellow_accounts = models.PositiveIntegerField(_("yellow accounts"), default=0)
    #: Renewing within the product-risk rule's window (90 days by default).
    renewing_accounts = models.PositiveIntegerField(_("renewing soon"), default=0)
    ticket_count = models.PositiveIntegerField(_("linked tickets"), default=0)
    ticket_accounts = models.PositiveIntegerField(_("accounts of linked tickets"), default=0)
    #: When a recompute last wrote this row, i.e. when its figures last changed (runs
    #: that change nothing leave the row alone; the run's own time is on the rule).
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("idea demand")
        verbose_name_plural = _("idea demand")

    def __str__(self) -> str:
        return f"demand of {self.idea_id}"
