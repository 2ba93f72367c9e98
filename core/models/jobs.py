"""Recompute jobs of every kind (health, onboarding, product risk) and their chunks.

Every recompute is visible the same way (what ran, for whom, how long, its progress and
errors), and the rows are also the locks and claims that make retried tasks harmless:
see ``core.jobs`` for the life of a job.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        #: A full run found another full run of its kind in progress and stood down.
        SKIPPED = "skipped", _("Skipped")
        #: Stopped by a person before it finished (``core.jobs.job_cancel``).
        CANCELED = "canceled", _("Canceled")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    class Cause(models.TextChoices):
        """What asked for the recompute, so that what it raises (a health alert) can say
        why, and spare the person whose own action it was."""

        UNKNOWN = "", _("Not recorded")
        ACTION = "action", _("A person's action")
        IMPORT = "import", _("An import")
        TRACKING = "tracking", _("Tracked events")
        SCHEDULED = "scheduled", _("The scheduled run")
        RECOMPUTE = "recompute", _("Another recompute")

    #: What it recomputes: a key of the job kinds registered with ``core.jobs``.
    kind = models.CharField(_("kind"), max_length=32, default="health")
    #: Empty means every account.
    account_ids = models.JSONField(_("account IDs"), default=list, blank=True)
    is_full = models.BooleanField(_("all accounts"), default=False)
    #: The day it computes; empty means the day it runs (UTC).
    day = models.DateField(_("day"), null=True, blank=True)
    #: What a kind needs beyond accounts and day to run (a scorecard draft to replay),
    #: fixed when the job is recorded so that every chunk, on any worker, reads the same.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    #: Backfills rewrite history quietly: no alerts for past days.
    raise_alerts = models.BooleanField(_("raise alerts"), default=True)
    #: Who or what asked for it. Requests of different causes never fold into one job,
    #: so a job has one cause, and the alerts it raises name it.
    cause = models.CharField(
        _("cause"), max_length=12, choices=Cause.choices, default=Cause.UNKNOWN, blank=True
    )
    #: The person whose action it follows (a sentiment, a scorecard edit, an import they
    #: started): never alerted about it.
    cause_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caused by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The cause as a whole sentence (a ``core.i18n`` deferred text), rendered in the
    #: reader's language in the alerts the job raises.
    cause_text = models.JSONField(_("cause in words"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    accounts_total = models.PositiveIntegerField(_("accounts"), default=0)
    accounts_processed = models.PositiveIntegerField(_("accounts processed"), default=0)
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    #: What the kind reports of a finished run (counts, timings), for logs and pages.
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    #: When a worker should take it: the request, or later for a debounced one.
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    #: When its message last went to the broker; empty while the broker was away. A
    #: queued job is the outbox: the beat sends it again until a worker claims it.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: Claims so far: a worker that died mid-run is followed by another, up to
    #: ``JOB_MAX_ATTEMPTS``.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    #: Moved while a worker plans or computes it (by each running chunk); a running job
    #: whose heartbeat stopped lost its worker (see ``core.jobs.jobs_recover``).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("recompute job")
        verbose_name_plural = _("recompute jobs")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # The lock that stops two full runs of one kind at once, kept by the database
            # itself: claiming a second one violates this index and the claim stands down.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(is_full=True, status="running"),
                name="one_full_job_running",
            ),
        ]
        indexes = [
            # Coalescing a request into the queued job of its kind; the pages' "active".
            models.Index(
                fields=["kind", "requested_at"],
                condition=Q(status="queued"),
                name="job_queued_idx",
            ),
        ]

    def __str__(self) -> str:
        scope = _("all accounts") if self.is_full else f"{len(self.account_ids)}"
        return f"#{self.pk} {self.kind} {scope} ({self.get_status_display()})"

    @property
    def duration(self) -> timedelta | None:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def progress(self) -> int:
        """Percent of chunks done, for the progress bar."""
        if self.status in (self.Status.SUCCEEDED, self.Status.SKIPPED):
            return 100
        if not self.chunks_total:
            return 0
        return int(100 * self.chunks_done / self.chunks_total)


class JobChunk(models.Model):
    """One slice of a job: the accounts with IDs from ``first_id`` to ``last_id`` (a job
    of a kind that is not per account has one chunk, 0 to 0).

    A chunk is claimed (queued → running, committed) before its work, and marked done in
    the transaction that writes its results, by the claim that holds it: a task
    delivered twice finds it running or done, a failed one rolls its writes back and
    returns it to the queue, and one whose worker died is handed on by the reaper.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField(_("index"))
    first_id = models.BigIntegerField(_("first account ID"))
    last_id = models.BigIntegerField(_("last account ID"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    #: What this chunk found, for a kind whose job result is combined from every chunk's
    #: (``JobKind.merge``): kept per chunk because chunks finish on several workers in
    #: any order, and one shared field would lose all but the last writer's part.
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    #: Claims so far (a retry, or another worker after one died), and the claim's token:
    #: only the latest claim may mark the chunk done.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: Moved every few seconds by the worker computing it (``core.heartbeat``).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    #: When its message last went to the broker; empty while the broker was away.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("recompute chunk")
        verbose_name_plural = _("recompute chunks")
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="recompute_chunk_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.job_id}.{self.index} ({self.status})"
