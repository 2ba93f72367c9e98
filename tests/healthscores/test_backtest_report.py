"""The scorecard report page and API on PostgreSQL: who may read it, that it reads the
snapshot ``horizon`` days before each renewal, and its constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import RenewalOutcome
from core.jobs import today_utc
from healthscores.models import Band, Scorecard
from tests.accounts.factories import AccountFactory, RenewalOutcomeFactory
from tests.actors import ACTORS
from tests.healthscores.factories import HealthSnapshotFactory
from tests.healthscores.test_scorecard_editor import editor_post, preview_finished

pytestmark = pytest.mark.django_db

PAGE = reverse("healthscores:backtest")
API = reverse("api-health-backtest")


def _renewal(name: str, *, band: str, score: float, outcome: str, days_ago: int = 10):
    """An account that renewed ``days_ago`` days back, with a snapshot 60 days before
    that in ``band`` and another, misleading, 30 days before."""
    account = AccountFactory(name=name)
    renewed_on = today_utc() - timedelta(days=days_ago)
    HealthSnapshotFactory(
        account=account, day=renewed_on - timedelta(days=60), band=band, score=score
    )
    HealthSnapshotFactory(
        account=account, day=renewed_on - timedelta(days=30), band=Band.GREEN, score=99
    )
    RenewalOutcomeFactory(account=account, renewed_on=renewed_on, outcome=outcome)
    return account


@pytest.fixture
def story(db):
    return {
        "caught": _renewal("Caught", band=Band.RED, score=20, outcome="churned"),
        "missed": _renewal("Missed", band=Band.GREEN, score=85, outcome="churned"),
        "saved": _renewal("Saved", band=Band.RED, score=30, outcome="renewed"),
        "fine": _renewal("Fine", band=Band.GREEN, score=90, outcome="expanded"),
    }


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [302, 403, 200, 200, 200], strict=True))
)
def test_page_access(actors, actor, expected):
    assert actors[actor].get(PAGE).status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [401, 403, 200, 200, 200], strict=True))
)
def test_api_access(actors, actor, expected):
    response = actors[actor].get(API, HTTP_ACCEPT="application/json")
    assert response.status_code == expected
    if expected != 200:
        assert set(response.json()) == {"detail"}


def test_api_reads_the_band_sixty_days_before_each_renewal(story, client_for, csm):
    body = client_for(csm).get(API, {"horizon": 60}).json()
    assert (body["outcomes"], body["churned"], body["horizon"]) == (4, 2, 60)
    assert body["matrix"]["red"] == {"renewed": 1, "expanded": 0, "contracted": 0, "churned": 1}
    assert body["precision_red"] == pytest.approx(0.5)
    assert body["recall_red"] == pytest.approx(0.5)
    # Churned 20 and 85 against stayed 30 and 90: three of the four pairs are ordered.
    assert body["auc"] == pytest.approx(0.75)
    assert [m["account_name"] for m in body["missed_churn"]] == ["Missed"]
    assert [m["account_name"] for m in body["saved_red"]] == ["Saved"]
    assert (body["missed_churn_count"], body["saved_red_count"]) == (1, 1)
    assert body["suggestion"] == {
        "churned": 2,
        "too_small": True,
        "weights": {},
        "auc_current": None,
        "auc_suggested": None,
    }


def test_thirty_days_before_every_account_was_green(story, client_for, csm):
    body = client_for(csm).get(API, {"horizon": 30}).json()
    assert body["matrix"]["green"]["churned"] == 2
    assert body["recall_red"] == 0


def test_a_bad_period_or_horizon_is_a_400_naming_the_parameter(client_for, csm):
    client = client_for(csm)
    assert set(client.get(API, {"horizon": 45}).json()) == {"horizon"}
    response = client.get(API, {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400
    assert set(response.json()) == {"end"}


def test_page_shows_the_figures_charts_and_links_to_the_misses(
    story, client_for, csm, django_assert_max_num_queries
):
    client = client_for(csm)
    with django_assert_max_num_queries(12):
        response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "backtest-distribution" in html
    assert "backtest-churn-rate" in html
    assert reverse("accounts:detail", args=[story["missed"].pk]) in html
    assert reverse("accounts:detail", args=[story["saved"].pk]) in html
    assert "Churn rate by band" in html
    assert "at least 20 are needed" in html


def test_a_new_outcome_is_in_the_next_report_despite_the_cache(story, client_for, csm):
    client = client_for(csm)
    assert client.get(API).json()["outcomes"] == 4
    _renewal("Late", band=Band.RED, score=10, outcome="churned", days_ago=5)
    assert RenewalOutcome.objects.count() == 5
    assert client.get(API).json()["outcomes"] == 5


def test_the_editor_preview_replays_the_draft_beside_the_saved_scorecard(
    story, client_for, admin_user, django_capture_on_commit_callbacks
):
    scorecard = Scorecard.objects.get(segment="")
    _posted, response = preview_finished(
        client_for(admin_user),
        scorecard,
        editor_post(scorecard),
        django_capture_on_commit_callbacks,
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Replay against past renewals" in html
    assert "4 renewals from" in html
