"""Onboarding demo data: a template with usage rules, and the journeys the cast gave the
recent accounts (``demo.services.accounts.cast``): fast ones, on-track ones, a late one (two
people share reports, first value wants three) and a stuck one (its data never got
connected). Their usage milestones are detected from the usage the activity demo made for
them; the kickoff call is checked off by hand. Accounts that started before the demo's
usage history get their milestones checked off by hand at realistic offsets, so the
cohort reports span many months."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from demo.services.accounts import cast_of, demo_accounts
from ttfv import services
from ttfv.models import Milestone, MilestoneProgress, Onboarding

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
    return OnboardingDemoSummary(onboardings=count, checked_off=len(checks))
