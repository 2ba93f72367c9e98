"""The recompute engine against the database: raw values, snapshots, overrides,
divergence, trends, alerts and history, through the same services the tasks call."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import DailyEventContact, DailyUsage, Ticket
from healthscores import services
from healthscores.models import AccountHealth, HealthSnapshot, Scorecard
from notifications.models import Alert
from tests.accounts.factories import (
    AccountFactory,
    ContactFactory,
    DailyUsageFactory,
    SurveyResponseFactory,
    TicketFactory,
    UserFactory,
)
from tests.healthscores.factories import (
    DailyEventContactFactory,
    HealthOverrideFactory,
    SentimentFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

TODAY = services.today_utc()


def at(day, hour=12):
    return datetime.combine(day, time(hour), tzinfo=UTC)


def days_ago(n):
    return TODAY - timedelta(days=n)


def snapshot(account, day=TODAY) -> HealthSnapshot:
    return HealthSnapshot.objects.get(account=account, day=day)


def raw(account, measure, day=TODAY):
    return snapshot(account, day).components[measure]["raw"]


def set_key_events(*events):
    Scorecard.objects.filter(segment="").update(key_events=list(events))


def thriving(account, day=TODAY):
    """Data that scores green on the default scorecard."""
    contacts = ContactFactory.create_batch(8, account=account)
    for contact in contacts:
        DailyEventContactFactory(account=account, contact=contact, day=day)
    DailyUsageFactory(account=account, day=day, event_count=300)
    DailyUsageFactory(account=account, day=day - timedelta(days=40), event_count=200)
    SurveyResponseFactory(account=account, score=10, responded_at=at(day, 9))


def test_raw_values_read_each_window_and_its_edges():
    account = AccountFactory(licensed_seats=10)
    set_key_events("report.viewed", "export.created", "alert.set", "dashboard.shared")
    people = ContactFactory.create_batch(6, account=account)
    for person in people[:5]:
        DailyEventContactFactory(account=account, contact=person, day=days_ago(27))
    DailyEventContactFactory(account=account, contact=people[0], day=days_ago(3))
    DailyEventContactFactory(account=account, contact=people[5], day=days_ago(28))  # outside
    DailyUsageFactory(account=account, day=days_ago(29), event="report.viewed", event_count=60)
    DailyUsageFactory(account=account, day=days_ago(2), event="export.created", event_count=30)
    DailyUsageFactory(account=account, day=days_ago(30), event="alert.set", event_count=120)
    DailyUsageFactory(account=account, day=days_ago(59), event="alert.set", event_count=30)
    DailyUsageFactory(account=account, day=days_ago(60), event="alert.set", event_count=999)
    TicketFactory(account=account, priority=Ticket.Priority.URGENT, opened_at=at(days_ago(40)))
    TicketFactory(account=account, priority=Ticket.Priority.HIGH, opened_at=at(days_ago(2)))
    TicketFactory(
        account=account,
        priority=Ticket.Priority.HIGH,
        status=Ticket.Status.SOLVED,
        opened_at=at(days_ago(5)),
        solved_at=at(days_ago(4)),
    )
    TicketFactory(account=account, priority=Ticket.Priority.LOW, opened_at=at(days_ago(1)))
    SurveyResponseFactory(account=account, score=6, responded_at=at(days_ago(10)))
    SurveyResponseFactory(account=account, score=9, responded_at=at(days_ago(80)))
    SurveyResponseFactory(account=account, score=0, responded_at=at(days_ago(95)))  # outside
    SentimentFactory(account=account, value="yellow", set_at=at(days_ago(3)))

    services.recompute_now(account_ids=[account.pk])

    assert raw(account, "active_users") == 0.5  # 5 of 10 seats; day 28 is outside
    assert raw(account, "usage_trend") == 200 * (90 - 150) / 150 / 2  # -20%
    assert raw(account, "feature_breadth") == 0.5  # 2 of 4 key events in 30 days
    assert raw(account, "urgent_tickets") == 2  # the solved one and the low one do not count
    assert raw(account, "ticket_volume") == 0.3  # 3 opened in 30 days / 10 seats
    assert raw(account, "nps") == 7.5
    assert raw(account, "sentiment") == 1


def test_a_healthy_account_is_green_and_a_dormant_one_red():
    healthy, dormant = AccountFactory(licensed_seats=10), AccountFactory(licensed_seats=10)
    thriving(healthy)
    DailyUsageFactory(account=dormant, day=days_ago(45), event_count=400)
    TicketFactory.create_batch(4, account=dormant, priority=Ticket.Priority.URGENT)
    SurveyResponseFactory(account=dormant, score=3)

    services.recompute_now()

    assert AccountHealth.objects.get(account=healthy).band == "green"
    dormant_health = AccountHealth.objects.get(account=dormant)
    assert dormant_health.band == "red"
    assert snapshot(dormant).components["usage_trend"]["raw"] == -100


def test_an_account_without_any_data_is_insufficient_not_green():
    account = AccountFactory(licensed_seats=0)
    services.recompute_now(account_ids=[account.pk])
    snap = snapshot(account)
    assert snap.band == "grey"
    assert snap.missing_weight > 0.5
    assert snap.components["nps"]["missing"]


def test_tickets_are_counted_open_as_of_the_day_recomputed():
    account = AccountFactory()
    TicketFactory(
        account=account,
        priority=Ticket.Priority.URGENT,
        status=Ticket.Status.SOLVED,
        opened_at=at(days_ago(10)),
        solved_at=at(days_ago(3)),
    )
    services.recompute_now(account_ids=[account.pk], day=days_ago(5))
    services.recompute_now(account_ids=[account.pk])
    assert raw(account, "urgent_tickets", days_ago(5)) == 1
    assert raw(account, "urgent_tickets") == 0


def test_a_stale_sentiment_is_missing():
    account = AccountFactory()
    stale_after = Scorecard.objects.get(segment="").sentiment_stale_days
    SentimentFactory(account=account, value="red", set_at=at(days_ago(stale_after + 1)))
    services.recompute_now(account_ids=[account.pk])
    assert snapshot(account).components["sentiment"]["missing"]


def test_the_latest_sentiment_counts():
    account = AccountFactory()
    SentimentFactory(account=account, value="red", set_at=at(days_ago(5)))
    SentimentFactory(account=account, value="green", set_at=at(days_ago(1)))
    services.recompute_now(account_ids=[account.pk])
    assert raw(account, "sentiment") == 2


def test_accounts_of_a_segment_use_that_segments_scorecard():
    strict = Scorecard.objects.create(
        name="Enterprise", segment="Enterprise", red_below=99, green_from=100
    )
    strict.measures.create(kind="nps", weight=1, direction="higher", points=[[0, 0], [10, 100]])
    enterprise = AccountFactory(segment="Enterprise")
    other = AccountFactory(segment="SMB")
    for account in (enterprise, other):
        SurveyResponseFactory(account=account, score=9)
    services.recompute_now()
    assert snapshot(enterprise).scorecard == strict
    assert snapshot(enterprise).band == "red"
    assert list(snapshot(enterprise).components) == ["nps"]
    assert snapshot(other).scorecard.segment == ""


def test_an_override_sets_the_band_shown_and_keeps_the_computed_score():
    account = AccountFactory()
    DailyUsageFactory(account=account, day=days_ago(45), event_count=400)
    TicketFactory.create_batch(6, account=account, priority=Ticket.Priority.URGENT)
    HealthOverrideFactory(account=account, band="green", expires_on=TODAY)
    services.recompute_now(account_ids=[account.pk])
    health = AccountHealth.objects.get(account=account)
    assert (health.band, health.effective_band, health.is_override) == ("red", "green", True)
    assert health.score is not None
    assert snapshot(account).override_reason.startswith("Override reason")


def test_an_override_ends_at_its_expiry_or_when_ended_early():
    expired, ended = AccountFactory(), AccountFactory()
    HealthOverrideFactory(account=expired, starts_on=days_ago(10), expires_on=days_ago(1))
    HealthOverrideFactory(account=ended, starts_on=days_ago(10), ended_on=TODAY)
    services.recompute_now(account_ids=[expired.pk, ended.pk], day=days_ago(1))
    services.recompute_now(account_ids=[expired.pk, ended.pk])
    for account in (expired, ended):
        assert snapshot(account, days_ago(1)).override_band == "green"
        assert snapshot(account).override_band == ""
        assert not AccountHealth.objects.get(account=account).is_override


def test_divergence_when_sentiment_and_data_disagree():
    red_data, green_data = AccountFactory(licensed_seats=10), AccountFactory(licensed_seats=10)
    DailyUsageFactory(account=red_data, day=days_ago(45), event_count=400)
    TicketFactory.create_batch(6, account=red_data, priority=Ticket.Priority.URGENT)
    thriving(green_data)
    SentimentFactory(account=red_data, value="green")
    SentimentFactory(account=green_data, value="green")
    services.recompute_now()
    assert AccountHealth.objects.get(account=red_data).divergent
    assert not AccountHealth.objects.get(account=green_data).divergent


def test_trends_compare_with_the_snapshots_of_7_and_30_days_before():
    account = AccountFactory(licensed_seats=10)
    thriving(account, day=days_ago(30))
    services.recompute_now(account_ids=[account.pk], day=days_ago(30))
    services.recompute_now(account_ids=[account.pk], day=days_ago(7))
    services.recompute_now(account_ids=[account.pk])
    health = AccountHealth.objects.get(account=account)
    assert health.score_30d_ago == snapshot(account, days_ago(30)).score
    assert health.score_7d_ago == snapshot(account, days_ago(7)).score
    assert health.trend_30d == pytest.approx(health.score - health.score_30d_ago)


def test_current_health_never_moves_back_to_an_older_day():
    account = AccountFactory()
    services.recompute_now(account_ids=[account.pk])
    services.recompute_now(account_ids=[account.pk], day=days_ago(3))
    assert AccountHealth.objects.get(account=account).day == TODAY


def drop_to_red(account):
    """Green yesterday; today the account has gone quiet and is red."""
    thriving(account, day=days_ago(1))
    services.recompute_now(account_ids=[account.pk], day=days_ago(1))
    assert snapshot(account, days_ago(1)).band == "green"
    DailyEventContact.objects.filter(account=account).delete()
    DailyUsage.objects.filter(account=account, day=days_ago(1)).delete()
    TicketFactory.create_batch(6, account=account, priority=Ticket.Priority.URGENT)
    SentimentFactory(account=account, value="red")


def test_a_band_drop_alerts_the_owning_csm_once(mailoutbox, django_capture_on_commit_callbacks):
    csm = UserFactory(role="csm", email="owner@example.com")
    account = AccountFactory(csm_owner=csm, licensed_seats=10)
    drop_to_red(account)
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute_now(account_ids=[account.pk])
        services.recompute_now(account_ids=[account.pk])
        services.recompute_now()
    alert = Alert.objects.get()
    assert alert.recipient == csm
    assert alert.account == account
    assert alert.title == f"{account.name} dropped from Green to Red"
    assert alert.url.endswith(f"/accounts/{account.pk}/#health")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["owner@example.com"]


def test_no_alert_without_an_owner_or_when_backfilling():
    csm = UserFactory(role="csm")
    orphan, backfilled = AccountFactory(csm_owner=None), AccountFactory(csm_owner=csm)
    drop_to_red(orphan)
    drop_to_red(backfilled)
    services.recompute_now(account_ids=[orphan.pk])
    services.recompute_now(account_ids=[backfilled.pk], raise_alerts=False)
    assert snapshot(backfilled).band != "green"
    assert not Alert.objects.exists()


def test_a_rise_or_missing_data_does_not_alert():
    csm = UserFactory(role="csm")
    account = AccountFactory(csm_owner=csm, licensed_seats=0)
    services.recompute_now(account_ids=[account.pk], day=days_ago(1))  # grey
    thriving(account)
    services.recompute_now(account_ids=[account.pk])
    assert not Alert.objects.exists()


def test_recomputing_a_day_twice_gives_the_same_rows():
    accounts = AccountFactory.create_batch(3, licensed_seats=10)
    thriving(accounts[0])
    SentimentFactory(account=accounts[1], value="red")

    def rows():
        return list(
            HealthSnapshot.objects.order_by("account_id").values_list(
                "account_id", "day", "score", "band", "components", "divergent"
            )
        )

    services.recompute_now()
    first = rows()
    services.recompute_now()
    assert rows() == first


def test_a_backfill_reproduces_the_history_of_nightly_runs():
    csm = UserFactory(role="csm")
    accounts = AccountFactory.create_batch(3, csm_owner=csm, licensed_seats=10)
    for offset in range(0, 12, 3):
        thriving(accounts[0], day=days_ago(offset))
    TicketFactory(
        account=accounts[1],
        priority="urgent",
        opened_at=at(days_ago(6)),
        status="solved",
        solved_at=at(days_ago(2)),
    )
    SentimentFactory(account=accounts[2], value="red", set_at=at(days_ago(4)))
    HealthOverrideFactory(account=accounts[2], starts_on=days_ago(3), expires_on=days_ago(1))
    for n in range(9, -1, -1):  # the nightly runs, one per day
        services.recompute_now(day=days_ago(n))
    columns = ("account_id", "day", "score", "band", "components", "override_band", "divergent")
    nightly = list(HealthSnapshot.objects.order_by("account_id", "day").values_list(*columns))
    current = list(
        AccountHealth.objects.order_by("account_id").values_list("score", "score_7d_ago")
    )
    HealthSnapshot.objects.all().delete()
    AccountHealth.objects.all().delete()

    call_command("recompute_health", "--backfill", "10", stdout=StringIO())

    assert (
        list(HealthSnapshot.objects.order_by("account_id", "day").values_list(*columns)) == nightly
    )
    assert (
        list(AccountHealth.objects.order_by("account_id").values_list("score", "score_7d_ago"))
        == current
    )


def test_the_command_checks_its_arguments():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="future"):
        call_command("recompute_health", "--day", (TODAY + timedelta(days=1)).isoformat())
    with pytest.raises(CommandError, match="not a date"):
        call_command("recompute_health", "--day", "yesterday")
