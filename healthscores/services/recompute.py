"""Health recomputes: a kind of ``core.jobs`` job (the ``"health"`` kind).

Requesting, claiming, chunking and finishing are ``core.jobs``'s, the same for every
recompute; what is health's own is the chunk's work (:func:`compute_chunk`): score the
chunk's accounts for the job's day and store their snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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
        health_scope, job.day or today_utc(), raise_alerts=job.raise_alerts
    )


JOB_KIND = jobs.JobKind(
    key=KIND,
    label=_("Health"),
    compute=compute_chunk,
    all_ids=lambda: list(Account.objects.order_by("pk").values_list("pk", flat=True)),
    chunk_size=lambda: settings.HEALTH_CHUNK_SIZE,
)


def recompute_create(
    *, account_ids: Iterable[int] | None = None, day: date | None = None, raise_alerts: bool = True
) -> Job:
    return jobs.job_create(KIND, account_ids=account_ids, day=day, raise_alerts=raise_alerts)


def recompute_request(
    *, account_ids: Iterable[int] | None = None, day: date | None = None, raise_alerts: bool = True
) -> Job:
    """Record a health recompute and queue it once committed, or fold it into the one
    still queued (``core.jobs.job_request``). ``account_ids=None`` means every account
    (the nightly run)."""
    return jobs.job_request(KIND, account_ids=account_ids, day=day, raise_alerts=raise_alerts)


def recompute_now(
    *,
    account_ids: Iterable[int] | None = None,
    day: date | None = None,
    raise_alerts: bool = True,
    progress: Progress | None = None,
) -> Job:
    """Create and run a health recompute in this process (command, seeds, tests)."""
    return jobs.job_now(
        KIND, account_ids=account_ids, day=day, raise_alerts=raise_alerts, progress=progress
    )
