"""Onboarding demo data: a template with usage rules, and the journeys the cast gave the
recent accounts (``demo.services.accounts.cast``): fast ones, on-track ones, a late one (two
people share reports, first value wants three) and a stuck one (its data never got
connected). Their usage milestones are detected from the usage the activity demo made for
them; the kickoff call is checked off by hand. Accounts that started before the demo's
usage history get their milestones checked off by hand at realistic offsets, so the
cohort reports span many months.

Some of the recent fast and on-track journeys were shown the in-app widget's nudge
toward first value the day after they started, so the guidance report has nudged
accounts to hold against the rest (the late and stuck ones among them), on any day."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from accounts.models import Account, Source, UsageEvent
from demo.cast import FAST, ON_TRACK, Part
from demo.services.accounts import cast_of, demo_accounts
from ttfv import services
from ttfv.models import Milestone, MilestoneProgress, Onboarding
from ttfv.selectors.guidance import NUDGE_SHOWN

MILESTONES = [
    # name, target day, rule, event, N, K, first value
    ("Kickoff call", 7, Milestone.Rule.MANUAL, "", None, None, False),
    ("Data connected", 14, Milestone.Rule.USAGE, "integration.synced", 1, None, False),
    ("First report shared", 45, Milestone.Rule.USAGE, "report.shared", 8, 3, True),
]


@dataclass(frozen=True)
class OnboardingDemoSummary:
    onboardings: int
    checked_off: int
    nudged: int = 0


@transaction.atomic
def seed_onboarding_demo(*, seed: int = 42) -> OnboardingDemoSummary:
    rng = random.Random(seed)
    today = services.today_utc()
    template = services.default_template_ensure()
    template.milestones.all().delete()
    milestones = [
        Milestone.objects.create(
            template=template,
            name=name,
            position=position,
            target_offset_days=day,
            rule=rule,
            event=event,
            min_events=n,
            min_contacts=k,
            is_first_value=first,
        )
        for position, (name, day, rule, event, n, k, first) in enumerate(MILESTONES)
    ]
    parts = cast_of(seed)
    accounts = list(demo_accounts().exclude(started_on=None))
    MilestoneProgress.objects.filter(account__in=accounts).delete()
    Onboarding.objects.filter(account__in=accounts).update(start_is_manual=False)
    checks = []
    for account in accounts:
        if parts[account.pk].journey:
            # A recent journey: the kickoff call by hand, the rest from its usage.
            checks.append((account, milestones[0], rng.randint(1, 5)))
            continue
        pace = rng.choice([0.5, 0.8, 1.0, 1.3, 1.9])  # fast … late
        for milestone in milestones:
            offset = int(milestone.target_offset_days * pace * rng.uniform(0.8, 1.2))
            checks.append((account, milestone, max(offset, 1)))
    MilestoneProgress.objects.bulk_create(
        MilestoneProgress(
            account=account,
            milestone=milestone,
            achieved_on=min(account.started_on + timedelta(days=offset), today),
            source=MilestoneProgress.Source.MANUAL,
            checked_by=account.csm_owner,
        )
        for account, milestone, offset in checks
    )
    count = services.onboarding_recompute(alerts=False)
    nudged = _seed_nudges(accounts, parts, milestones[-1], today)
    return OnboardingDemoSummary(onboardings=count, checked_off=len(checks), nudged=nudged)


def _seed_nudges(
    accounts: list[Account], parts: dict[int, Part], milestone: Milestone, today: date
) -> int:
    """Every other fast or on-track journey is nudged toward first value the day after
    its start, unless it was already there by then.

    Written as the widget's events directly rather than imported: no milestone or health
    measure reads them, and an import would announce the accounts again and queue a
    second round of recomputes in the middle of the seed.
    """
    UsageEvent.objects.filter(account__in=accounts, event=NUDGE_SHOWN).delete()
    reached: dict[int, date] = dict(
        MilestoneProgress.objects.filter(milestone=milestone, account__in=accounts).values_list(
            "account_id", "achieved_on"
        )
    )
    journeys = [account for account in accounts if parts[account.pk].journey in {FAST, ON_TRACK}]
    events = []
    for account in journeys[::2]:
        if account.started_on is None:
            continue
        day = min(account.started_on + timedelta(days=1), today)
        achieved = reached.get(account.pk)
        if achieved is not None and achieved < day:
            continue
        events.append(
            UsageEvent(
                account=account,
                event=NUDGE_SHOWN,
                occurred_at=datetime.combine(day, time(10), tzinfo=UTC),
                properties={"milestone": milestone.pk},
                source=Source.API,
                source_id=f"demo-nudge-{account.external_id}",
            )
        )
    UsageEvent.objects.bulk_create(events)
    return len(events)
