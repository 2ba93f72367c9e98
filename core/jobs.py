"""Recompute jobs: one way to request, claim, chunk, run, recover and finish every
recompute.

Health, onboarding (TTFV) and product risk each register a *kind* here (from their
``AppConfig.ready``): how to compute one chunk of accounts, and whether the work is per
account at all. Everything else is the same for every kind. The life of a job:

* **request** — :func:`job_request` records a Job row (queued) in the caller's
  transaction, and sends its message once that commits. The queued row is the outbox:
  a request finding a job of the same kind still queued folds into it (its accounts join
  that job's), so a burst of ingests, or an ingest and the onboarding recompute it
  wakes, is one run; and a message the broker did not take (it was away) or lost is sent
  again by the beat (:func:`jobs_recover`), so an outage delays work and never loses it.
* **claim** — queued → running with a conditional update, counting ``attempts``. A full
  job also takes the one-full-job-per-kind lock (a partial unique index) and stands down
  as skipped when another holds it.
* **chunks** — the claimed job is cut into ID ranges (``chunk_size``), each a JobChunk
  row that any worker on any machine takes: claimed queued → running (committed), its
  results written and the chunk marked done in one transaction by the claim that holds
  it, so a redelivered task finds it taken and a failed one rolls back and is retried.
* **heartbeat** — while a worker plans a job or computes a chunk, a thread beside it
  moves the row's ``heartbeat_at`` every ``JOB_HEARTBEAT_SECONDS`` (``core.heartbeat``).
* **recover** — every minute the beat runs :func:`jobs_recover`: a running chunk (or an
  unplanned running job) whose heartbeat is older than ``JOB_STALE_SECONDS`` lost its
  worker; it goes back to the queue and to the broker, or, after ``JOB_MAX_ATTEMPTS``
  claims, fails with the reason. Queued rows that no worker took within
  ``JOB_RESEND_SECONDS`` are sent again. A killed worker costs about two minutes.
* **finish** — the chunk that brings ``chunks_done`` to ``chunks_total`` closes the job,
  exactly once, as succeeded or failed (the reaper closes one whose last chunk's worker
  died between its commit and the close).

The pages (the recompute jobs list) and the management commands read the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Func, IntegerField, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.functional import Promise

from core import i18n
from core.heartbeat import heartbeat
from core.models import Job, JobChunk
from core.queue import queue_task, queue_task_on_commit

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
    #: For a kind whose answer is read from the job (a preview, a report) rather than
    #: written to tables: each chunk's ``job.result`` is kept on the chunk, and this
    #: combines them (in chunk order) into the job's result when the last one is done.
    merge: Callable[[Job, list[dict[str, Any]]], dict[str, Any]] | None = None


@dataclass(frozen=True)
class JobCause:
    """Who or what asked for a job: its kind (``Job.Cause``), the person whose action it
    follows (never alerted about their own action), and a whole sentence saying it
    (a ``core.i18n`` deferred text, "It changed after Ana set the sentiment to Red.")."""

    kind: str = ""
    actor_id: int | None = None
    text: dict[str, Any] = field(default_factory=dict)

    def fields(self) -> dict[str, Any]:
        return {"cause": self.kind, "cause_actor_id": self.actor_id, "cause_text": self.text}

    @classmethod
    def of(cls, job: Job) -> JobCause:
        return cls(kind=job.cause, actor_id=job.cause_actor_id, text=job.cause_text or {})


NO_CAUSE = JobCause()


def cause_scheduled() -> JobCause:
    """The beat's nightly run of every account."""
    return JobCause(
        Job.Cause.SCHEDULED, None, i18n.deferred("It changed in the nightly recompute.")
    )


def cause_tracking() -> JobCause:
    """Events or traits sent to the tracking API."""
    return JobCause(
        Job.Cause.TRACKING, None, i18n.deferred("It changed after new events were tracked.")
    )


def cause_import(*, import_id: int, kind: str | Promise, file_name: str = "") -> JobCause:
    """An import of a file or a REST bulk load. Nobody is spared its alerts: the data an
    import brings is news about the customer, also to whoever started it."""
    if file_name:
        text = i18n.deferred(
            "It changed after import #%(id)s (%(kind)s, %(file)s).",
            id=import_id,
            kind=kind,
            file=file_name,
        )
    else:
        text = i18n.deferred("It changed after import #%(id)s (%(kind)s).", id=import_id, kind=kind)
    return JobCause(Job.Cause.IMPORT, None, text)


def cause_action(*, actor_id: int, text: i18n.DeferredText) -> JobCause:
    """A person's own action (a sentiment, an override, a scorecard edit), said in
    ``text``: its recompute never alerts that person about it."""
    return JobCause(Job.Cause.ACTION, actor_id, text)


def cause_recompute(text: i18n.DeferredText) -> JobCause:
    """Another recompute whose result health reads (onboarding, say)."""
    return JobCause(Job.Cause.RECOMPUTE, None, text)


_kinds: dict[str, JobKind] = {}
#: Called once with each job that finished well (see :func:`on_job_succeeded`).
_on_succeeded: list[Callable[[Job], None]] = []


def register_job_kind(kind: JobKind) -> None:
    _kinds[kind.key] = kind


def job_kind(key: str) -> JobKind:
    return _kinds[key]


def job_kinds() -> list[JobKind]:
    return list(_kinds.values())


def on_job_succeeded(callback: Callable[[Job], None]) -> None:
    """Run ``callback(job)`` once when a job of any kind finishes as succeeded.

    For the apps above that act on a recompute's results (the plays' rules): the
    callback should only queue its own work (``core.queue.queue_task_on_commit``), as it
    runs in the worker that closed the job.
    """
    if callback not in _on_succeeded:
        _on_succeeded.append(callback)


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
    params: dict[str, Any] | None = None,
    cause: JobCause = NO_CAUSE,
) -> Job:
    """Record a job without queueing it (the caller runs it, or queues it with
    :func:`job_enqueue`)."""
    ids = _ids(account_ids)
    full = job_kind(kind).by_account and not ids
    return Job.objects.create(
        kind=kind,
        account_ids=ids,
        is_full=full,
        day=day,
        raise_alerts=raise_alerts,
        params=params or {},
        **cause.fields(),
    )


def job_enqueue(job: Job, *, countdown: float | None = None) -> None:
    """Send a recorded job to the workers once the caller's transaction commits (at
    once outside one); the beat sends it again if the broker did not take it."""
    queue_task_on_commit(
        "core.tasks.run_job",
        job_id=job.pk,
        countdown=countdown,
        on_sent=lambda: _mark_sent(Job.objects.filter(pk=job.pk)),
    )


@transaction.atomic
def job_request(
    kind: str,
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
    countdown: float | None = None,
    cause: JobCause = NO_CAUSE,
) -> Job:
    """Record a job and queue it once the row (and the caller's data) is committed; or
    fold the request into a job of the same kind, day and alerting still queued.

    ``account_ids=None`` means every account. ``countdown`` holds the task back for a
    while, so that the requests of a burst fold into the one job; a request for some
    accounts waits ``JOB_DEBOUNCE_SECONDS`` unless it says otherwise. That is what keeps
    a busy tracking source (a batch every few milliseconds, each asking to recompute its
    accounts) to one pending run per kind: every request until the run starts folds into
    it, the requests made while it runs fold into the next, and the burst's last data is
    scored at most the debounce and one run after it ends.

    Only requests of the same ``cause`` fold together: a job has one cause, which the
    alerts it raises name, and a person's action never hides inside a job that alerts
    them about it as if something else had happened.
    """
    ids = _ids(account_ids)
    if countdown is None and ids and job_kind(kind).by_account:
        countdown = settings.JOB_DEBOUNCE_SECONDS
    # Locked: a worker claiming the queued job waits for the fold to commit (and sees
    # the accounts it added), or claimed it first and the fold finds it no longer queued.
    pending = (
        Job.objects.select_for_update()
        .filter(kind=kind, status=Job.Status.QUEUED, day=day, raise_alerts=raise_alerts)
        .filter(**cause.fields())
        .order_by("requested_at", "pk")
        .first()
    )
    if pending is not None:
        if not pending.is_full and job_kind(kind).by_account:
            if not ids:
                pending.is_full, pending.account_ids = True, []
                pending.save(update_fields=["is_full", "account_ids"])
            elif not set(ids) <= set(pending.account_ids):  # else: nothing to write
                pending.account_ids = sorted({*pending.account_ids, *ids})
                pending.save(update_fields=["account_ids"])
        return pending
    job = job_create(kind, account_ids=ids, day=day, raise_alerts=raise_alerts, cause=cause)
    if countdown:
        job.due_at = job.requested_at + timedelta(seconds=countdown)
        job.save(update_fields=["due_at"])
    job_enqueue(job, countdown=countdown)
    return job


def _mark_sent(rows: QuerySet[Any]) -> None:
    rows.update(sent_at=timezone.now())


def job_send(job_id: int) -> bool:
    """Send a queued job's message now; False (logged) when the broker is away."""
    sent = queue_task("core.tasks.run_job", job_id=job_id)
    if sent:
        _mark_sent(Job.objects.filter(pk=job_id))
    return sent


def chunk_send(chunk_id: int) -> bool:
    sent = queue_task("core.tasks.run_job_chunk", chunk_id=chunk_id)
    if sent:
        _mark_sent(JobChunk.objects.filter(pk=chunk_id))
    return sent


# --- Claiming and running ---------------------------------------------------------------


def _stale(now: datetime) -> datetime:
    """Heartbeats older than this were left by a worker that is gone."""
    return now - timedelta(seconds=settings.JOB_STALE_SECONDS)


def _claim(job_id: int) -> Job | None:
    """Queued → running. Also takes a running job that was never planned and whose
    worker is gone (a redelivered message when the reaper has not run)."""
    now = timezone.now()
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return None
    claimable = Q(status=Job.Status.QUEUED) | Q(
        status=Job.Status.RUNNING,
        chunks_total=0,
        heartbeat_at__lt=_stale(now),
        attempts__lt=settings.JOB_MAX_ATTEMPTS,
    )
    try:
        with transaction.atomic():
            claimed = Job.objects.filter(claimable, pk=job_id).update(
                status=Job.Status.RUNNING,
                started_at=now,
                heartbeat_at=now,
                attempts=F("attempts") + 1,
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
    with heartbeat(lambda: _beat_job(job.pk)):
        bounds = _chunk_bounds(job, kind)
        with transaction.atomic():
            chunks = JobChunk.objects.bulk_create(
                JobChunk(job=job, index=index, first_id=first, last_id=last)
                for index, (first, last) in enumerate(bounds)
            )
            total = len(kind.all_ids()) if job.is_full else len(job.account_ids)
            Job.objects.filter(pk=job.pk).update(
                chunks_total=len(chunks), accounts_total=total, heartbeat_at=timezone.now()
            )
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
        # Any worker on any machine takes any chunk. Even a one-chunk job goes through
        # the chunk task, whose retries on transient database errors then cover every
        # recompute the same way. The rows, not the broker, track completion: a chunk
        # the broker did not take is sent again by the reaper.
        for chunk in chunks:
            chunk_send(chunk.pk)
    job.refresh_from_db()
    return job


def _beat_job(job_id: int) -> None:
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())


def _beat_chunk(chunk: JobChunk) -> None:
    now = timezone.now()
    JobChunk.objects.filter(
        pk=chunk.pk, status=JobChunk.Status.RUNNING, attempts=chunk.attempts
    ).update(heartbeat_at=now)
    _beat_job(chunk.job_id)


def _chunk_claim(chunk_id: int) -> JobChunk | None:
    """Queued → running, committed; or a running chunk whose worker is gone (the
    broker's redelivery when the reaper has not run yet). Only while its job runs: the
    chunks of a canceled job are left undone."""
    now = timezone.now()
    claimable = Q(status=JobChunk.Status.QUEUED) | Q(
        status=JobChunk.Status.RUNNING,
        heartbeat_at__lt=_stale(now),
        attempts__lt=settings.JOB_MAX_ATTEMPTS,
    )
    claimed = JobChunk.objects.filter(
        claimable, pk=chunk_id, job__status=Job.Status.RUNNING
    ).update(status=JobChunk.Status.RUNNING, heartbeat_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return JobChunk.objects.select_related("job").get(pk=chunk_id)


def job_chunk_run(*, chunk_id: int) -> bool:
    """Compute one chunk. False when it is gone, or taken by another delivery.

    The results and "done" share one transaction, committed only while this claim still
    holds the chunk: a failure rolls the writes back and returns the chunk to the queue
    (the task retries it), and a worker the reaper gave up on writes nothing.
    """
    chunk = _chunk_claim(chunk_id)
    if chunk is None:
        return False
    job = chunk.job
    kind = job_kind(job.kind)
    try:
        with heartbeat(lambda: _beat_chunk(chunk)), transaction.atomic():
            job.result = {} if kind.merge else job.result
            written = kind.compute(job, chunk_scope(job, chunk))
            now = timezone.now()
            chunk_updates: dict[str, Any] = {"status": JobChunk.Status.DONE, "heartbeat_at": now}
            if kind.merge:
                chunk_updates["result"] = job.result
            done = JobChunk.objects.filter(
                pk=chunk_id, status=JobChunk.Status.RUNNING, attempts=chunk.attempts
            ).update(**chunk_updates)
            if not done:
                transaction.set_rollback(True)
                return False
            updates: dict[str, Any] = {
                "chunks_done": F("chunks_done") + 1,
                "accounts_processed": F("accounts_processed") + written,
                "heartbeat_at": now,
            }
            if job.result and not kind.merge:
                updates["result"] = job.result
            Job.objects.filter(pk=job.pk).update(**updates)
    except BaseException:
        JobChunk.objects.filter(
            pk=chunk_id, status=JobChunk.Status.RUNNING, attempts=chunk.attempts
        ).update(status=JobChunk.Status.QUEUED, sent_at=None)
        raise
    _finish_if_done(job.pk)
    return True


def job_chunk_fail(*, chunk_id: int, error: BaseException | str) -> None:
    """Record a chunk that will not be retried; the job finishes as failed."""
    message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    with transaction.atomic():
        failed = JobChunk.objects.filter(
            pk=chunk_id, status__in=[JobChunk.Status.QUEUED, JobChunk.Status.RUNNING]
        ).update(status=JobChunk.Status.FAILED, error=message)
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


def _merged(job_id: int) -> dict[str, Any]:
    """The job's result combined from its chunks' (kinds with ``merge`` only)."""
    job = Job.objects.get(pk=job_id)
    merge = job_kind(job.kind).merge
    if merge is None:
        return {}
    parts = list(
        JobChunk.objects.filter(job_id=job_id, status=JobChunk.Status.DONE)
        .order_by("index")
        .values_list("result", flat=True)
    )
    return {"result": merge(job, parts)}


def _finish_if_done(job_id: int) -> int:
    """The chunk that brings chunks_done to chunks_total closes the job, exactly once.

    A kind with ``merge`` gets its result combined first; two workers closing at once
    may both combine (the same chunks, the same answer), and one update wins."""
    finishing = Job.objects.filter(
        pk=job_id, status=Job.Status.RUNNING, chunks_done__gte=F("chunks_total")
    )
    failed = JobChunk.objects.filter(job_id=job_id, status=JobChunk.Status.FAILED).exists()
    updates: dict[str, Any] = {}
    if not failed and finishing.exists():
        try:
            updates = _merged(job_id)
        except Exception as exc:  # recorded on the job: its page shows why
            logger.exception("Combining the result of job %s failed", job_id)
            failed = True
            updates = {"error": f"{type(exc).__name__}: {exc}"}
    closed = finishing.update(
        status=Job.Status.FAILED if failed else Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        **updates,
    )
    if closed and not failed and _on_succeeded:
        # Only the close that changed the row gets here: the callbacks run once per job.
        job = Job.objects.get(pk=job_id)
        for callback in _on_succeeded:
            callback(job)
    return closed


def job_cancel(job_id: int) -> bool:
    """Stop a queued or running job: no further chunk of it is claimed, and a chunk
    already running finishes without closing it. False when it had already ended."""
    return bool(
        Job.objects.filter(pk=job_id, status__in=Job.ACTIVE_STATUSES).update(
            status=Job.Status.CANCELED, finished_at=timezone.now()
        )
    )


# --- Recovering from dead workers and a broker that was away ---------------------------


def _given_up(attempts: int) -> str:
    return (
        f"Abandoned: the worker running it stopped (no heartbeat for "
        f"{settings.JOB_STALE_SECONDS} s), {attempts} times; not tried again."
    )


def _due_for_resend(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.JOB_RESEND_SECONDS)


@dataclass
class Recovered:
    """What one pass of :func:`jobs_recover` did, for the log and tests."""

    requeued: int = 0
    failed: int = 0
    finished: int = 0
    sent: int = 0


def jobs_recover(now: datetime | None = None) -> Recovered:
    """The reaper and the outbox's sender, run by the beat every minute.

    * a running chunk whose heartbeat stopped goes back to the queue and is sent again,
      or fails with the reason after ``JOB_MAX_ATTEMPTS`` claims;
    * a running job that was never planned (its worker died between claim and plan)
      likewise; one whose chunks are all over but that nobody closed is closed;
    * queued jobs and chunks that no worker took within ``JOB_RESEND_SECONDS`` are
      sent again (a broker that was away, or lost its messages). A duplicate message is
      harmless: the claim takes a row once.

    Every change is a conditional update, so a worker finishing at the same moment, or
    a second reaper, wins or loses cleanly.
    """
    now = now or timezone.now()
    stale = _stale(now)
    done = Recovered()
    max_attempts = settings.JOB_MAX_ATTEMPTS

    dead_chunks = JobChunk.objects.filter(status=JobChunk.Status.RUNNING, heartbeat_at__lt=stale)
    for chunk in dead_chunks.only("pk", "attempts", "job_id"):
        if chunk.attempts >= max_attempts:
            job_chunk_fail(chunk_id=chunk.pk, error=_given_up(chunk.attempts))
            done.failed += 1
        elif dead_chunks.filter(pk=chunk.pk, attempts=chunk.attempts).update(
            status=JobChunk.Status.QUEUED, sent_at=None
        ):
            logger.warning("Recompute chunk %s lost its worker; queued again.", chunk.pk)
            done.requeued += 1
            done.sent += chunk_send(chunk.pk)

    dead_jobs = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=stale)
    for job in dead_jobs.filter(chunks_total=0).only("pk", "attempts"):
        if job.attempts >= max_attempts:
            updated = dead_jobs.filter(pk=job.pk, chunks_total=0).update(
                status=Job.Status.FAILED, error=_given_up(job.attempts), finished_at=now
            )
            done.failed += updated
        elif dead_jobs.filter(pk=job.pk, chunks_total=0).update(
            status=Job.Status.QUEUED, sent_at=None
        ):
            logger.warning("Recompute job %s lost its worker; queued again.", job.pk)
            done.requeued += 1
            done.sent += job_send(job.pk)
    for pk in dead_jobs.filter(chunks_total__gt=0).values_list("pk", flat=True):
        done.finished += _finish_if_done(pk)

    resend_before = _due_for_resend(now)
    unsent = Q(sent_at__isnull=True) | Q(sent_at__lt=resend_before)
    for pk in Job.objects.filter(
        unsent, status=Job.Status.QUEUED, due_at__lt=resend_before
    ).values_list("pk", flat=True):
        done.sent += job_send(pk)
    # A queued chunk of a job that is moving waits its turn behind its siblings; one of
    # a job nothing moved for a while, or never sent, is sent again.
    for pk in (
        JobChunk.objects.filter(status=JobChunk.Status.QUEUED, job__status=Job.Status.RUNNING)
        .filter(
            Q(sent_at__isnull=True)
            | Q(sent_at__lt=resend_before, job__heartbeat_at__lt=resend_before)
        )
        .values_list("pk", flat=True)
    ):
        done.sent += chunk_send(pk)
    return done


def oldest_pending(now: datetime | None = None) -> datetime | None:
    """When the longest-waiting due job became due: work no worker has taken yet."""
    now = now or timezone.now()
    first = (
        Job.objects.filter(status=Job.Status.QUEUED, due_at__lte=now)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    chunk = (
        JobChunk.objects.filter(status=JobChunk.Status.QUEUED, job__status=Job.Status.RUNNING)
        .order_by("job__started_at")
        .values_list("job__started_at", flat=True)
        .first()
    )
    return min((t for t in (first, chunk) if t is not None), default=None)


def job_now(
    kind: str,
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
    progress: Progress | None = None,
    cause: JobCause = NO_CAUSE,
) -> Job:
    """Create and run a job in this process (management commands, seeds, tests)."""
    job = job_create(kind, account_ids=account_ids, day=day, raise_alerts=raise_alerts, cause=cause)
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
def full_job_request(kind: str, *, cause: JobCause = NO_CAUSE) -> FullJobRequest:
    """Queue a job of every account (or the whole of a kind not per account) for today,
    unless one is already on its way: a second would only stand down against the lock."""
    pending = (
        Job.objects.filter(kind=kind, status__in=Job.ACTIVE_STATUSES, day=None)
        .filter(Q(is_full=True) | Q(account_ids=[]))
        .defer("account_ids")
        .first()
    )
    if pending is not None:
        if pending.status == Job.Status.QUEUED and pending.sent_at is None:
            # Recorded while the broker was away (or by a command that never sent it):
            # asking again is a good moment to send it, rather than wait for the beat.
            transaction.on_commit(lambda: job_send(pending.pk))
        return FullJobRequest(job=pending, queued=False)
    return FullJobRequest(job=job_request(kind, cause=cause), queued=True)
