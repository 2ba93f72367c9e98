"""Onboarding journeys for the page and API tests: a template whose first value is
checked off by hand, and accounts at a chosen point of it.

Import the fixtures into a test module to use them (``from tests.ttfv.journeys import
manual_template``).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accounts.models import Account
from tests.accounts.factories import AccountFactory
from ttfv import services
from ttfv.engine import default_template_ensure
from ttfv.models import Milestone, MilestoneProgress, MilestoneTemplate

TODAY = services.today_utc()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.fixture
def manual_template(db) -> MilestoneTemplate:
    """The default template (target 60 days): Kickoff (manual, day 7), Data connected
    (usage, day 14), First value (manual, day 45, the first-value milestone)."""
    template = default_template_ensure()
    template.milestones.all().delete()
    template.milestones.create(name="Kickoff", position=0, target_offset_days=7, rule="manual")
    template.milestones.create(
        name="Data connected", position=1, target_offset_days=14, rule="usage",
        event="integration.synced", min_events=1,
    )  # fmt: skip
    template.milestones.create(
        name="First value", position=2, target_offset_days=45, rule="manual",
        is_first_value=True,
    )  # fmt: skip
    return template


def milestone(template: MilestoneTemplate, name: str) -> Milestone:
    return template.milestones.get(name=name)


def onboarding_account(
    template: MilestoneTemplate,
    *,
    started_days_ago: int | None,
    reached: dict[str, int] | None = None,
    **fields,
) -> Account:
    """An account started N days ago with milestones checked off ``{name: days ago}``.
    Call ``services.onboarding_recompute()`` once all accounts exist."""
    started_on = None if started_days_ago is None else days_ago(started_days_ago)
    account = AccountFactory(started_on=started_on, renews_on=None, **fields)
    for name, ago in (reached or {}).items():
        MilestoneProgress.objects.create(
            account=account,
            milestone=milestone(template, name),
            achieved_on=days_ago(ago),
            source=MilestoneProgress.Source.MANUAL,
        )
    return account
