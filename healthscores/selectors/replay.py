"""The preview of a scorecard draft as the editor shows it: the job's progress while it
runs, its band moves and replayed backtest once it is done (``services.replay``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.models import Job
from healthscores import preview
from healthscores.models import Scorecard

KIND = "scorecard_replay"


@dataclass(frozen=True)
class Figures:
    """The headline figures of one backtest (``healthscores.backtest.Backtest``)."""

    outcomes: int
    churned: int
    auc: float | None
    precision_red: float | None
    recall_red: float | None
    precision_red_yellow: float | None
    recall_red_yellow: float | None
    lift_red: float | None


@dataclass(frozen=True)
class ReplayedBacktest:
    """The saved scorecard's backtest beside the draft's, over the same renewals."""

    current: Figures
    draft: Figures
    start: date
    end: date
    horizon: int


@dataclass(frozen=True)
class ScorecardReplay:
    scorecard: Scorecard
    job: Job
    #: Set once the job succeeded.
    comparison: preview.Comparison | None
    replayed: ReplayedBacktest | None

    @property
    def active(self) -> bool:
        return self.job.status in Job.ACTIVE_STATUSES


def _replayed(data: dict[str, Any]) -> ReplayedBacktest:
    return ReplayedBacktest(
        current=Figures(**data["current"]),
        draft=Figures(**data["draft"]),
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        horizon=int(data["horizon"]),
    )


def scorecard_replay(*, scorecard_id: int, job_id: int) -> ScorecardReplay:
    """The preview job ``job_id`` of this scorecard; two queries. Raises Job.DoesNotExist
    for any other job (another scorecard's, or a recompute), and for a scorecard that is
    gone."""
    scorecard = Scorecard.objects.filter(pk=scorecard_id).first()
    if scorecard is None:
        raise Job.DoesNotExist
    job = Job.objects.defer("account_ids").get(
        pk=job_id, kind=KIND, params__scorecard_id=scorecard_id
    )
    done = job.status == Job.Status.SUCCEEDED and bool(job.result)
    return ScorecardReplay(
        scorecard=scorecard,
        job=job,
        comparison=preview.from_json(job.result["preview"]) if done else None,
        replayed=_replayed(job.result["replay"]) if done else None,
    )
