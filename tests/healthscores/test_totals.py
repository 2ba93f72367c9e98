"""The per-day health totals stay equal to the scored snapshots they roll up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Sum

from healthscores import services
from healthscores.models import Band, DailyHealthTotal
from healthscores.selectors import health_totals_between, scored_snapshots
from healthscores.totals import health_totals_refresh
from tests.accounts.factories import AccountFactory
from tests.healthscores.factories import HealthSnapshotFactory, healthy_data, red_data

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def _counted(day):
    return scored_snapshots().filter(day=day).aggregate(s=Sum("score"), n=Count("score"))


def test_a_recompute_keeps_the_days_totals():
    today = services.today_utc()
    green, red = AccountFactory(licensed_seats=1), AccountFactory(licensed_seats=1)
    healthy_data(green, today)
    red_data(red, today)
    AccountFactory(licensed_seats=1)  # no data: grey, left out of the totals
    services.recompute_now(day=today)
    total = DailyHealthTotal.objects.get(day=today)
    counted = _counted(today)
    assert total.score_n == counted["n"] == 2
    assert total.score_sum == pytest.approx(counted["s"])
    # Recomputing the same day gives the same row.
    services.recompute_now(day=today)
    again = DailyHealthTotal.objects.get(day=today)
    assert (again.score_sum, again.score_n) == (total.score_sum, total.score_n)


def test_a_chunk_rewriting_some_accounts_recounts_the_whole_day():
    today = services.today_utc()
    first, second = AccountFactory(licensed_seats=1), AccountFactory(licensed_seats=1)
    healthy_data(first, today)
    healthy_data(second, today)
    services.recompute_now(account_ids=[first.pk], day=today)
    assert DailyHealthTotal.objects.get(day=today).score_n == 1
    services.recompute_now(account_ids=[second.pk], day=today)
    assert DailyHealthTotal.objects.get(day=today).score_n == 2


def test_refresh_leaves_out_grey_days_and_reads_ranges():
    today = services.today_utc()
    HealthSnapshotFactory(day=today, score=60.0)
    HealthSnapshotFactory(day=today, score=80.0)
    HealthSnapshotFactory(day=today, score=None, band=Band.INSUFFICIENT)
    HealthSnapshotFactory(day=today - timedelta(days=10), score=40.0)
    old = today - timedelta(days=30)
    assert health_totals_refresh([old, old]) == 1  # a day without scores is zero
    assert DailyHealthTotal.objects.get(day=old).score_n == 0
    rows = health_totals_between([(today - timedelta(days=1), today)])
    assert rows == [{"day": today, "score_sum": 140.0, "score_n": 2}]
    wide = health_totals_between([(old, today)])
    assert [row["day"] for row in wide] == [today - timedelta(days=10), today]
    assert health_totals_between([]) == []


def test_deleting_an_account_recounts_the_days_it_was_counted_in():
    today = services.today_utc()
    yesterday = today - timedelta(days=1)
    kept, erased = AccountFactory(), AccountFactory()
    HealthSnapshotFactory(account=kept, day=today, score=60.0)
    HealthSnapshotFactory(account=erased, day=today, score=80.0)
    HealthSnapshotFactory(account=erased, day=yesterday, score=30.0)
    health_totals_refresh([yesterday, today])
    assert DailyHealthTotal.objects.get(day=today).score_n == 2

    erased.delete()

    assert health_totals_between([(yesterday, today)]) == [
        {"day": today, "score_sum": 60.0, "score_n": 1}
    ]
    assert DailyHealthTotal.objects.get(day=yesterday).score_n == 0


def test_a_failed_account_delete_leaves_the_totals_as_they_were():
    today = services.today_utc()
    account = AccountFactory()
    HealthSnapshotFactory(account=account, day=today, score=80.0)
    health_totals_refresh([today])

    def delete_then_fail():
        with transaction.atomic():
            account.delete()
            raise RuntimeError("the delete's transaction rolls back")

    with pytest.raises(RuntimeError):
        delete_then_fail()

    assert DailyHealthTotal.objects.get(day=today).score_n == 1
