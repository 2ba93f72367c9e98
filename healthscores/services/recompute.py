"""Health recomputes: a kind of ``core.jobs`` job (the ``"health"`` kind).

Requesting, claiming, chunking and finishing are ``core.jobs``'s, the same for every
recompute; what is health's own is the chunk's work (:func:`compute_chunk`): score the
chunk's accounts for the job's day and store their snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from core import jobs
from core.models import Job
from healthscores import engine

KIND = "health"
Progress = jobs.Progress
today_utc = jobs.today_utc


def compute_chunk(job: Job, scope: jobs.ChunkScope) -> int:
    """Score one chunk of accounts for the job's day; returns accounts written."""
    if scope.ids is not None:
        health_scope = engine.Scope(ids=scope.ids)
    else:
        health_scope = engine.Scope(first_id=scope.first_id, last_id=scope.last_id)
    return engine.recompute_scope(
        health_scope,
        job.day or today_utc(),
        raise_alerts=job.raise_alerts,
        cause=jobs.JobCause.of(job),
    )


JOB_KIND = jobs.JobKind(
    key=KIND,
    label=_("Health"),
    compute=compute_chunk,
    all_ids=lambda: list(Account.objects.order_by("pk").values_list("pk", flat=True)),
    chunk_size=lambda: settings.HEALTH_CHUNK_SIZE,
)


def recompute_create(
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
    cause: jobs.JobCause = jobs.NO_CAUSE,
) -> Job:
    return jobs.job_create(
        KIND, account_ids=account_ids, day=day, raise_alerts=raise_alerts, cause=cause
    )


def recompute_request(
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
    cause: jobs.JobCause = jobs.NO_CAUSE,
) -> Job:
    """Record a health recompute and queue it once committed, or fold it into the one
    of the same cause still queued (``core.jobs.job_request``). ``account_ids=None``
    means every account (the nightly run). ``cause`` is named by the alerts it raises."""
    return jobs.job_request(
        KIND, account_ids=account_ids, day=day, raise_alerts=raise_alerts, cause=cause
    )


def recompute_now(
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
    progress: Progress | None = None,
    cause: jobs.JobCause = jobs.NO_CAUSE,
) -> Job:
    """Create and run a health recompute in this process (command, seeds, tests)."""
    return jobs.job_now(
        KIND,
        account_ids=account_ids,
        day=day,
        raise_alerts=raise_alerts,
        progress=progress,
        cause=cause,
    )


def recompute_history(*, account_ids: Iterable[int], days: int, today: date | None = None) -> None:
    """Rewrite the last ``days`` days of health of these accounts from the data as it is
    now, oldest first (a seeded or imported history). Past days go straight through the
    engine, quietly, with the scorecards read once and no job rows per day: that is what
    each chunk of a job does, and a long backfill is mostly this loop. Today's recompute
    then raises the alerts for drops since yesterday, as the nightly run would."""
    today = today or today_utc()
    ids = sorted({int(pk) for pk in account_ids})
    scope = engine.Scope(ids=tuple(ids))
    scorecards = engine.load_scorecards()
    for back in range(days - 1, 0, -1):
        engine.recompute_scope(
            scope, today - timedelta(days=back), raise_alerts=False, scorecards=scorecards
        )
    recompute_now(account_ids=ids, day=today)
