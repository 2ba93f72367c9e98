"""Writes of time to first value: recomputes, manual check-offs, start dates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Account, User
from ttfv import engine
from ttfv.models import Milestone, MilestoneProgress, Onboarding

#: Accounts per recompute step: bounds memory and lets the progress bar move.
CHUNK_SIZE = 5000

Progress = Callable[[int, int], None]


def today_utc() -> date:
    return datetime.now(UTC).date()


def onboarding_recompute(
    *,
    account_ids: Iterable[int] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    alerts: bool = True,
) -> int:
    """Recompute onboardings (default: every account) chunk by chunk; returns how many.

    Each chunk is its own transaction, idempotent: a rerun gives the same rows. Accounts
    whose status or first value moved get a health recompute, since TTFV is a measure.
    """
    from healthscores.services import recompute_request

    today = today or today_utc()
    ids = sorted({int(pk) for pk in account_ids}) if account_ids is not None else None
    all_ids = (
        ids
        if ids is not None
        else list(Account.objects.order_by("pk").values_list("pk", flat=True))
    )
    chunks = [all_ids[i : i + CHUNK_SIZE] for i in range(0, len(all_ids), CHUNK_SIZE)]
    templates = engine.load_templates()
    done = 0
    for index, chunk in enumerate(chunks, start=1):
        scope = Q(pk__gte=chunk[0], pk__lte=chunk[-1]) if ids is None else Q(pk__in=chunk)
        with transaction.atomic():
            result = engine.recompute_scope(scope, today=today, templates=templates, alerts=alerts)
            if result["changed"]:
                recompute_request(account_ids=result["changed"])
        done += result["accounts"]
        if progress:
            progress(index, len(chunks))
    return done


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
