"""Writes of time to first value: recomputes, manual check-offs, start dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, User
from core import jobs
from core.models import Job
from healthscores.services import recompute_request
from ttfv import engine
from ttfv.models import Milestone, MilestoneProgress, Onboarding

#: Accounts per recompute chunk: bounds memory and lets the progress bar move.
CHUNK_SIZE = 5000
KIND = "ttfv"

Progress = jobs.Progress
today_utc = jobs.today_utc


def compute_chunk(job: Job, scope: jobs.ChunkScope) -> int:
    """Recompute one chunk's onboardings for the job's day; returns how many. Accounts
    whose status or first value moved get a health recompute, since TTFV is a health
    measure: it folds into the health recompute already queued for them, if any."""
    if scope.ids is not None:
        accounts = Q(pk__in=scope.ids)
    else:
        accounts = Q(pk__gte=scope.first_id, pk__lte=scope.last_id)
    result = engine.recompute_scope(
        accounts,
        today=job.day or today_utc(),
        templates=engine.load_templates(),
        alerts=job.raise_alerts,
    )
    if result["changed"]:
        # The health job carries this job's cause (the import, the tracked events): it
        # is what moved the onboarding, and it folds with the health job it also woke.
        recompute_request(account_ids=result["changed"], cause=jobs.JobCause.of(job))
    return result["accounts"]


JOB_KIND = jobs.JobKind(
    key=KIND,
    label=gettext_lazy("Onboarding"),
    compute=compute_chunk,
    all_ids=lambda: list(Account.objects.order_by("pk").values_list("pk", flat=True)),
    chunk_size=lambda: CHUNK_SIZE,
)


def onboarding_recompute(
    *,
    account_ids: Iterable[int] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    alerts: bool = True,
) -> int:
    """Recompute onboardings (default: every account) in this process, chunk by chunk;
    returns how many. Each chunk is its own transaction, idempotent: a rerun gives the
    same rows."""
    job = jobs.job_now(
        KIND, account_ids=account_ids, day=today, raise_alerts=alerts, progress=progress
    )
    return job.accounts_processed


def onboarding_recompute_request(
    *, account_ids: Iterable[int] | None = None, cause: jobs.JobCause = jobs.NO_CAUSE
) -> Job:
    """Queue an onboarding recompute once committed, or fold it into the one of the same
    cause queued."""
    return jobs.job_request(KIND, account_ids=account_ids, cause=cause)


def _account_onboarding(account: Account) -> Onboarding:
    onboarding = Onboarding.objects.filter(account=account).select_related("template").first()
    if onboarding is None:
        onboarding_recompute(account_ids=[account.pk])
        onboarding = Onboarding.objects.select_related("template").get(account=account)
    return onboarding


@transaction.atomic
def milestone_check(
    *, account: Account, milestone: Milestone, user: User, achieved_on: date | None = None
) -> MilestoneProgress:
    """A CSM checks a milestone off (on a day, today by default) and the onboarding's
    status and TTFV follow at once."""
    onboarding = _account_onboarding(account)
    achieved_on = achieved_on or today_utc()
    if milestone.template_id != onboarding.template_id:
        raise ValidationError(_("This milestone is not part of the account's onboarding."))
    if achieved_on > today_utc():
        raise ValidationError({"achieved_on": _("A milestone cannot be reached in the future.")})
    if onboarding.started_on and achieved_on < onboarding.started_on:
        raise ValidationError(
            {"achieved_on": _("The onboarding started on %(start)s; pick that day or later.")
             % {"start": onboarding.started_on}}
        )  # fmt: skip
    progress, _created = MilestoneProgress.objects.update_or_create(
        account=account,
        milestone=milestone,
        defaults={
            "achieved_on": achieved_on,
            "source": MilestoneProgress.Source.MANUAL,
            "checked_by": user,
        },
    )
    onboarding_recompute(account_ids=[account.pk])
    return progress


@transaction.atomic
def milestone_uncheck(*, account: Account, milestone: Milestone) -> None:
    """Undo a manual check-off; a usage rule may then find the milestone again."""
    MilestoneProgress.objects.filter(
        account=account, milestone=milestone, source=MilestoneProgress.Source.MANUAL
    ).delete()
    onboarding_recompute(account_ids=[account.pk])


@transaction.atomic
def onboarding_start_set(*, account: Account, started_on: date | None) -> Onboarding:
    """Set the start by hand (``None`` goes back to the contract start)."""
    if started_on and started_on > today_utc():
        raise ValidationError({"started_on": _("The start date cannot be in the future.")})
    onboarding = _account_onboarding(account)
    onboarding.started_on = started_on
    onboarding.start_is_manual = started_on is not None
    onboarding.save(update_fields=["started_on", "start_is_manual"])
    onboarding_recompute(account_ids=[account.pk])
    onboarding.refresh_from_db()
    return onboarding
