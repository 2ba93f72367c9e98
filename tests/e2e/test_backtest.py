"""A CSM records a renewal outcome on the account page, then reads the scorecard report:
the churned account that was red is caught, the green one is listed as a miss, and the
two charts are drawn, with no serious axe violation."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.jobs import today_utc
from core.roles import Role
from healthscores.models import Band
from tests.accounts.factories import AccountFactory, RenewalOutcomeFactory, UserFactory
from tests.healthscores.factories import HealthSnapshotFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_csm_records_an_outcome_and_reads_whether_red_predicted_it(sign_in, live_server):
    UserFactory(username="e2e-backtest", role=Role.CSM)
    renewed_on = today_utc() - timedelta(days=3)
    red = AccountFactory(name="Ashford Mills")
    green = AccountFactory(name="Birchwood Labs")
    HealthSnapshotFactory(account=red, day=renewed_on - timedelta(days=60), band=Band.RED, score=25)
    HealthSnapshotFactory(
        account=green, day=renewed_on - timedelta(days=60), band=Band.GREEN, score=88
    )
    RenewalOutcomeFactory(account=green, renewed_on=renewed_on, outcome="churned")

    page = sign_in("e2e-backtest")
    page.goto(f"{live_server.url}/accounts/{red.pk}/")
    page.wait_for_load_state("load")  # htmx must be ready before the form is used
    renewals = page.locator("#renewals")
    renewals.get_by_label("Renewal date").fill(renewed_on.isoformat())
    renewals.get_by_label("Outcome").select_option(label="Churned")
    renewals.get_by_label("ARR before").fill("24000")
    renewals.get_by_label("ARR after").fill("0")
    renewals.get_by_role("button", name="Record outcome").click()
    expect(page.locator("#renewals tbody")).to_contain_text("Churned")
    expect(page.locator("#renewals tbody")).to_contain_text("$24,000")

    page.goto(f"{live_server.url}/health/backtest/")
    expect(page.get_by_role("heading", name="2 renewals, 2 churned")).to_be_visible()
    expect(page.locator("dl.stats")).to_contain_text("50%")
    misses = page.get_by_role("region", name="Churned while green")
    expect(misses.get_by_role("link", name="Birchwood Labs")).to_be_visible()
    for chart in ("backtest-distribution", "backtest-churn-rate"):
        expect(page.locator(f"[data-plotly-figure={chart}] .main-svg").first).to_be_visible()
    violations = Axe().run(page).response["violations"]
    serious = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert not serious
