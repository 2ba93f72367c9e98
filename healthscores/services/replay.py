"""Previewing a scorecard draft as a job: today's band moves and the replay of past
renewals, computed by workers while the editor polls.

At 100,000 accounts scoring today's data twice outlasts a web request, so the preview is
a ``core.jobs`` job of its own kind (``"scorecard_replay"``). Its chunks are the
scorecard's accounts, a few thousand at a time (``HEALTH_CHUNK_SIZE``), on any worker:
each scores its accounts for today with the draft and as saved
(``scorecards.preview_chunk``), and replays the draft over its accounts' renewals from
the raw values stored in their snapshots (``backtest.replay``); only the chunk's band
moves and renewal rows are kept on the chunk. When the last chunk is done,
:func:`merge_chunks` adds the counts up and runs the backtest of the saved scorecard
and of the draft over every replayed renewal. Memory is bounded by the chunk, not by
the number of accounts.

The job is its own cache: a request for the same draft of the same saved version, the
same day and the same data (``selectors.backtest.backtest_data_version``: the outcomes
and the latest recompute) returns the job already asked for, running or finished, so a
second click, a second admin or a retried request costs nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import timedelta
from typing import Any

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import jobs
from core.models import Job
from healthscores import preview
from healthscores.backtest import DEFAULT_HORIZON, Backtest, backtest, replay
from healthscores.models import Scorecard
from healthscores.selectors.backtest import backtest_data_version, backtest_rows
from healthscores.selectors.replay import KIND
from healthscores.services.recompute import today_utc
from healthscores.services.scorecards import (
    ScorecardDraft,
    draft_apply,
    draft_from_json,
    preview_chunk,
    scorecard_accounts,
)

#: The replay looks at the renewals of this many days before today.
REPLAY_DAYS = 365
#: Advisory lock namespace of replay requests ("RPLY"): two identical requests at once
#: wait for each other, so that the second finds the first's job instead of adding one.
REQUEST_LOCK_NAMESPACE = 0x52504C59
#: Columns a chunk keeps per replayed renewal: what the two backtests need.
RENEWAL_COLUMNS = (
    "account_id", "renewed_on", "outcome", "band", "score", "draft_band", "draft_score",
)  # fmt: skip
#: Figures of a backtest the editor shows beside each other.
FIGURES = (
    "outcomes",
    "churned",
    "auc",
    "precision_red",
    "recall_red",
    "precision_red_yellow",
    "recall_red_yellow",
    "lift_red",
)


def _chunk_compute(job: Job, scope: jobs.ChunkScope) -> int:
    """One chunk: the band moves of its accounts today, and its renewals replayed."""
    params = job.params
    scorecard_id = int(params["scorecard_id"])
    draft = draft_from_json(params["draft"])
    config = draft.config(scorecard_id=scorecard_id, version=int(params["version"]) + 1)
    ids = scope.ids or ()
    comparison = preview_chunk(
        scorecard_id=scorecard_id,
        config=config,
        ids=ids,
        day=job.day or today_utc(),
    )
    rows = backtest_rows(
        start=pd.Timestamp(params["start"]).date(),
        end=pd.Timestamp(params["end"]).date(),
        horizon=int(params["horizon"]),
        account_ids=ids,
        scorecard_id=scorecard_id,
    )
    replayed = replay(rows, config)
    renewals = pd.DataFrame(
        {
            "account_id": rows["account_id"].astype("int64"),
            "renewed_on": rows["renewed_on"].astype(str),
            "outcome": rows["outcome"],
            "band": rows["band"],
            "score": rows["score"],
            "draft_band": replayed["band"],
            "draft_score": replayed["score"],
        },
        columns=list(RENEWAL_COLUMNS),
    )
    job.result = {
        "preview": preview.comparison_json(comparison),
        # NaN is not JSON: a score that was not computed travels as null.
        "renewals": renewals.astype(object).where(renewals.notna(), None).to_numpy().tolist(),
    }
    return len(ids)


def _figures(report: Backtest) -> dict[str, Any]:
    return {name: getattr(report, name) for name in FIGURES}


def merge_chunks(job: Job, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The job's result from its chunks': the summed band moves of today, and the
    backtest of the saved scorecard beside the draft's over every replayed renewal."""
    comparison = preview.merge(part["preview"] for part in parts)
    renewals = pd.DataFrame(
        [row for part in parts for row in part["renewals"]], columns=list(RENEWAL_COLUMNS)
    )
    renewals["score"] = pd.to_numeric(renewals["score"], errors="coerce")
    renewals["draft_score"] = pd.to_numeric(renewals["draft_score"], errors="coerce")
    saved = renewals.drop(columns=["draft_band", "draft_score"])
    drafted = saved.assign(band=renewals["draft_band"], score=renewals["draft_score"])
    return {
        "preview": preview.comparison_json(comparison),
        "replay": {
            "current": _figures(backtest(saved)),
            "draft": _figures(backtest(drafted)),
            "start": job.params["start"],
            "end": job.params["end"],
            "horizon": job.params["horizon"],
        },
    }


JOB_KIND = jobs.JobKind(
    key=KIND,
    label=gettext_lazy("Scorecard preview"),
    compute=_chunk_compute,
    chunk_size=lambda: settings.HEALTH_CHUNK_SIZE,
    merge=merge_chunks,
)


def _request_key(params: dict[str, Any]) -> str:
    """What makes two requests the same: the draft, the scorecard's saved version, the
    day and period, and the version of the data the replay reads."""
    state = json.dumps(params, sort_keys=True, default=str) + backtest_data_version()
    return hashlib.sha256(state.encode()).hexdigest()


def _lock(key: str) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite serialises writers itself.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [REQUEST_LOCK_NAMESPACE, int(key[:7], 16)]
        )


def scorecard_replay_request(
    *, scorecard_id: int, draft: ScorecardDraft, user: User | AnonymousUser | None
) -> Job:
    """Queue the preview of ``draft`` (today's band moves and the replay of the last
    year's renewals, 60 days before each), or return the job already asked for with the
    same draft over the same data. Raises Scorecard.DoesNotExist, ValidationError.
    """
    scorecard = Scorecard.objects.get(pk=scorecard_id)
    draft_apply(copy.copy(scorecard), draft)  # the model's rules, on a throwaway copy
    today = today_utc()
    params: dict[str, Any] = {
        "scorecard_id": scorecard.pk,
        "version": scorecard.version,
        "draft": draft.as_json(segment=scorecard.segment),
        "start": (today - timedelta(days=REPLAY_DAYS)).isoformat(),
        "end": today.isoformat(),
        "horizon": DEFAULT_HORIZON,
    }
    key = _request_key({**params, "day": today.isoformat()})
    requester = user.pk if user is not None and user.is_authenticated else None
    with transaction.atomic():
        _lock(key)
        reusable = [Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.SUCCEEDED]
        existing = (
            Job.objects.filter(kind=KIND, params__key=key, status__in=reusable)
            .defer("account_ids")
            .order_by("-pk")
            .first()
        )
        if existing is not None:
            return existing
        ids = list(scorecard_accounts(scorecard).order_by("pk").values_list("pk", flat=True))
        if not ids:
            raise ValidationError(
                _("No account uses this scorecard yet, so there is nothing to preview.")
            )
        job = jobs.job_create(
            KIND,
            account_ids=ids,
            day=today,
            raise_alerts=False,
            params={**params, "key": key, "requested_by": requester},
        )
        jobs.job_enqueue(job)
    return job


def scorecard_replay_cancel(*, scorecard_id: int, job_id: int) -> bool:
    """Stop a preview still queued or running; False when it had already ended.
    Raises Job.DoesNotExist for a job that is not a preview of this scorecard."""
    job = Job.objects.only("pk").get(pk=job_id, kind=KIND, params__scorecard_id=scorecard_id)
    return jobs.job_cancel(job.pk)
