"""GET /api/ttfv/cohorts/: the cohort rows by month, segment or plan, and its schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.accounts.factories import AccountFactory
from tests.ttfv.factories import OnboardingFactory
from ttfv.services import today_utc

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

URL = "/api/ttfv/cohorts/"


@pytest.fixture
def onboardings():
    OnboardingFactory(account=AccountFactory(segment="SMB", plan="Starter"), ttfv=20)
    OnboardingFactory(account=AccountFactory(segment="SMB", plan="Growth"), ttfv=80)
    OnboardingFactory(account=AccountFactory(segment="", plan="Growth"), ttfv=None)
    OnboardingFactory(account=AccountFactory(segment="SMB", plan="Growth"), days_ago=5, ttfv=None)


def test_the_url_is_named():
    assert reverse("api-ttfv-cohorts") == URL


def test_cohorts_by_segment(client_for, pm, onboardings):
    response = client_for(pm).get(URL, {"by": "segment"})
    assert response.status_code == 200
    body = response.json()
    assert body["by"] == "segment"
    rows = {row["group"]: row for row in body["rows"]}
    assert rows[""] == {
        "group": "", "started": 1, "achieved": 0, "median_ttfv_days": None, "decided": 1,
        "within_target": 0, "within_target_pct": 0.0, "still_open": 1, "mature": True,
    }  # fmt: skip
    # 20 on time, 80 late, one 5 days in (undecided): 1 of 2 decided.
    assert rows["SMB"] == {
        "group": "SMB", "started": 3, "achieved": 2, "median_ttfv_days": 50.0, "decided": 2,
        "within_target": 1, "within_target_pct": 50.0, "still_open": 1, "mature": False,
    }  # fmt: skip


def test_cohorts_by_plan(client_for, csm, onboardings):
    rows = client_for(csm).get(URL, {"by": "plan"}).json()["rows"]
    assert [(row["group"], row["started"]) for row in rows] == [("Growth", 3), ("Starter", 1)]


def test_cohorts_by_month_is_the_default(client_for, admin_user, onboardings):
    body = client_for(admin_user).get(URL).json()
    assert body["by"] == "month"
    today = today_utc()
    months = [row["group"] for row in body["rows"]]
    assert months[0] == (today - timedelta(days=100)).strftime("%Y-%m")
    assert months[-1] == (today - timedelta(days=5)).strftime("%Y-%m")
    assert sum(row["started"] for row in body["rows"]) == 4


def test_no_onboardings_gives_no_rows(client_for, csm):
    assert client_for(csm).get(URL, {"by": "month"}).json() == {"by": "month", "rows": []}


@pytest.mark.parametrize("by", ["csm", "", "MONTH"])
def test_an_unknown_grouping_is_a_400_with_a_reason(client_for, csm, by):
    response = client_for(csm).get(URL, {"by": by})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "month, segment, plan" in response.json()["detail"]


def test_schema_describes_the_endpoint_and_stays_valid(client_for, pm):
    response = client_for(pm).get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    operation = response.json()["paths"][URL]["get"]
    (parameter,) = operation["parameters"]
    assert sorted(parameter["schema"]["enum"]) == ["month", "plan", "segment"]
    assert set(operation["responses"]) >= {"200", "400"}
    validate_schema(SchemaGenerator().get_schema(request=None, public=True))
