"""Reads of one account's onboarding: the Customer 360 timeline and the API.

Three queries whatever the template's size: the onboarding with its template, the
template's milestones, and the account's progress with who checked each off. Nothing is
computed here: an account without an onboarding row yet says so, and a CSM asks for the
computation explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.shortcuts import get_object_or_404

from accounts.models import Account
from ttfv import progress
from ttfv.models import Milestone, MilestoneProgress, Onboarding


@dataclass(frozen=True)
class TimelineStep:
    milestone: Milestone
    #: None while the milestone is not reached.
    reached: MilestoneProgress | None
    state: progress.MilestoneState
    rule_summary: str

    @property
    def is_manual_check(self) -> bool:
        return self.reached is not None and self.reached.source == MilestoneProgress.Source.MANUAL


@dataclass(frozen=True)
class AccountOnboarding:
    account: Account
    #: None until the account's onboarding is first computed.
    onboarding: Onboarding | None
    steps: list[TimelineStep]
    days_left: int | None
    days_left_label: str
    status_badge: str
    today: date

    @property
    def is_achieved(self) -> bool:
        return self.onboarding is not None and self.onboarding.status in progress.ACHIEVED_STATUSES


def account_onboarding(*, account: Account, today: date) -> AccountOnboarding:
    onboarding = Onboarding.objects.filter(account=account).select_related("template").first()
    if onboarding is None:
        return AccountOnboarding(account, None, [], None, "", "", today)
    reached = {
        row.milestone_id: row
        for row in MilestoneProgress.objects.filter(account=account).select_related("checked_by")
    }
    steps = [
        TimelineStep(
            milestone=milestone,
            reached=reached.get(milestone.pk),
            state=progress.milestone_state(
                started_on=onboarding.started_on,
                offset_days=milestone.target_offset_days,
                achieved_on=reached[milestone.pk].achieved_on if milestone.pk in reached else None,
                today=today,
            ),
            rule_summary=progress.rule_summary(
                rule=milestone.rule,
                event=milestone.event,
                min_events=milestone.min_events,
                min_contacts=milestone.min_contacts,
            ),
        )
        for milestone in Milestone.objects.filter(template_id=onboarding.template_id).order_by(
            "position", "pk"
        )
    ]
    left = progress.days_left(
        started_on=onboarding.started_on, target_days=onboarding.target_days, today=today
    )
    return AccountOnboarding(
        account=account,
        onboarding=onboarding,
        steps=steps,
        days_left=left,
        days_left_label=progress.days_left_label(left),
        status_badge=progress.STATUS_BADGES[onboarding.status],
        today=today,
    )


def milestone_or_404(*, milestone_id: int) -> Milestone:
    """A milestone by id for a check-off; the service checks it is the account's."""
    return get_object_or_404(Milestone, pk=milestone_id)
