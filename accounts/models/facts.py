"""What we learn about accounts from outside: usage events and their daily rollups,
support tickets, survey answers, and the CSM's own notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    CSV = "csv", _("CSV import")
    API = "api", _("REST API")
    SEGMENT = "segment", _("Tracking API")


class UsageEvent(models.Model):
    """One product event. Append-only; rolled up into DailyUsage and DailyActivity.

    Indexes (PostgreSQL): the unique (source, source_id) pair is the dedupe key of every
    ingest; (account, occurred_at) serves the rollup refresh of touched (account, day)
    pairs and the account page; a BRIN index on occurred_at (migration 0003) serves
    time-window scans of recomputes at a tiny fraction of a B-tree's size, since events
    arrive roughly in time order. We chose no partitions: a unique key across monthly
    partitions must include the partition key, which would break dedupe by source id.
    """

    # No database FK constraints, and no index of account's own (usage_account_time_idx
    # leads with it): a load of a million events queued two million deferred FK checks
    # at commit, about 13 s, and the extra index cost 4 s. The ingest takes the same
    # KEY SHARE locks on the accounts and contacts it references that the checks took
    # (sinks.UsageSink); Django still cascades and nulls on delete.
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="usage_events",
        db_constraint=False,
        db_index=False,
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="usage_events",
        db_constraint=False,
    )
    event = models.CharField(_("event"), max_length=200)
    occurred_at = models.DateTimeField(_("occurred at"))
    quantity = models.FloatField(_("quantity"), default=1)
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    source_id = models.CharField(_("source ID"), max_length=200)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("usage event")
        verbose_name_plural = _("usage events")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="usage_event_source_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="usage_quantity_not_negative"
            ),
        ]
        indexes = [
            # Rollup refresh for touched (account, day) pairs; recent events of an account.
            models.Index(fields=["account", "occurred_at"], name="usage_account_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} @ {self.occurred_at:%Y-%m-%d %H:%M}"


class DailyUsage(models.Model):
    """Per account, day (UTC) and event: how often, how much, by how many people."""

    # Written only by the ingest, for accounts it has locked: no FK constraint (one
    # deferred check per new row) and no index of its own (daily_usage_unique leads with
    # account). See UsageEvent.
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="daily_usage",
        db_constraint=False,
        db_index=False,
    )
    day = models.DateField(_("day"))
    event = models.CharField(_("event"), max_length=200)
    event_count = models.PositiveIntegerField(_("events"))
    quantity = models.FloatField(_("quantity"))
    active_contacts = models.PositiveIntegerField(_("active contacts"))

    class Meta:
        verbose_name = _("daily usage")
        verbose_name_plural = _("daily usage")
        constraints = [
            # Also the index of the account page's usage chart (account, day range).
            models.UniqueConstraint(fields=["account", "day", "event"], name="daily_usage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.event}: {self.event_count}"


class DailyActivity(models.Model):
    """Per account and day (UTC), across all events: distinct active contacts.

    Distinct counts do not add up across events, so this is its own rollup.
    """

    # As DailyUsage.account: daily_activity_unique leads with account.
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="daily_activity",
        db_constraint=False,
        db_index=False,
    )
    day = models.DateField(_("day"))
    event_count = models.PositiveIntegerField(_("events"))
    active_contacts = models.PositiveIntegerField(_("active contacts"))

    class Meta:
        verbose_name = _("daily activity")
        verbose_name_plural = _("daily activity")
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="daily_activity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.active_contacts} active"


class DailyEventContact(models.Model):
    """Who did an event on a day: the set behind DailyUsage/DailyActivity.active_contacts.

    Distinct counts cannot be added up, so an ingest that only sees its new events adds
    their (account, day, event, contact) tuples here and recounts the touched days from
    this narrow table, never re-reading the raw events of those days.
    """

    # No database constraints and no single-column indexes: every tuple is copied from a
    # UsageEvent whose account and contact the ingest holds locked, a constraint would
    # queue one more deferred check per tuple at commit, and each index costs a write per
    # tuple (seconds per million). The unique index below leads with account; Django's delete
    # still cascades, scanning for a contact's rows only when a contact is deleted.
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    day = models.DateField(_("day"))
    event = models.CharField(_("event"), max_length=200)
    contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("daily event contact")
        verbose_name_plural = _("daily event contacts")
        constraints = [
            # Also the index of the recount joins on (account, day[, event]).
            models.UniqueConstraint(
                fields=["account", "day", "event", "contact"], name="daily_event_contact_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.event} #{self.contact_id}"


class Ticket(models.Model):
    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("ticket status", "Open")
        PENDING = "pending", _("Pending")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", pgettext_lazy("ticket status", "Closed")

    OPEN_STATUSES = (Status.OPEN, Status.PENDING)

    external_id = models.CharField(_("external ID"), max_length=100, unique=True)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="tickets"
    )
    subject = models.CharField(_("subject"), max_length=300)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # Account page (recent tickets) and ticket measures over a time window.
            models.Index(fields=["account", "opened_at"], name="ticket_account_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id}: {self.subject}"


class SurveyResponse(models.Model):
    class Kind(models.TextChoices):
        NPS = "nps", _("NPS")
        CSAT = "csat", _("CSAT")

    SCORE_RANGE = {Kind.NPS: (0, 10), Kind.CSAT: (1, 5)}

    external_id = models.CharField(_("external ID"), max_length=100, unique=True)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="survey_responses"
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    responded_at = models.DateTimeField(_("responded"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="nps") & Q(score__lte=10))
                | (Q(kind="csat") & Q(score__gte=1) & Q(score__lte=5)),
                name="survey_score_in_range",
            ),
        ]
        indexes = [
            # Account page NPS/CSAT history and the NPS measure's 90-day average.
            models.Index(fields=["account", "responded_at"], name="survey_account_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score}"


class Note(models.Model):
    """A CSM's timeline entry on an account."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="notes"
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["account", "-created_at"], name="note_account_time_idx")]

    def __str__(self) -> str:
        return self.body[:60]
