"""Onboarding recomputes against the database: starts, rules over real rollups,
manual check-offs, statuses, backfill after a template change, alerts, health."""

from __future__ import annotations

from datetime import timedelta

import pytest

from healthscores.models import HealthSnapshot
from healthscores.services import recompute_now
from ingest.services.imports import import_records
from notifications.models import Alert
from tests.accounts.factories import AccountFactory, ContactFactory, DailyUsageFactory, UserFactory
from tests.healthscores.factories import DailyEventContactFactory
from ttfv import services
from ttfv.engine import default_template_ensure
from ttfv.models import Milestone, MilestoneProgress, Onboarding

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

TODAY = services.today_utc()


def days_ago(n):
    return TODAY - timedelta(days=n)


@pytest.fixture
def template():
    """The default template with a usage first-value rule: 3 reports by 2 people."""
    template = default_template_ensure()
    template.milestones.all().delete()
    template.milestones.create(name="Kickoff", position=0, target_offset_days=7, rule="manual")
    template.milestones.create(
        name="Reports shared", position=1, target_offset_days=30, rule="usage",
        event="report.shared", min_events=3, min_contacts=2, is_first_value=True,
    )  # fmt: skip
    return template


def onboarding(account) -> Onboarding:
    return Onboarding.objects.get(account=account)


def test_first_value_is_found_in_the_rollups_and_dated_by_the_data(template):
    account = AccountFactory(started_on=days_ago(40))
    alice, bob = ContactFactory.create_batch(2, account=account)
    DailyUsageFactory(account=account, day=days_ago(41), event="report.shared", event_count=9)
    DailyUsageFactory(account=account, day=days_ago(30), event="report.shared", event_count=2)
    DailyUsageFactory(account=account, day=days_ago(25), event="report.shared", event_count=1)
    DailyEventContactFactory(
        account=account, contact=alice, day=days_ago(30), event="report.shared"
    )
    DailyEventContactFactory(account=account, contact=bob, day=days_ago(20), event="report.shared")
    services.onboarding_recompute()
    row = onboarding(account)
    assert row.started_on == days_ago(40)
    assert row.first_value_on == days_ago(20)  # 3 events by day 25, the 2nd person on day 20
    assert (row.ttfv_days, row.status) == (20, "achieved")
    progress = MilestoneProgress.objects.get(account=account)
    assert progress.source == "auto"


def test_events_are_cut_at_the_start_on_utc_days(template):
    """An event at 23:30 UTC the day before the start does not count; 00:10 on it does."""
    start = days_ago(10)
    account = AccountFactory(started_on=start, external_id="TZ-1")
    template.milestones.filter(is_first_value=True).update(min_events=1, min_contacts=None)
    before = f"{(start - timedelta(days=1)).isoformat()}T23:30:00+00:00"
    import_records(
        kind="usage", source="api",
        records=[{"account_external_id": "TZ-1", "event": "report.shared", "occurred_at": before}],
    )  # fmt: skip
    services.onboarding_recompute(account_ids=[account.pk])
    assert onboarding(account).first_value_on is None
    in_berlin_still_the_day_before = f"{start.isoformat()}T00:10:00+00:00"
    import_records(
        kind="usage", source="api",
        records=[
            {"account_external_id": "TZ-1", "event": "report.shared",
             "occurred_at": in_berlin_still_the_day_before}
        ],
    )  # fmt: skip
    services.onboarding_recompute(account_ids=[account.pk])
    assert onboarding(account).first_value_on == start


def test_statuses_follow_the_days_since_the_start(template):
    cases = {
        "not_started": AccountFactory(started_on=None),
        "on_track": AccountFactory(started_on=days_ago(10)),
        "at_risk": AccountFactory(started_on=days_ago(50)),
        "late": AccountFactory(started_on=days_ago(61)),
    }
    services.onboarding_recompute()
    for expected, account in cases.items():
        assert onboarding(account).status == expected


def test_a_manual_check_off_sets_first_value_and_ttfv(template):
    csm = UserFactory(role="csm")
    account = AccountFactory(started_on=days_ago(70))
    template.milestones.filter(is_first_value=True).update(
        rule="manual", event="", min_events=None, min_contacts=None
    )
    first_value = template.milestones.get(is_first_value=True)
    services.onboarding_recompute()
    assert onboarding(account).status == "late"
    services.milestone_check(
        account=account, milestone=first_value, user=csm, achieved_on=days_ago(5)
    )
    row = onboarding(account)
    assert (row.first_value_on, row.ttfv_days, row.status) == (days_ago(5), 65, "achieved_late")
    services.milestone_uncheck(account=account, milestone=first_value)
    assert onboarding(account).status == "late"


def test_check_offs_are_validated(template):
    from django.core.exceptions import ValidationError

    csm = UserFactory(role="csm")
    account = AccountFactory(started_on=days_ago(10))
    kickoff = template.milestones.get(name="Kickoff")
    with pytest.raises(ValidationError, match="future"):
        services.milestone_check(
            account=account, milestone=kickoff, user=csm, achieved_on=TODAY + timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="started on"):
        services.milestone_check(
            account=account, milestone=kickoff, user=csm, achieved_on=days_ago(11)
        )
    other = Milestone.objects.create(
        template=type(template).objects.create(name="Other", plan="Other"),
        name="x", target_offset_days=1, rule="manual",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="not part"):
        services.milestone_check(account=account, milestone=other, user=csm)


def test_a_manual_start_wins_over_the_contract_start(template):
    account = AccountFactory(started_on=days_ago(90))
    services.onboarding_start_set(account=account, started_on=days_ago(5))
    services.onboarding_recompute()
    assert onboarding(account).started_on == days_ago(5)
    assert onboarding(account).status == "on_track"
    with pytest.raises(Exception, match="future"):
        services.onboarding_start_set(account=account, started_on=TODAY + timedelta(days=2))


def test_a_template_change_backfills_the_day_it_happened(template):
    account = AccountFactory(started_on=days_ago(60))
    DailyUsageFactory(account=account, day=days_ago(20), event="dashboard.created", event_count=1)
    services.onboarding_recompute()
    assert onboarding(account).first_value_on is None
    template.milestones.filter(is_first_value=True).update(
        event="dashboard.created", min_events=1, min_contacts=None
    )
    services.onboarding_recompute()
    assert onboarding(account).first_value_on == days_ago(20)  # not today


def test_plan_templates_win_over_segment_and_default(template):
    from ttfv.models import MilestoneTemplate

    by_plan = MilestoneTemplate.objects.create(name="Scale", plan="Scale", target_days=90)
    by_segment = MilestoneTemplate.objects.create(name="SMB", segment="SMB", target_days=30)
    both = AccountFactory(plan="Scale", segment="SMB", started_on=days_ago(40))
    segment_only = AccountFactory(plan="Starter", segment="SMB", started_on=days_ago(40))
    services.onboarding_recompute()
    assert (onboarding(both).template, onboarding(both).status) == (by_plan, "on_track")
    assert (onboarding(segment_only).template, onboarding(segment_only).status) == (
        by_segment,
        "late",
    )


def test_turning_at_risk_or_late_alerts_the_csm_once(
    template, django_capture_on_commit_callbacks, mailoutbox
):
    csm = UserFactory(role="csm")
    account = AccountFactory(started_on=days_ago(44), csm_owner=csm)
    services.onboarding_recompute(today=TODAY)  # baseline: on track, quiet
    with django_capture_on_commit_callbacks(execute=True):
        services.onboarding_recompute(today=TODAY + timedelta(days=1))  # day 45: at risk
        services.onboarding_recompute(today=TODAY + timedelta(days=1))
    alert = Alert.objects.get()
    assert (alert.recipient, alert.account) == (csm, account)
    assert "at risk" in alert.title
    assert len(mailoutbox) == 1


def test_the_first_computation_of_old_accounts_raises_no_alerts(template):
    AccountFactory(started_on=days_ago(400), csm_owner=UserFactory(role="csm"))
    services.onboarding_recompute()
    assert not Alert.objects.exists()


def test_recomputing_twice_gives_the_same_rows(template):
    accounts = [AccountFactory(started_on=days_ago(n)) for n in (5, 40, 70)]
    DailyUsageFactory(account=accounts[1], day=days_ago(3), event="report.shared", event_count=5)
    services.onboarding_recompute()
    columns = ("account_id", "started_on", "first_value_on", "ttfv_days", "status")
    first = list(Onboarding.objects.order_by("account_id").values_list(*columns))
    services.onboarding_recompute()
    assert list(Onboarding.objects.order_by("account_id").values_list(*columns)) == first


def test_late_onboarding_lowers_the_health_score_through_the_registry(template):
    on_time, late = AccountFactory(started_on=days_ago(10)), AccountFactory(started_on=days_ago(80))
    services.onboarding_recompute()
    recompute_now()
    assert HealthSnapshot.objects.get(account=on_time).components["ttfv"]["score"] == 100
    assert HealthSnapshot.objects.get(account=late).components["ttfv"]["score"] < 40
