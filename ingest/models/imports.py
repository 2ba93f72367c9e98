"""Import jobs (one per file or batch, so people can watch and audit them) and the
write keys of the Segment-compatible tracking API."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models.facts import Source

MAX_STORED_ERRORS = 100


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", _("Accounts")
        CONTACTS = "contacts", _("Contacts")
        USAGE = "usage", _("Usage events")
        TICKETS = "tickets", _("Tickets")
        SURVEYS = "surveys", _("Survey responses")
        RENEWALS = "renewals", _("Renewal outcomes")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.SUCCEEDED, Status.REJECTED, Status.FAILED)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    partial = models.BooleanField(
        _("import valid rows"),
        default=False,
        help_text=_("Land the valid rows and report the rest, instead of all or nothing."),
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    file_path = models.CharField(max_length=500, blank=True, editable=False)
    bytes_total = models.PositiveBigIntegerField(default=0)
    bytes_done = models.PositiveBigIntegerField(default=0)
    rows_seen = models.PositiveBigIntegerField(_("rows seen"), default=0)
    rows_inserted = models.PositiveBigIntegerField(_("inserted"), default=0)
    rows_updated = models.PositiveBigIntegerField(_("updated"), default=0)
    rows_duplicate = models.PositiveBigIntegerField(_("duplicates"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("rejected"), default=0)
    #: The first MAX_STORED_ERRORS row errors: {"row", "column", "reason"}.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    #: Tracking batches add up into one job per write key and minute (its start, UTC),
    #: instead of a job each: a busy source sends several a second.
    write_key = models.ForeignKey(
        "ingest.WriteKey",
        verbose_name=_("write key"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    minute = models.DateTimeField(_("minute"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: When its message last went to a worker; empty while the broker was away. A queued
    #: file job is the outbox: the beat sends it again until a worker claims it.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: Claims so far: a worker that died mid-run is followed by another, from the stored
    #: file, up to ``JOB_MAX_ATTEMPTS``.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: Moved every few seconds, with ``bytes_done``, while a process imports it.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    class Meta:
        # Tables kept their names when the models moved here from accounts.
        db_table = "accounts_importjob"
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["write_key", "minute"], name="import_job_one_per_key_and_minute"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.file_name}".strip()

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def progress_percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_done / self.bytes_total))

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


def new_write_key() -> str:
    return secrets.token_urlsafe(24)


class WriteKey(models.Model):
    """A key that a Segment library sends as the Basic-auth user name."""

    name = models.CharField(_("name"), max_length=100, help_text=_("Where the key is used."))
    key = models.CharField(_("key"), max_length=64, unique=True, default=new_write_key)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        db_table = "accounts_writekey"
        verbose_name = _("tracking write key")
        verbose_name_plural = _("tracking write keys")

    def __str__(self) -> str:
        return self.name


class TrackedUser(models.Model):
    """The traits an identify call sent for a Segment ``userId``.

    An identify may come before any group call links the user to an account; its
    traits wait here, and the contact the later group call creates takes them.
    """

    user_id = models.CharField(_("user ID"), max_length=200, unique=True)
    email = models.EmailField(_("email"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=120, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("tracked user")
        verbose_name_plural = _("tracked users")

    def __str__(self) -> str:
        return self.user_id


class ImportedAccount(models.Model):
    """An account whose data an import job landed: what the account's timeline shows as
    "imports that touched it".

    Written in the landing's own transaction, one row per account and job, so a job
    retried after a deadlock (the pipeline runs it again from the start) adds nothing.
    The tracking API's per-minute jobs write none: a stream that lands every minute
    would bury everything else in the timeline.
    """

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="touched", verbose_name=_("import")
    )
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="imports",
        verbose_name=_("account"),
    )
    #: When the rows landed: copied here so the timeline reads one index, newest first.
    landed_at = models.DateTimeField(_("landed"))

    class Meta:
        verbose_name = _("imported account")
        verbose_name_plural = _("imported accounts")
        constraints = [
            models.UniqueConstraint(fields=["job", "account"], name="imported_account_once")
        ]
        # Serves the account timeline: one account's imports, newest first.
        indexes = [models.Index(fields=["account", "-landed_at"], name="imported_account_time_idx")]

    def __str__(self) -> str:
        return f"{self.job_id} -> {self.account_id}"
