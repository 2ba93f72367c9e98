"""Recompute jobs: requesting, claiming, chunking and finishing health recomputes.

A recompute is a RecomputeRun row queued after commit. Running it plans chunks of
accounts (RecomputeChunk rows) and fans them out to Celery as a group, so that every
worker shares a full run. Each chunk is claimed in the transaction that writes its
snapshots, and the run finishes when the last chunk reports in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from celery import group
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from accounts.models import Account
from core.tasks import queue_task_on_commit, task_named
from healthscores import engine
from healthscores.models import RecomputeChunk, RecomputeRun

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def today_utc() -> date:
    """Rollups are per UTC day, so "today" for health is the UTC date."""
    return datetime.now(UTC).date()


def recompute_create(
    *, account_ids: Iterable[int] | None = None, day: date | None = None, raise_alerts: bool = True
) -> RecomputeRun:
    ids = sorted({int(pk) for pk in account_ids or ()})
    return RecomputeRun.objects.create(
        account_ids=ids, is_full=not ids, day=day, raise_alerts=raise_alerts
    )


def recompute_request(
    *, account_ids: Iterable[int] | None = None, day: date | None = None, raise_alerts: bool = True
) -> RecomputeRun:
    """Record a recompute and queue it once the row (and the caller's data) is committed.

    ``account_ids=None`` means every account (the nightly run).
    """
    run = recompute_create(account_ids=account_ids, day=day, raise_alerts=raise_alerts)
    queue_task_on_commit("healthscores.tasks.recompute_health", run_id=run.pk)
    return run


def _release_abandoned_full_runs(now: datetime) -> None:
    """A worker killed mid-run leaves its full run "running" forever, holding the lock.
    No chunk can take longer than a task's time limit, so a run silent for longer than
    that is dead."""
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    RecomputeRun.objects.filter(
        is_full=True, status=RecomputeRun.Status.RUNNING, heartbeat_at__lt=now - limit
    ).update(
        status=RecomputeRun.Status.FAILED,
        error="Abandoned: no progress within a task time limit.",
        finished_at=now,
    )


def _claim(run_id: int) -> RecomputeRun | None:
    """Queued → running, once. A full run also takes the one-full-run lock (a partial
    unique index) and stands down as skipped when another full run holds it."""
    now = timezone.now()
    run = RecomputeRun.objects.filter(pk=run_id).first()
    if run is None or run.status != RecomputeRun.Status.QUEUED:
        return None
    if run.is_full:
        _release_abandoned_full_runs(now)
    try:
        with transaction.atomic():
            claimed = RecomputeRun.objects.filter(
                pk=run_id, status=RecomputeRun.Status.QUEUED
            ).update(status=RecomputeRun.Status.RUNNING, started_at=now, heartbeat_at=now)
    except IntegrityError:
        holder = RecomputeRun.objects.filter(
            is_full=True, status=RecomputeRun.Status.RUNNING
        ).first()
        RecomputeRun.objects.filter(pk=run_id, status=RecomputeRun.Status.QUEUED).update(
            status=RecomputeRun.Status.SKIPPED,
            error=f"Full recompute #{holder.pk if holder else '?'} was already running.",
            started_at=now,
            finished_at=now,
        )
        return None
    if not claimed:
        return None
    run.refresh_from_db()
    return run


def _chunk_bounds(run: RecomputeRun) -> list[tuple[int, int]]:
    """ID ranges of about HEALTH_CHUNK_SIZE accounts each, in ID order."""
    if run.is_full:
        ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = list(run.account_ids)
    size = settings.HEALTH_CHUNK_SIZE
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def _chunk_scope(run: RecomputeRun, chunk: RecomputeChunk) -> engine.Scope:
    if run.is_full:
        return engine.Scope(first_id=chunk.first_id, last_id=chunk.last_id)
    return engine.Scope(
        ids=tuple(pk for pk in run.account_ids if chunk.first_id <= pk <= chunk.last_id)
    )


def recompute_run(
    *, run_id: int, inline: bool = False, progress: Progress | None = None
) -> RecomputeRun | None:
    """Claim a queued recompute, plan its chunks and run or dispatch them.

    Returns None when the run is gone, already claimed, or stood down for a running full
    run. ``inline`` runs every chunk in this process (the management command and its
    progress bar); otherwise a single chunk runs here and more are queued to Celery.
    """
    run = _claim(run_id)
    if run is None:
        return None
    bounds = _chunk_bounds(run)
    with transaction.atomic():
        chunks = RecomputeChunk.objects.bulk_create(
            RecomputeChunk(run=run, index=index, first_id=first, last_id=last)
            for index, (first, last) in enumerate(bounds)
        )
        RecomputeRun.objects.filter(pk=run.pk).update(
            chunks_total=len(chunks),
            accounts_total=Account.objects.count() if run.is_full else len(run.account_ids),
        )
    if not chunks:
        _finish_if_done(run.pk)
    elif inline:
        for done, chunk in enumerate(chunks, start=1):
            try:
                recompute_chunk(chunk_id=chunk.pk)
            except Exception as exc:
                recompute_chunk_fail(chunk_id=chunk.pk, error=exc)
                raise
            if progress:
                progress(done, len(chunks))
    else:
        chunk_task = task_named("healthscores.tasks.recompute_health_chunk")
        # One Celery group: any worker on any machine takes any chunk. Even a one-chunk
        # run goes through the chunk task, whose retries on transient database errors
        # then cover every recompute the same way. The run row, not the group's result,
        # tracks completion, so no result backend is needed.
        group(chunk_task.s(chunk_id=chunk.pk) for chunk in chunks).apply_async()
    run.refresh_from_db()
    return run


def recompute_chunk(*, chunk_id: int) -> bool:
    """Compute one chunk. False when it is gone or another delivery already did it.

    The claim and the writes share one transaction: a failure rolls the claim back with
    the half-written snapshots, so a retry starts clean.
    """
    chunk = RecomputeChunk.objects.select_related("run").filter(pk=chunk_id).first()
    if chunk is None:
        return False
    run = chunk.run
    with transaction.atomic():
        claimed = RecomputeChunk.objects.filter(
            pk=chunk_id, status=RecomputeChunk.Status.QUEUED
        ).update(status=RecomputeChunk.Status.DONE)
        if not claimed:
            return False
        written = engine.recompute_scope(
            _chunk_scope(run, chunk), run.day or today_utc(), raise_alerts=run.raise_alerts
        )
        RecomputeRun.objects.filter(pk=run.pk).update(
            chunks_done=F("chunks_done") + 1,
            accounts_processed=F("accounts_processed") + written,
            heartbeat_at=timezone.now(),
        )
    _finish_if_done(run.pk)
    return True


def recompute_chunk_fail(*, chunk_id: int, error: BaseException) -> None:
    """Record a chunk that will not be retried; the run finishes as failed."""
    message = f"{type(error).__name__}: {error}"
    with transaction.atomic():
        failed = RecomputeChunk.objects.filter(
            pk=chunk_id, status=RecomputeChunk.Status.QUEUED
        ).update(status=RecomputeChunk.Status.FAILED, error=message)
        if not failed:
            return
        chunk = RecomputeChunk.objects.get(pk=chunk_id)
        RecomputeRun.objects.filter(pk=chunk.run_id).update(
            chunks_done=F("chunks_done") + 1,
            error=Concat(
                F("error"), Value(f"Chunk {chunk.index}: {message}\n", output_field=TextField())
            ),
            heartbeat_at=timezone.now(),
        )
    logger.error("Health recompute chunk %s failed: %s", chunk_id, message)
    _finish_if_done(chunk.run_id)


def _finish_if_done(run_id: int) -> None:
    """The chunk that brings chunks_done to chunks_total closes the run, exactly once."""
    failed = RecomputeChunk.objects.filter(
        run_id=run_id, status=RecomputeChunk.Status.FAILED
    ).exists()
    RecomputeRun.objects.filter(
        pk=run_id, status=RecomputeRun.Status.RUNNING, chunks_done__gte=F("chunks_total")
    ).update(
        status=RecomputeRun.Status.FAILED if failed else RecomputeRun.Status.SUCCEEDED,
        finished_at=timezone.now(),
    )


def recompute_now(
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
    progress: Progress | None = None,
) -> RecomputeRun:
    """Create and run a recompute in this process (management command, tests)."""
    run = recompute_create(account_ids=account_ids, day=day, raise_alerts=raise_alerts)
    recompute_run(run_id=run.pk, inline=True, progress=progress)
    run.refresh_from_db()
    return run
