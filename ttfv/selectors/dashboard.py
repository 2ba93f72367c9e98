"""Reads of the onboarding dashboard: which accounts are onboarding, how far each got.

"In onboarding" means no first value yet (any open status, not started included so that
accounts without a start date are seen and fixed), or first value reached in the last
RECENTLY_ACHIEVED_DAYS days, so a win stays visible for a month before it drops off.

The page costs a fixed number of queries whatever its size: one count, one page of
accounts (with onboarding, template and CSM joined), one for the milestones of the
templates on the page, one for their progress, one for the status counts and two for the
filter choices.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Func, IntegerField, Q, QuerySet

from accounts.models import Account, User
from ttfv import progress
from ttfv.models import Milestone, MilestoneProgress, Onboarding

RECENTLY_ACHIEVED_DAYS = 30

#: Sort keys of the dashboard, the first is the default.
SORTS = ("urgent", "relaxed", "name", "start")


class TargetDay(Func):
    """The onboarding's target day as a day number (start + target days), for sorting.

    Django cannot add an integer column of days to a date column portably, so each
    database gets its own spelling; only the order matters, not the epoch.
    """

    output_field = IntegerField()

    def __init__(self, started_on: str, target_days: str) -> None:
        super().__init__(F(started_on), F(target_days))

    def as_sql(self, compiler, connection, **extra_context):
        start, start_params = compiler.compile(self.source_expressions[0])
        days, days_params = compiler.compile(self.source_expressions[1])
        return f"(({start}) - DATE '2000-01-01') + ({days})", [*start_params, *days_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        start, start_params = compiler.compile(self.source_expressions[0])
        days, days_params = compiler.compile(self.source_expressions[1])
        return f"(CAST(julianday({start}) AS INTEGER) + ({days}))", [
            *start_params,
            *days_params,
        ]


def _in_onboarding(today: date) -> Q:
    recent = today - timedelta(days=RECENTLY_ACHIEVED_DAYS)
    return Q(onboarding__status__in=Onboarding.OPEN_STATUSES) | Q(
        onboarding__status__in=progress.ACHIEVED_STATUSES, onboarding__first_value_on__gte=recent
    )


def _scoped(*, user: User, today: date, csm_id: int | None, segment: str) -> QuerySet[Account]:
    accounts = Account.objects.visible_to(user).filter(_in_onboarding(today))
    if csm_id is not None:
        accounts = accounts.filter(csm_owner_id=csm_id)
    if segment:
        accounts = accounts.filter(segment=segment)
    return accounts


def onboarding_accounts(
    *,
    user: User,
    today: date,
    csm_id: int | None = None,
    segment: str = "",
    status: str = "",
    sort: str = "urgent",
) -> QuerySet[Account]:
    """Accounts in onboarding with their onboarding, template and CSM, filtered and sorted.

    "urgent" puts open onboardings first, the latest (fewest days left) on top, then the
    recent wins; "relaxed" is the reverse order of days left. Accounts without a start
    date have no target day and go last either way. Ties end on name and pk so that pages
    never overlap.
    """
    accounts = _scoped(user=user, today=today, csm_id=csm_id, segment=segment)
    if status:
        accounts = accounts.filter(onboarding__status=status)
    accounts = accounts.select_related("onboarding", "onboarding__template", "csm_owner").annotate(
        target_day=TargetDay("onboarding__started_on", "onboarding__target_days")
    )
    achieved = Q(onboarding__status__in=progress.ACHIEVED_STATUSES)
    if sort == "name":
        return accounts.order_by("name", "pk")
    if sort == "start":
        return accounts.order_by(F("onboarding__started_on").desc(nulls_last=True), "name", "pk")
    target = (
        F("target_day").desc(nulls_last=True)
        if sort == "relaxed"
        else F("target_day").asc(nulls_last=True)
    )
    return accounts.alias(done=achieved).order_by("done", target, "name", "pk")


@dataclass(frozen=True)
class Chip:
    """One milestone of one account, as the dashboard's compact row shows it."""

    name: str
    is_first_value: bool
    state: progress.MilestoneState


@dataclass(frozen=True)
class DashboardRow:
    account: Account
    onboarding: Onboarding
    days_left: int | None
    days_left_label: str
    status_badge: str
    chips: list[Chip]


def dashboard_rows(accounts: list[Account], *, today: date) -> list[DashboardRow]:
    """Milestone chips and days left for a page of accounts: two queries in all."""
    template_ids = {account.onboarding.template_id for account in accounts}
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in Milestone.objects.filter(template_id__in=template_ids).order_by(
        "template_id", "position", "pk"
    ):
        milestones[milestone.template_id].append(milestone)
    reached = {
        (account_id, milestone_id): achieved_on
        for account_id, milestone_id, achieved_on in MilestoneProgress.objects.filter(
            account_id__in=[account.pk for account in accounts]
        ).values_list("account_id", "milestone_id", "achieved_on")
    }
    rows = []
    for account in accounts:
        onboarding = account.onboarding
        left = progress.days_left(
            started_on=onboarding.started_on, target_days=onboarding.target_days, today=today
        )
        chips = [
            Chip(
                name=milestone.name,
                is_first_value=milestone.is_first_value,
                state=progress.milestone_state(
                    started_on=onboarding.started_on,
                    offset_days=milestone.target_offset_days,
                    achieved_on=reached.get((account.pk, milestone.pk)),
                    today=today,
                ),
            )
            for milestone in milestones[onboarding.template_id]
        ]
        rows.append(
            DashboardRow(
                account=account,
                onboarding=onboarding,
                days_left=left,
                days_left_label=progress.days_left_label(left),
                status_badge=progress.STATUS_BADGES[onboarding.status],
                chips=chips,
            )
        )
    return rows


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    badge: str


def status_counts(
    *, user: User, today: date, csm_id: int | None = None, segment: str = ""
) -> list[StatusCount]:
    """Accounts per status under the CSM and segment filters (not the status filter, so
    the counts double as the way to pick one), in status order, one query."""
    counts = dict(
        _scoped(user=user, today=today, csm_id=csm_id, segment=segment)
        .order_by()
        .values_list("onboarding__status")
        .annotate(n=Count("pk"))
        .values_list("onboarding__status", "n")
    )
    return [
        StatusCount(value, str(label), counts.get(value, 0), progress.STATUS_BADGES[value])
        for value, label in Onboarding.Status.choices
    ]


@dataclass(frozen=True)
class DashboardChoices:
    csms: list[tuple[int, str]]
    segments: list[str]


def dashboard_filter_choices(*, user: User) -> DashboardChoices:
    """The CSMs who own accounts and the segments in use: two small DISTINCT queries."""
    owners = (
        User.objects.filter(book__in=Account.objects.visible_to(user))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    segments = (
        Account.objects.visible_to(user)
        .exclude(segment="")
        .order_by("segment")
        .values_list("segment", flat=True)
        .distinct()
    )
    return DashboardChoices(
        csms=[(owner.pk, owner.get_full_name() or owner.username) for owner in owners],
        segments=list(segments),
    )
