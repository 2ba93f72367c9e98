"""Recompute jobs: one way to request, claim, chunk, run and finish every recompute.

Health, onboarding (TTFV) and product risk each register a *kind* here (from their
``AppConfig.ready``): how to compute one chunk of accounts, and whether the work is per
account at all. Everything else is the same for every kind:

* **request** — :func:`job_request` records a Job row and queues it once the caller's
  transaction commits. A request finding a job of the same kind still queued (not yet
  claimed by a worker) folds into it instead: its accounts join that job's, so a burst
  of ingests, or an ingest and the onboarding recompute it wakes, is one run.
* **claim** — queued → running with a conditional update, once. A full job also takes
  the one-full-job-per-kind lock (a partial unique index) and stands down as skipped
  when another holds it; a full job whose heartbeat stopped for longer than a task may
  run was abandoned by a dead worker and is released.
* **chunks** — the accounts are cut into ID ranges (``chunk_size``) that any worker on
  any machine takes; each chunk is claimed in the transaction that writes its results,
  so a redelivered task finds it done and a failed one rolls its claim back.
* **finish** — the chunk that brings ``chunks_done`` to ``chunks_total`` closes the job,
  exactly once, as succeeded or failed.

The pages (the recompute jobs list) and the management commands read the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from celery import group
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Func, IntegerField, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.functional import Promise

from core.models import Job, JobChunk
from core.queue import queue_task_on_commit, task_named

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ChunkScope:
    """The accounts of one chunk: every account with an ID in the range (a full job), or
    the named ones within it (a job for some accounts)."""

    first_id: int
    last_id: int
    #: The accounts named in the range; None means every account in it.
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str | Promise
    #: Computes one chunk in the caller's transaction (the claim shares it) and returns
    #: how many accounts it processed; may set ``job.result`` (saved with the job).
    compute: Callable[[Job, ChunkScope], int]
    #: Every account ID in order, for a full job (chunks are cut from them).
    all_ids: Callable[[], list[int]] = lambda: []
    #: Accounts per chunk (a setting read when the job runs).
    chunk_size: Callable[[], int] = lambda: 5000
    #: False: the work is not per account (one chunk, no account scope).
    by_account: bool = True


_kinds: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    _kinds[kind.key] = kind


def job_kind(key: str) -> JobKind:
    return _kinds[key]


def job_kinds() -> list[JobKind]:
    return list(_kinds.values())


def today_utc() -> date:
    """Rollups are per UTC day, so "today" for every recompute is the UTC date."""
    return datetime.now(UTC).date()


# --- Requesting -----------------------------------------------------------------------


def _ids(account_ids: Iterable[int] | None) -> list[int]:
    return sorted({int(pk) for pk in account_ids or ()})


def job_create(
    kind: str,
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
) -> Job:
    """Record a job without queueing it (the caller runs it, or queues it)."""
    ids = _ids(account_ids)
    full = job_kind(kind).by_account and not ids
    return Job.objects.create(
        kind=kind, account_ids=ids, is_full=full, day=day, raise_alerts=raise_alerts
    )


@transaction.atomic
def job_request(
    kind: str,
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
    countdown: float | None = None,
) -> Job:
    """Record a job and queue it once the row (and the caller's data) is committed; or
    fold the request into a job of the same kind, day and alerting still queued.

    ``account_ids=None`` means every account. ``countdown`` holds the task back for a
    while, so that the requests of a burst fold into the one job.
    """
    ids = _ids(account_ids)
    # Locked: a worker claiming the queued job waits for the fold to commit (and sees
    # the accounts it added), or claimed it first and the fold finds it no longer queued.
    pending = (
        Job.objects.select_for_update()
        .filter(kind=kind, status=Job.Status.QUEUED, day=day, raise_alerts=raise_alerts)
        .order_by("requested_at", "pk")
        .first()
    )
    if pending is not None:
        if not pending.is_full and job_kind(kind).by_account:
            if not ids:
                pending.is_full, pending.account_ids = True, []
            else:
                pending.account_ids = sorted({*pending.account_ids, *ids})
            pending.save(update_fields=["is_full", "account_ids"])
        return pending
    job = job_create(kind, account_ids=ids, day=day, raise_alerts=raise_alerts)
    queue_task_on_commit("core.tasks.run_job", job_id=job.pk, countdown=countdown)
    return job


# --- Claiming and running ---------------------------------------------------------------


def release_abandoned(now: datetime | None = None) -> int:
    """A worker killed mid-run leaves its full job "running" forever, holding the lock.
    No chunk can take longer than a task's time limit, so a job silent for longer than
    that is dead. Returns how many were released."""
    now = now or timezone.now()
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return Job.objects.filter(
        is_full=True, status=Job.Status.RUNNING, heartbeat_at__lt=now - limit
    ).update(
        status=Job.Status.FAILED,
        error="Abandoned: no progress within a task time limit.",
        finished_at=now,
    )


def _claim(job_id: int) -> Job | None:
    now = timezone.now()
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.Status.QUEUED:
        return None
    if job.is_full:
        release_abandoned(now)
    try:
        with transaction.atomic():
            claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
                status=Job.Status.RUNNING, started_at=now, heartbeat_at=now
            )
    except IntegrityError:
        holder = Job.objects.filter(kind=job.kind, is_full=True, status=Job.Status.RUNNING).first()
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.SKIPPED,
            error=f"Full recompute #{holder.pk if holder else '?'} was already running.",
            started_at=now,
            finished_at=now,
        )
        return None
    if not claimed:
        return None
    job.refresh_from_db()
    return job


def _chunk_bounds(job: Job, kind: JobKind) -> list[tuple[int, int]]:
    """ID ranges of about ``chunk_size`` accounts each, in ID order."""
    if not kind.by_account:
        return [(0, 0)]
    ids = kind.all_ids() if job.is_full else list(job.account_ids)
    size = max(1, kind.chunk_size())
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def chunk_scope(job: Job, chunk: JobChunk) -> ChunkScope:
    if job.is_full or not job_kind(job.kind).by_account:
        return ChunkScope(chunk.first_id, chunk.last_id)
    ids = tuple(pk for pk in job.account_ids if chunk.first_id <= pk <= chunk.last_id)
    return ChunkScope(chunk.first_id, chunk.last_id, ids)


def job_run(*, job_id: int, inline: bool = False, progress: Progress | None = None) -> Job | None:
    """Claim a queued job, plan its chunks and run or dispatch them.

    Returns None when the job is gone, already claimed, or stood down for a running full
    job. ``inline`` runs every chunk in this process (management commands, the embedded
    mode's seeds); otherwise the chunks go to Celery as one group.
    """
    job = _claim(job_id)
    if job is None:
        return None
    kind = job_kind(job.kind)
    bounds = _chunk_bounds(job, kind)
    with transaction.atomic():
        chunks = JobChunk.objects.bulk_create(
            JobChunk(job=job, index=index, first_id=first, last_id=last)
            for index, (first, last) in enumerate(bounds)
        )
        total = len(kind.all_ids()) if job.is_full else len(job.account_ids)
        Job.objects.filter(pk=job.pk).update(chunks_total=len(chunks), accounts_total=total)
    if not chunks:
        _finish_if_done(job.pk)
    elif inline:
        for done, chunk in enumerate(chunks, start=1):
            try:
                job_chunk_run(chunk_id=chunk.pk)
            except Exception as exc:
                job_chunk_fail(chunk_id=chunk.pk, error=exc)
                raise
            if progress:
                progress(done, len(chunks))
    else:
        # One Celery group: any worker on any machine takes any chunk. Even a one-chunk
        # job goes through the chunk task, whose retries on transient database errors
        # then cover every recompute the same way. The job row, not the group's result,
        # tracks completion, so no result backend is needed.
        chunk_task = task_named("core.tasks.run_job_chunk")
        group(chunk_task.s(chunk_id=chunk.pk) for chunk in chunks).apply_async()
    job.refresh_from_db()
    return job


def job_chunk_run(*, chunk_id: int) -> bool:
    """Compute one chunk. False when it is gone or another delivery already did it.

    The claim and the writes share one transaction: a failure rolls the claim back with
    the half-written results, so a retry starts clean.
    """
    chunk = JobChunk.objects.select_related("job").filter(pk=chunk_id).first()
    if chunk is None:
        return False
    job = chunk.job
    with transaction.atomic():
        claimed = JobChunk.objects.filter(pk=chunk_id, status=JobChunk.Status.QUEUED).update(
            status=JobChunk.Status.DONE
        )
        if not claimed:
            return False
        written = job_kind(job.kind).compute(job, chunk_scope(job, chunk))
        updates: dict[str, Any] = {
            "chunks_done": F("chunks_done") + 1,
            "accounts_processed": F("accounts_processed") + written,
            "heartbeat_at": timezone.now(),
        }
        if job.result:
            updates["result"] = job.result
        Job.objects.filter(pk=job.pk).update(**updates)
    _finish_if_done(job.pk)
    return True


def job_chunk_fail(*, chunk_id: int, error: BaseException) -> None:
    """Record a chunk that will not be retried; the job finishes as failed."""
    message = f"{type(error).__name__}: {error}"
    with transaction.atomic():
        failed = JobChunk.objects.filter(pk=chunk_id, status=JobChunk.Status.QUEUED).update(
            status=JobChunk.Status.FAILED, error=message
        )
        if not failed:
            return
        chunk = JobChunk.objects.get(pk=chunk_id)
        Job.objects.filter(pk=chunk.job_id).update(
            chunks_done=F("chunks_done") + 1,
            error=Concat(
                F("error"), Value(f"Chunk {chunk.index}: {message}\n", output_field=TextField())
            ),
            heartbeat_at=timezone.now(),
        )
    logger.error("Recompute chunk %s failed: %s", chunk_id, message)
    _finish_if_done(chunk.job_id)


def _finish_if_done(job_id: int) -> None:
    """The chunk that brings chunks_done to chunks_total closes the job, exactly once."""
    failed = JobChunk.objects.filter(job_id=job_id, status=JobChunk.Status.FAILED).exists()
    Job.objects.filter(
        pk=job_id, status=Job.Status.RUNNING, chunks_done__gte=F("chunks_total")
    ).update(
        status=Job.Status.FAILED if failed else Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
    )


def job_now(
    kind: str,
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
    progress: Progress | None = None,
) -> Job:
    """Create and run a job in this process (management commands, seeds, tests)."""
    job = job_create(kind, account_ids=account_ids, day=day, raise_alerts=raise_alerts)
    job_run(job_id=job.pk, inline=True, progress=progress)
    job.refresh_from_db()
    return job


# --- The recompute jobs page ------------------------------------------------------------


class JSONArrayLength(Func):
    """Length of a JSON array column, computed by the database so that a list page does
    not load a backfill's list of account IDs just to count it."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Sequence[Any]]:
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)


def job_list() -> QuerySet[Job]:
    """Every job, newest first, with ``accounts_named`` (how many accounts a partial job
    names) instead of the IDs themselves."""
    return (
        Job.objects.defer("account_ids")
        .annotate(accounts_named=JSONArrayLength("account_ids"))
        .order_by("-requested_at", "-pk")
    )


def jobs_active() -> bool:
    """Whether any job is queued or running: the page polls while one is."""
    return Job.objects.filter(status__in=Job.ACTIVE_STATUSES).exists()


@dataclass(frozen=True)
class FullJobRequest:
    job: Job
    #: False when a full job of the kind was already queued or running, returned instead.
    queued: bool


@transaction.atomic
def full_job_request(kind: str) -> FullJobRequest:
    """Queue a job of every account (or the whole of a kind not per account) for today,
    unless one is already on its way: a second would only stand down against the lock."""
    pending = (
        Job.objects.filter(kind=kind, status__in=Job.ACTIVE_STATUSES, day=None)
        .filter(Q(is_full=True) | Q(account_ids=[]))
        .defer("account_ids")
        .first()
    )
    if pending is not None:
        return FullJobRequest(job=pending, queued=False)
    return FullJobRequest(job=job_request(kind), queued=True)
