"""Product-risk flags: the recompute, what a PM does with a flag, and the editable rule.

Life of a flag (one per idea, ``ProductRisk.idea`` is one-to-one):

* **open** — created by the recompute when an idea's evidence satisfies the rule
  (:mod:`productrisk.rules`); created as **planned** right away if the idea is already
  planned or in progress. PMs are notified; so is each CSM whose accounts it touches.
* **acknowledged** — a PM saw it (:func:`risk_acknowledge`).
* **planned** — the idea is planned or in progress (a roadmap item carries it); set by
  :func:`risk_idea_status_sync`, which ``idea_status_change`` calls on every change.
* **resolved** — the idea shipped. Its evidence is frozen as it was at shipping, which is
  what the impact charts compare.
* **dismissed** — a PM decided it is not a risk, with a reason (:func:`risk_dismiss`);
  also automatic when the idea is declined or merged. The evidence at that moment is kept
  (``dismissed_accounts``/``dismissed_arr``): the recompute re-opens the flag only if it
  grows beyond that (more accounts, or more ARR) and the rule still fires — as a new
  *generation*, so everyone is to_tell again.

While a flag is open, acknowledged or planned, its numbers and evidence follow the data
every run, **even if the evidence falls below the rule**: a gap several accounts asked
for does not go away because one contact withdrew a vote; only shipping resolves it and
only a PM dismisses it. Ideas whose evidence never reached the rule get no flag.
"""

from __future__ import annotations

import logging
import time
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import jobs
from core.deferral import defer, deferring
from core.models import Job
from core.queue import queue_task
from core.sql import update_rows, upsert
from feedback.models import Idea, IdeaStatus
from feedback.services.demand import demand_store
from productrisk import rules
from productrisk.models import ProductRisk, RiskRule
from productrisk.services import evidence as risk_evidence

logger = logging.getLogger(__name__)

Status = ProductRisk.Status
ACTIVE = [s.value for s in ProductRisk.ACTIVE_STATUSES]
PLANNED_IDEA_STATUSES = (IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS)
OPEN_IDEA_STATUSES = (IdeaStatus.OPEN, IdeaStatus.UNDER_REVIEW)
RULE_PK = 1
#: Seconds between the first trigger and the recompute it queues.
DEBOUNCE_SECONDS = 60
#: Numbers copied from the rule's summary onto the flag row.
NUMBER_COLUMNS = [
    "accounts_affected",
    "arr_affected",
    "arr_at_risk",
    "red_accounts",
    "yellow_accounts",
    "renewing_accounts",
    "late_onboardings",
    "score",
    "severity",
]


# --- The rule ---------------------------------------------------------------------


def risk_rule() -> RiskRule:
    """The one rule row, created with the documented defaults on first use."""
    rule, _created = RiskRule.objects.get_or_create(pk=RULE_PK)
    return rule


def rule_fires(rule: RiskRule, *, accounts_affected: int, arr_affected: float) -> bool:
    """Whether ``rule`` opens a flag for this much demand (see ``productrisk.rules``)."""
    return bool(
        rules.fires(
            rules.Rule.of(rule), accounts_affected=accounts_affected, arr_affected=arr_affected
        )
    )


RULE_FIELDS = (
    "min_accounts",
    "arr_threshold",
    "renewal_window_days",
    "arr_reference",
    "medium_score",
    "high_score",
)


@transaction.atomic
def risk_rule_update(actor: User | None, **fields: object) -> RiskRule:
    """Change the rule; raises ValidationError (by field) on bad values, including a high
    score not above the medium one. The next recompute applies it."""
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown rule fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    rule = _locked_rule()
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.full_clean(exclude=["updated_by"])
    if int(rule.high_score) <= int(rule.medium_score):
        raise ValidationError(
            {"high_score": _("The score for high must be above the score for medium.")},
            code="score_order",
        )
    rule.updated_by = actor if getattr(actor, "pk", None) else None
    rule.save()
    return rule


# --- Recompute ----------------------------------------------------------------------


@dataclass
class RecomputeResult:
    ideas_with_evidence: int = 0
    evidence_pairs: int = 0
    opened: int = 0
    reopened: int = 0
    updated: int = 0
    evidence_inserted: int = 0
    evidence_updated: int = 0
    evidence_deleted: int = 0
    #: Ideas whose stored demand (IdeaDemand) was written (new or changed) or deleted.
    demand_written: int = 0
    demand_deleted: int = 0
    to_notify: int = 0
    #: Seconds per phase, for the logs and the benchmark.
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    def lap(self, phase: str, started: float) -> float:
        now = time.perf_counter()
        self.timings[phase] = round(now - started, 3)
        return now


def _locked_rule() -> RiskRule:
    """The rule row, locked until the run commits.

    Why a lock: two workers (an hourly beat run and a vote-triggered one) would both see
    "no flag for idea 7" and both insert one; the one-to-one index would then fail the
    second run after all its work. Holding the rule row FOR UPDATE makes runs take turns —
    the second one waits, then sees the first one's flags and only updates them. The
    rule editor takes the same lock, so a run never mixes two versions of the rule.
    """
    risk_rule()
    return RiskRule.objects.select_for_update().get(pk=RULE_PK)


def _sync_statuses(*, now: datetime, idea_ids: list[int] | None = None) -> int:
    """Make the flags follow their ideas' statuses (set-based, idempotent)."""
    flags = ProductRisk.objects.all()
    if idea_ids is not None:
        flags = flags.filter(idea_id__in=idea_ids)
    changed = flags.filter(status__in=ACTIVE, idea__status=IdeaStatus.SHIPPED).update(
        status=Status.RESOLVED, resolved_at=now
    )
    changed += flags.filter(
        status__in=[Status.OPEN, Status.ACKNOWLEDGED], idea__status__in=PLANNED_IDEA_STATUSES
    ).update(status=Status.PLANNED)
    # Un-planned or un-shipped (a PM moved the idea back): someone has looked at it.
    changed += flags.filter(
        status__in=[Status.PLANNED, Status.RESOLVED], idea__status__in=OPEN_IDEA_STATUSES
    ).update(
        status=Status.ACKNOWLEDGED,
        acknowledged_at=Coalesce(F("acknowledged_at"), now),
        resolved_at=None,
    )
    changed += flags.filter(status=Status.RESOLVED, idea__status__in=PLANNED_IDEA_STATUSES).update(
        status=Status.PLANNED, resolved_at=None
    )
    for idea_status, reason in (
        (IdeaStatus.DECLINED, _("The idea was declined.")),
        (IdeaStatus.MERGED, _("The idea was merged into another one.")),
    ):
        changed += flags.filter(status__in=ACTIVE, idea__status=idea_status).update(
            status=Status.DISMISSED,
            dismissed_reason=reason,
            dismissed_by=None,
            dismissed_at=now,
            dismissed_accounts=F("accounts_affected"),
            dismissed_arr=F("arr_affected"),
        )
    return changed


def risk_idea_status_sync(*, idea: Idea) -> None:
    """Called by ``idea_status_change``: shipped resolves the idea's flag, planned or in
    progress marks it planned, declined dismisses it. No-op for ideas without a flag."""
    _sync_statuses(now=timezone.now(), idea_ids=[idea.pk])


def _as_frame_numbers(summary: pd.DataFrame) -> pd.DataFrame:
    out = summary[NUMBER_COLUMNS].copy()
    out["arr_affected"] = out["arr_affected"].round(2)
    out["arr_at_risk"] = out["arr_at_risk"].round(2)
    return out


def _create_flags(summary: pd.DataFrame, idea_ids: np.ndarray, *, now: datetime) -> list[int]:
    """Insert one flag per idea in ``idea_ids`` (none exists: the rule lock holds) in one
    bulk statement; a first run over a large base opens thousands at once."""
    if len(idea_ids) == 0:
        return []
    planned = np.fromiter(
        Idea.objects.filter(status__in=PLANNED_IDEA_STATUSES).values_list("pk", flat=True),
        dtype="int64",
    )
    rows = _as_frame_numbers(summary.loc[idea_ids]).reset_index()
    rows["status"] = np.where(np.isin(idea_ids, planned), Status.PLANNED, Status.OPEN)
    rows["generation"] = 1
    rows["notified_severity"] = ""
    rows["dismissed_reason"] = ""
    rows["dismissed_accounts"] = 0
    rows["dismissed_arr"] = 0.0
    rows["opened_at"] = pd.Timestamp(now)
    rows["computed_at"] = pd.Timestamp(now)
    upsert(ProductRisk, rows, conflict=("idea_id",), update=["computed_at"])
    # Opened at this very instant: only the flags just created (re-openings come later).
    return list(ProductRisk.objects.filter(opened_at=now).values_list("pk", flat=True))


def _changed(left: pd.DataFrame, right: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Row-wise: does any of ``columns`` differ (money and scores compared to the cent)?"""
    differs = pd.Series(False, index=left.index)
    for column in columns:
        a, b = left[column], right[column]
        if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
            differs |= (a.astype("float64") - b.astype("float64")).abs().round(4) > 0.004
        else:
            differs |= a.astype(str) != b.astype(str)
    return differs


def _update_flags(
    flags: pd.DataFrame, summary: pd.DataFrame, rule: rules.Rule, *, now: datetime
) -> tuple[int, list[int], pd.DataFrame]:
    """New numbers on the live flags; re-open dismissed ones that grew. Returns how many
    changed, the re-opened ids, and the live flags with their new numbers."""
    live = flags.set_index("idea_id")
    fresh = _as_frame_numbers(summary).reindex(live.index)
    # A flag whose idea lost all its evidence keeps its row, with zero numbers.
    missing = fresh["accounts_affected"].isna()
    severity = fresh.pop("severity").astype(object).where(~missing, rules.LOW).astype(str)
    fresh = fresh.fillna(0)
    fresh["severity"] = severity
    fresh = fresh.astype(
        {
            "accounts_affected": "int64",
            "red_accounts": "int64",
            "yellow_accounts": "int64",
            "renewing_accounts": "int64",
            "late_onboardings": "int64",
            "arr_affected": "float64",
            "arr_at_risk": "float64",
            "score": "float64",
        }
    )
    changed = _changed(live[NUMBER_COLUMNS], fresh, NUMBER_COLUMNS)
    updates = fresh[changed].copy()
    updates.insert(0, "id", live.loc[changed, "risk_id"].astype("int64"))
    update_rows(ProductRisk, updates.reset_index(drop=True))

    fires = rules.fires(
        rule, accounts_affected=fresh["accounts_affected"], arr_affected=fresh["arr_affected"]
    )
    grew = (fresh["accounts_affected"] > live["dismissed_accounts"]) | (
        fresh["arr_affected"] > live["dismissed_arr"] + 0.004
    )
    reopen = (live["status"] == Status.DISMISSED) & fires & grew
    reopened = live.loc[reopen, "risk_id"].astype(int).tolist()
    if reopened:
        planned = live.loc[reopen, "idea_status"].isin(PLANNED_IDEA_STATUSES)
        for status, ids in (
            (Status.PLANNED, live.loc[reopen][planned]["risk_id"]),
            (Status.OPEN, live.loc[reopen][~planned]["risk_id"]),
        ):
            # Conditional: a PM who changed the flag meanwhile wins.
            ProductRisk.objects.filter(
                pk__in=ids.astype(int).tolist(), status=Status.DISMISSED
            ).update(
                status=status,
                generation=F("generation") + 1,
                notified_severity="",
                opened_at=now,
                acknowledged_at=None,
            )
    result = live.copy()
    result[NUMBER_COLUMNS] = fresh[NUMBER_COLUMNS]
    result.loc[reopen, "status"] = Status.OPEN
    result.loc[reopen, "notified_severity"] = ""
    return int(changed.sum()), reopened, result.reset_index()


def product_risk_recompute(*, today: date | None = None, notify: bool = True) -> RecomputeResult:
    """Recompute every flag from the votes, linked tickets, ARR, health, renewals and
    onboardings of today, and every idea's stored demand (``IdeaDemand``, what the
    triage page shows) from the same reads; idempotent (a second run changes no row but
    ``computed_at`` of flags and the rule's ``recomputed_at``) and atomic (a failed run
    leaves the previous state). Notifications go out after commit, from a task, for
    flags that opened, re-opened, rose in severity above what PMs were to_tell, or
    reached accounts of more CSMs. ``notify=False`` (the demo seed)
    records the flags as to_tell without telling anyone, so only later changes notify.
    """
    today = today or timezone.now().date()
    result = RecomputeResult()
    started = time.perf_counter()
    with transaction.atomic():
        rule = rules.Rule.of(_locked_rule())
        now = timezone.now()
        _sync_statuses(now=now)
        lap = result.lap("lock_and_sync", started)
        evidence = risk_evidence.evidence_stage(
            today=today, renewal_window_days=rule.renewal_window_days
        )
        lap = result.lap("read_evidence", lap)
        summary = rules.summarize(evidence, rule)
        lap = result.lap("summarize", lap)
        result.evidence_pairs = len(evidence)
        result.ideas_with_evidence = len(summary)

        flags = risk_evidence.flags_frame()
        closed = [s.value for s in risk_evidence.CLOSED_STATUSES]
        live_flags = flags[~flags["idea_status"].isin(closed)]
        candidates = summary.index[summary["fires"].to_numpy(bool)]
        new_ideas = candidates[~candidates.isin(flags["idea_id"])].to_numpy()
        created = _create_flags(summary, new_ideas, now=now)
        result.opened = len(created)
        lap = result.lap("create_flags", lap)

        result.updated, reopened, live = _update_flags(live_flags, summary, rule, now=now)
        result.reopened = len(reopened)
        ProductRisk.objects.exclude(idea__status__in=closed).update(computed_at=now)
        lap = result.lap("update_flags", lap)

        (
            result.evidence_inserted,
            result.evidence_updated,
            result.evidence_deleted,
            gained,
        ) = risk_evidence.evidence_store(staged_rows=len(evidence))
        lap = result.lap("write_evidence", lap)
        # The triage page's figures, from the same staged pairs (see feedback.services.demand).
        result.demand_written, result.demand_deleted = demand_store(
            staged=risk_evidence.STAGE,
            today=today,
            renewal_window_days=rule.renewal_window_days,
            now=now,
        )
        risk_evidence.evidence_unstage()
        RiskRule.objects.filter(pk=RULE_PK).update(recomputed_at=now)
        lap = result.lap("write_demand", lap)

        active = live["status"].isin(ACTIVE)
        severity_rose = live["severity"].map(rules.severity_rank) > live["notified_severity"].map(
            rules.severity_rank
        )
        to_tell = set(created) | set(reopened)
        to_tell |= set(live.loc[active & severity_rose, "risk_id"].astype(int).tolist())
        to_tell |= gained & set(live.loc[active, "risk_id"].astype(int).tolist())
        result.to_notify = len(to_tell)
        if to_tell and notify:
            ids = sorted(to_tell)
            transaction.on_commit(lambda: _queue_notifications(ids))
        elif to_tell:
            ProductRisk.objects.filter(pk__in=to_tell).update(notified_severity=F("severity"))
        commit_started = time.perf_counter()
    result.lap("commit", commit_started)
    result.lap("total", started)
    logger.info("Product risk recomputed: %s", result.as_dict())
    return result


def _queue_notifications(risk_ids: list[int]) -> None:
    queue_task("productrisk.tasks.notify_product_risks", risk_ids)


#: The deferral (``core.deferral``) a bulk writer holds per-change recomputes in.
HELD = "productrisk.recompute"
KIND = "productrisk"


def compute_job(job: Job, scope: jobs.ChunkScope) -> int:
    """A product-risk job's one chunk: the whole recompute, its figures kept on the job."""
    result = product_risk_recompute(today=job.day, notify=job.raise_alerts)
    job.result = result.as_dict()
    return result.ideas_with_evidence


JOB_KIND = jobs.JobKind(
    key=KIND, label=gettext_lazy("Product risk"), compute=compute_job, by_account=False
)


def product_risk_recompute_request(*, countdown: float | None = None) -> Job:
    """Queue a recompute once committed, or fold into the one already queued."""
    return jobs.job_request(KIND, countdown=countdown)


def product_risk_recompute_soon() -> bool:
    """Queue one recompute in a minute, unless one is queued already: a burst of votes
    or an ingest folds into one job (``core.jobs``), and changes made while it runs queue
    the next one. Returns whether this call queued a new job. Called in the transaction
    of the change, the job commits with it and is sent after."""
    if defer(HELD):
        return False
    pending = Job.objects.filter(kind=KIND, status=Job.Status.QUEUED).exists()
    job = product_risk_recompute_request(countdown=DEBOUNCE_SECONDS)
    return not pending and job.status == Job.Status.QUEUED


def product_risk_recompute_deferred() -> AbstractContextManager[None]:
    """Hold back the per-change recompute: a bulk writer (the demo seed) makes hundreds
    of votes and runs one recompute at the end instead of one per vote."""
    return deferring(HELD)


def product_risk_recompute_after_commit() -> None:
    """For services that change evidence (votes): debounce a recompute of the committed
    change. The job is recorded in the change's own transaction (the outbox: nothing is
    lost if the process or the broker goes away after the commit) and sent once it
    commits. A change made while recomputes are held back queues none."""
    if defer(HELD):
        return
    product_risk_recompute_soon()


# --- What a PM does with a flag -------------------------------------------------------


def _locked(risk: ProductRisk) -> ProductRisk:
    return ProductRisk.objects.select_for_update().get(pk=risk.pk)


def _refuse(risk: ProductRisk, action: str) -> ValidationError:
    return ValidationError(
        _("A %(status)s flag cannot be %(action)s.")
        % {"status": risk.get_status_display().lower(), "action": action},
        code="status",
    )


@transaction.atomic
def risk_acknowledge(risk: ProductRisk, actor: User | None) -> ProductRisk:
    """A PM has seen the flag: open → acknowledged. Repeating it is harmless."""
    risk = _locked(risk)
    if risk.status == Status.ACKNOWLEDGED:
        return risk
    if risk.status != Status.OPEN:
        raise _refuse(risk, _("acknowledged"))
    risk.status = Status.ACKNOWLEDGED
    risk.acknowledged_at = timezone.now()
    risk.save(update_fields=["status", "acknowledged_at"])
    return risk


@transaction.atomic
def risk_dismiss(risk: ProductRisk, actor: User | None, reason: str) -> ProductRisk:
    """Not a risk, for a stated reason. The evidence now is remembered: the flag comes
    back only if more accounts or more ARR stand behind the idea."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you dismiss this flag.")}, code="required")
    risk = _locked(risk)
    if risk.status not in ACTIVE:
        raise _refuse(risk, _("dismissed"))
    risk.status = Status.DISMISSED
    risk.dismissed_reason = reason
    risk.dismissed_by = actor if getattr(actor, "pk", None) else None
    risk.dismissed_at = timezone.now()
    risk.dismissed_accounts = risk.accounts_affected
    risk.dismissed_arr = risk.arr_affected
    risk.save(
        update_fields=[
            "status",
            "dismissed_reason",
            "dismissed_by",
            "dismissed_at",
            "dismissed_accounts",
            "dismissed_arr",
        ]
    )
    return risk


@transaction.atomic
def risk_reopen(risk: ProductRisk, actor: User | None) -> ProductRisk:
    """Back to open: undo a dismissal or an acknowledgement. A flag on a planned idea goes
    back to planned; a resolved flag stays resolved (its idea shipped)."""
    risk = _locked(risk)
    if risk.status in (Status.OPEN, Status.PLANNED):
        return risk
    if risk.status not in (Status.DISMISSED, Status.ACKNOWLEDGED):
        raise _refuse(risk, _("re-opened"))
    idea_status = Idea.objects.filter(pk=risk.idea_id).values_list("status", flat=True).first()
    if idea_status in risk_evidence.CLOSED_STATUSES:
        raise ValidationError(
            _("The idea is %(status)s: its flag cannot be re-opened.") % {"status": idea_status},
            code="idea_closed",
        )
    risk.status = Status.PLANNED if idea_status in PLANNED_IDEA_STATUSES else Status.OPEN
    risk.acknowledged_at = None
    risk.save(update_fields=["status", "acknowledged_at"])
    return risk
