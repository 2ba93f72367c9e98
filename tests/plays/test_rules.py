"""The rules: each trigger at its edges, segments, the cool-down, idempotent starts
under a repeated or racing run, closing on recovery, and the run after a recompute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import SurveyResponse
from core.jobs import today_utc
from healthscores.models import AccountHealth, Band
from healthscores.services import override_set, recompute_now
from plays import services
from plays.models import Play, Rule, Task
from tests.accounts.factories import AccountFactory, DailyActivityFactory, SurveyResponseFactory
from tests.healthscores.factories import AccountHealthFactory
from tests.plays.factories import PlaybookFactory, RuleFactory
from tests.productrisk.factories import flag_with_accounts
from tests.ttfv.factories import OnboardingFactory

pytestmark = pytest.mark.django_db


def _played(rule: Rule) -> set[int]:
    return set(Play.objects.filter(rule=rule).values_list("account_id", flat=True))


def test_band_rule_starts_on_red_accounts_only(csm):
    rule = RuleFactory(trigger=Rule.Trigger.BAND, band=Rule.Band.RED)
    red = AccountHealthFactory(band=Band.RED, account__csm_owner=csm).account
    AccountHealthFactory(band=Band.YELLOW)
    AccountHealthFactory(band=Band.GREEN)
    outcome = services.rules_evaluate()
    assert outcome.started == 1
    assert _played(rule) == {red.pk}
    play = Play.objects.get(rule=rule)
    assert (play.band_at_start, play.state) == ("red", Play.State.ACTIVE)
    tasks = list(play.tasks.order_by("due_on"))
    assert [t.title for t in tasks] == ["Call the champion", "Agree a plan"]
    assert [t.owner for t in tasks] == [csm, csm]
    assert tasks[1].due_on == timezone.localdate() + timedelta(days=7)
    assert all(t.rule_id == rule.pk for t in tasks)


def test_yellow_or_red_and_overridden_bands_count():
    rule = RuleFactory(band=Rule.Band.YELLOW)
    yellow = AccountHealthFactory(band=Band.YELLOW).account
    overridden = AccountHealthFactory(band=Band.GREEN, effective_band=Band.RED).account
    AccountHealthFactory(band=Band.INSUFFICIENT)
    services.rules_evaluate()
    assert _played(rule) == {yellow.pk, overridden.pk}


def test_a_rule_run_twice_starts_nothing_twice():
    RuleFactory()
    AccountHealthFactory(band=Band.RED)
    first = services.rules_evaluate()
    second = services.rules_evaluate()
    assert (first.started, second.started) == (1, 0)
    assert Task.objects.count() == 2


def test_two_rules_on_one_playbook_start_one_play():
    playbook = PlaybookFactory()
    RuleFactory(playbook=playbook, band=Rule.Band.RED)
    RuleFactory(playbook=playbook, band=Rule.Band.YELLOW)
    AccountHealthFactory(band=Band.RED)
    assert services.rules_evaluate().started == 1


def test_at_most_once_per_account_in_the_cool_down(clock, csm):
    rule = RuleFactory(cooldown_days=30)
    health = AccountHealthFactory(band=Band.RED)
    services.rules_evaluate()
    play = Play.objects.get()
    for task in play.tasks.all():
        services.task_complete(actor=csm, task=task)
    clock.shift(timedelta(days=29))
    assert services.rules_evaluate().started == 0
    clock.shift(timedelta(days=2))
    assert services.rules_evaluate().started == 1
    assert Play.objects.filter(rule=rule, account=health.account).count() == 2


def test_segment_filter_and_disabled_rules():
    rule = RuleFactory(segment="Enterprise")
    enterprise = AccountHealthFactory(band=Band.RED, account__segment="Enterprise").account
    AccountHealthFactory(band=Band.RED, account__segment="SMB")
    RuleFactory(enabled=False, band=Rule.Band.YELLOW)
    services.rules_evaluate()
    assert _played(rule) == {enterprise.pk}
    assert Play.objects.count() == 1


def test_only_the_accounts_named_are_evaluated():
    rule = RuleFactory()
    one = AccountHealthFactory(band=Band.RED).account
    AccountHealthFactory(band=Band.RED)
    services.rules_evaluate(account_ids=[one.pk])
    assert _played(rule) == {one.pk}


@pytest.mark.parametrize(("score", "fires"), [(39.9, True), (40.0, False)])
def test_score_below_threshold_edge(score, fires):
    rule = RuleFactory(trigger=Rule.Trigger.SCORE_BELOW, threshold=40)
    AccountHealthFactory(score=score, band=Band.YELLOW)
    services.rules_evaluate()
    assert bool(_played(rule)) is fires


@pytest.mark.parametrize(
    ("days_out", "band", "fires"),
    [
        (0, Band.YELLOW, True),
        (60, Band.YELLOW, True),
        (61, Band.YELLOW, False),
        (-1, Band.YELLOW, False),
        (10, Band.GREEN, False),
        (10, None, True),
    ],
)
def test_renewal_window_while_not_green(days_out, band, fires):
    rule = RuleFactory(trigger=Rule.Trigger.RENEWAL, days=60)
    account = AccountFactory(renews_on=timezone.localdate() + timedelta(days=days_out))
    if band:
        AccountHealthFactory(account=account, band=band)
    services.rules_evaluate()
    assert bool(_played(rule)) is fires


@pytest.mark.parametrize(
    ("status", "fires"),
    [("at_risk", True), ("late", True), ("on_track", False), ("achieved", False)],
)
def test_onboarding_at_risk_or_late(status, fires):
    rule = RuleFactory(trigger=Rule.Trigger.ONBOARDING)
    OnboardingFactory(status=status)
    services.rules_evaluate()
    assert bool(_played(rule)) is fires


def test_open_product_risk_flag_blocks(account_a, account_b):
    rule = RuleFactory(trigger=Rule.Trigger.PRODUCT_RISK)
    flag_with_accounts([account_a])
    dismissed = flag_with_accounts([account_b])
    dismissed.status = "dismissed"
    dismissed.save()
    services.rules_evaluate()
    assert _played(rule) == {account_a.pk}


@pytest.mark.parametrize(
    ("score", "days_ago", "fires"), [(6, 29, True), (7, 1, False), (0, 31, False)]
)
def test_nps_detractor_in_the_window(score, days_ago, fires):
    rule = RuleFactory(trigger=Rule.Trigger.DETRACTOR, days=30)
    SurveyResponseFactory(
        kind=SurveyResponse.Kind.NPS,
        score=score,
        responded_at=timezone.now() - timedelta(days=days_ago),
    )
    services.rules_evaluate()
    assert bool(_played(rule)) is fires


@pytest.mark.parametrize(("last_use_days_ago", "fires"), [(13, False), (14, True), (None, True)])
def test_no_usage_for_n_days(last_use_days_ago, fires):
    rule = RuleFactory(trigger=Rule.Trigger.NO_USAGE, days=14)
    account = AccountFactory(started_on=timezone.localdate() - timedelta(days=100))
    if last_use_days_ago is not None:
        DailyActivityFactory(
            account=account, day=timezone.localdate() - timedelta(days=last_use_days_ago)
        )
    services.rules_evaluate()
    assert bool(_played(rule)) is fires


def test_a_young_contract_is_not_silent_yet():
    rule = RuleFactory(trigger=Rule.Trigger.NO_USAGE, days=14)
    AccountFactory(started_on=timezone.localdate() - timedelta(days=5))
    services.rules_evaluate()
    assert not _played(rule)


def test_recovery_closes_open_steps_unless_kept(csm):
    RuleFactory()
    health = AccountHealthFactory(band=Band.RED, account__csm_owner=csm)
    services.rules_evaluate()
    play = Play.objects.get()
    first, second = play.tasks.order_by("step__position")
    services.task_keep(actor=csm, task=second)
    AccountHealth.objects.filter(pk=health.pk).update(band=Band.YELLOW, effective_band=Band.YELLOW)
    assert services.rules_evaluate().resolved == 0  # yellow is not recovered
    AccountHealth.objects.filter(pk=health.pk).update(band=Band.GREEN, effective_band=Band.GREEN)
    assert services.rules_evaluate().resolved == 1
    play.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert play.state == Play.State.RESOLVED
    assert (first.status, second.status) == (Task.Status.SKIPPED, Task.Status.OPEN)
    assert first.skip_reason


def test_starting_by_hand_is_idempotent(csm, account_a):
    playbook = PlaybookFactory()
    play, created = services.play_start(actor=csm, playbook=playbook, account=account_a)
    again, created_again = services.play_start(actor=csm, playbook=playbook, account=account_a)
    assert (created, created_again, again.pk) == (True, False, play.pk)
    assert Task.objects.count() == 2


def test_a_health_recompute_runs_the_rules_after_it(
    csm, admin_user, django_capture_on_commit_callbacks
):
    """End to end through core.jobs: the recompute that turns the account red starts the
    play; running the same recompute again starts nothing more."""
    RuleFactory()
    account = AccountFactory(csm_owner=csm)
    override_set(
        account=account,
        band=Band.RED,
        reason="Champion left",
        expires_on=today_utc() + timedelta(days=10),
        set_by=admin_user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        recompute_now(account_ids=[account.pk])
    with django_capture_on_commit_callbacks(execute=True):
        recompute_now(account_ids=[account.pk])
    play = Play.objects.get(account=account)
    assert play.tasks.count() == 2
    assert play.tasks.first().owner == csm
