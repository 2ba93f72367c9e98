"""An admin changes the scorecard's thresholds in the editor and previews them: the
preview runs as a job, and the editor shows which accounts would change band and the
backtest of the draft beside the saved scorecard's, with no serious axe violation.
Nothing is saved."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.jobs import today_utc
from core.models import Job
from core.roles import Role
from healthscores import services
from healthscores.models import Band, Scorecard
from tests.accounts.factories import (
    AccountFactory,
    DailyUsageFactory,
    RenewalOutcomeFactory,
    SurveyResponseFactory,
    UserFactory,
)
from tests.healthscores.factories import HealthSnapshotFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_previews_a_threshold_change_and_its_replay(sign_in, live_server):
    UserFactory(username="e2e-scorecards", role=Role.ADMIN)
    today = today_utc()
    for index, nps in enumerate([2, 5, 7, 9, 10]):
        account = AccountFactory(name=f"Preview {index}")
        DailyUsageFactory(account=account, day=today - timedelta(days=2), event_count=50)
        SurveyResponseFactory(account=account, score=nps)
    services.recompute_now()
    renewed_on = today - timedelta(days=5)
    for name, band, score, outcome in [
        ("Ashford Mills", Band.RED, 25, "churned"),
        ("Birchwood Labs", Band.GREEN, 88, "renewed"),
    ]:
        account = AccountFactory(name=name)
        HealthSnapshotFactory(
            account=account, day=renewed_on - timedelta(days=60), band=band, score=score
        )
        RenewalOutcomeFactory(account=account, renewed_on=renewed_on, outcome=outcome)
    scorecard = Scorecard.objects.get(segment="")

    page = sign_in("e2e-scorecards")
    page.goto(f"{live_server.url}/health/scorecards/{scorecard.pk}/")
    page.wait_for_load_state("load")  # htmx must be ready before the form is used
    page.get_by_label("Green from").fill("95")
    page.get_by_role("button", name="Preview changes").click()

    preview = page.locator("#scorecard-replay")
    expect(preview.get_by_role("heading", name="Preview against today's data")).to_be_visible()
    expect(preview).to_contain_text("would change band")
    expect(preview.get_by_role("heading", name="Replay against past renewals")).to_be_visible()
    expect(preview).to_contain_text("2 renewals from")
    assert Job.objects.get(kind="scorecard_replay").status == Job.Status.SUCCEEDED
    scorecard.refresh_from_db()
    assert scorecard.version == 1, "a preview saves nothing"
    violations = Axe().run(page).response["violations"]
    serious = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert not serious
