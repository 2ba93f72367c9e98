"""The renewals demo gives the scorecard report a true story on any day, for any seed:
red caught most churners but not all, and not every red account churned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import RenewalOutcome, User
from demo.services.accounts import seed_demo
from demo.services.health import HISTORY_DAYS, seed_health_demo
from demo.services.renewals import seed_renewals_demo
from healthscores.models import HealthSnapshot
from healthscores.selectors.backtest import scorecard_backtest
from healthscores.services import today_utc
from tests.clock import parse_instant

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

#: Two days besides the session's own: a new year (the history reaches into the
#: previous one) and a 29 February.
DAYS = ["2027-01-02", "2028-02-29"]
SEEDS = [42, 7]


def band_then(account_id: int, day) -> str:
    return HealthSnapshot.objects.get(account_id=account_id, day=day).band


def stories_found() -> dict[str, int]:
    """How many outcomes of each kind of story the report can tell, by the band each
    account had 60 and 90 days before its renewal."""
    found = {"caught": 0, "missed": 0, "saved": 0, "green renewed": 0}
    for outcome in RenewalOutcome.objects.all():
        bands = {
            band_then(outcome.account_id, outcome.renewed_on - timedelta(days=horizon))
            for horizon in (60, 90)
        }
        churned = outcome.outcome == RenewalOutcome.Outcome.CHURNED
        if bands == {"red"}:
            found["caught" if churned else "saved"] += 1
        elif bands == {"green"}:
            found["missed" if churned else "green renewed"] += 1
    return found


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("seed", SEEDS)
def test_a_year_of_renewals_tells_the_report_a_true_story(clock, day, seed):
    clock.move_to(parse_instant(day))
    seed_demo(accounts=30, seed=seed)
    seed_health_demo(seed=seed, history=False)
    summary = seed_renewals_demo(seed=seed)
    today = today_utc()

    outcomes = RenewalOutcome.objects.all()
    assert summary.outcomes == outcomes.count() == 30
    days = {outcome.renewed_on for outcome in outcomes}
    assert today - timedelta(days=365) <= min(days)
    assert max(days) < today - timedelta(days=90)
    assert len(days) > 10  # spread over the year, not one day
    # Daily history before the computed days, every day of it, for every account.
    written = HealthSnapshot.objects.filter(day__lt=today - timedelta(days=HISTORY_DAYS - 1))
    assert written.count() == summary.snapshots
    assert written.values("day").distinct().count() * 30 == summary.snapshots

    found = stories_found()
    assert found["caught"] >= 2, found
    assert found["missed"] >= 1, found
    assert found["saved"] >= 1, found
    assert found["green renewed"] >= 10, found

    for horizon in (60, 90):
        report = scorecard_backtest(start=today - timedelta(days=365), end=today, horizon=horizon)
        assert report.outcomes == 30
        figures = (report.precision_red, report.recall_red, report.auc)
        assert None not in figures
        assert all(0 < figure < 1 for figure in figures), figures
        assert report.auc > 0.7
        assert not report.missed_churn.empty
        assert not report.saved_red.empty

    client = Client()
    client.force_login(User.objects.get(username="csm"))
    response = client.get(reverse("healthscores:backtest"), {"horizon": 90})
    html = response.content.decode()
    assert response.status_code == 200
    assert "backtest-distribution" in html
    assert "backtest-churn-rate" in html
    missed = report.missed_churn["account_id"].iloc[0]
    assert reverse("accounts:detail", args=[int(missed)]) in html


def test_seeding_again_replaces_the_story():
    seed_demo(accounts=12, seed=5)
    seed_health_demo(seed=5, history=False)
    first = seed_renewals_demo(seed=5)
    snapshots = HealthSnapshot.objects.count()
    again = seed_renewals_demo(seed=5)
    assert again == first
    assert RenewalOutcome.objects.count() == 12
    assert HealthSnapshot.objects.count() == snapshots
