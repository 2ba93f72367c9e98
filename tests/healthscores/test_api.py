"""Health API: one account's health in full, and the list of accounts by health."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from core.roles import Role
from healthscores import services
from healthscores.models import AccountHealth, Band, HealthSnapshot
from tests.accounts.factories import AccountFactory, UserFactory
from tests.actors import ACTORS
from tests.healthscores.factories import (
    AccountHealthFactory,
    default_scorecard,
    green_then_yellow_data,
    healthy_data,
)

pytestmark = pytest.mark.django_db


def _detail(account) -> str:
    return reverse("api-account-health", kwargs={"account_id": account.pk})


LIST = reverse("api-health-list")


# --- Permission matrix ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [401, 403, 200, 200, 200], strict=True))
)
@pytest.mark.parametrize("endpoint", ["detail", "list"])
def test_access(actors, account_a, actor, expected, endpoint):
    """A customer is refused even for their own account (customer_a is on account_a)."""
    AccountHealthFactory(account=account_a, band=Band.RED)
    url = _detail(account_a) if endpoint == "detail" else LIST
    response = actors[actor].get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == expected
    assert response["Content-Type"].startswith("application/json")
    if expected != 200:
        assert set(response.json()) == {"detail"}


def test_unknown_account_is_404(client_for, csm):
    response = client_for(csm).get(reverse("api-account-health", kwargs={"account_id": 999999}))
    assert response.status_code == 404
    assert "detail" in response.json()


# --- One account ---------------------------------------------------------------------


def test_detail_has_current_components_and_history_from_the_engine(client_for, csm):
    today = services.today_utc()
    account = AccountFactory(licensed_seats=1, csm_owner=csm)
    green_then_yellow_data(account, today)
    services.recompute_now(account_ids=[account.pk], day=today - timedelta(days=1))
    services.recompute_now(account_ids=[account.pk], day=today)
    body = client_for(csm).get(_detail(account)).json()
    health = AccountHealth.objects.get(account=account)

    current = body["current"]
    assert body["account"] == account.pk
    assert current["day"] == today.isoformat()
    assert current["band"] == current["effective_band"] == "yellow"
    assert current["score"] == pytest.approx(health.score)
    assert current["is_override"] is False
    assert current["divergent"] is False
    assert current["scorecard"] == {"name": "Default", "version": 1}
    assert current["trend_7d"] is None  # no snapshot 7 days ago

    components = {c["key"]: c for c in body["components"]}
    assert list(components)[:2] == ["active_users", "usage_trend"]  # registry order
    assert components["urgent_tickets"]["raw"] == 6
    assert components["urgent_tickets"]["score"] == 0
    assert components["active_users"]["label"] == "Active user ratio"
    assert components["sentiment"]["missing"] is True
    # Components are stored rounded; they still add up to the whole.
    assert sum(c["weight"] for c in body["components"]) == pytest.approx(1, abs=1e-3)
    assert sum(c["contribution"] or 0 for c in body["components"]) == pytest.approx(
        current["score"], abs=0.05
    )

    assert [(h["day"], h["band"]) for h in body["history"]] == [
        ((today - timedelta(days=1)).isoformat(), "green"),
        (today.isoformat(), "yellow"),
    ]


def test_history_covers_the_last_90_days(client_for, csm):
    today = services.today_utc()
    account = AccountFactory(licensed_seats=1)
    healthy_data(account, today)
    for back in (0, 89, 90):
        services.recompute_now(
            account_ids=[account.pk], day=today - timedelta(days=back), raise_alerts=False
        )
    days = [h["day"] for h in client_for(csm).get(_detail(account)).json()["history"]]
    assert days == [(today - timedelta(days=89)).isoformat(), today.isoformat()]


def test_detail_of_an_account_not_scored_yet(client_for, pm, account_a):
    body = client_for(pm).get(_detail(account_a)).json()
    assert body == {"account": account_a.pk, "current": None, "components": [], "history": []}


def test_detail_shows_an_override_beside_the_computed_band(client_for, pm):
    today = services.today_utc()
    account = AccountFactory(licensed_seats=1)
    healthy_data(account, today)
    from healthscores.models import HealthOverride

    HealthOverride.objects.create(
        account=account, band="red", reason="Champion left", starts_on=today, expires_on=today
    )
    services.recompute_now(account_ids=[account.pk], day=today)
    body = client_for(pm).get(_detail(account)).json()
    assert body["current"]["band"] == "green"
    assert body["current"]["effective_band"] == "red"
    assert body["current"]["is_override"] is True
    assert body["current"]["override_reason"] == "Champion left"
    assert body["history"][-1]["override_band"] == "red"


@pytest.mark.parametrize("days", [2, 40])
def test_detail_query_count_is_constant(client_for, csm, days, django_assert_max_num_queries):
    today = services.today_utc()
    account = AccountFactory()
    for back in range(days):
        HealthSnapshot.objects.create(
            account=account,
            day=today - timedelta(days=back),
            score=50,
            band="yellow",
            components={"nps": {"raw": 7, "score": 55, "weight": 1, "contribution": 55}},
            scorecard=default_scorecard(),
            scorecard_version=1,
            computed_at="2026-01-01T00:00Z",
        )
    AccountHealthFactory(account=account, day=today)
    client = client_for(csm)
    # session, user, account with health, current snapshot with scorecard, history
    with django_assert_max_num_queries(5):
        response = client.get(_detail(account))
    assert len(response.json()["history"]) == days


# --- The list ------------------------------------------------------------------------


@pytest.fixture
def listed(db):
    one, two = UserFactory(role=Role.CSM), UserFactory(role=Role.CSM)
    rows = {
        "Red SMB": ("SMB", one, Band.RED),
        "Red Ent": ("Enterprise", two, Band.RED),
        "Green SMB": ("SMB", one, Band.GREEN),
    }
    for name, (segment, owner, band) in rows.items():
        AccountHealthFactory(
            account=AccountFactory(name=name, segment=segment, csm_owner=owner), band=band
        )
    AccountFactory(name="Unscored", segment="SMB", csm_owner=one)
    return {"one": one, "two": two}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Green SMB", "Red Ent", "Red SMB", "Unscored"]),
        ({"band": "red"}, ["Red Ent", "Red SMB"]),
        ({"band": "red", "segment": "SMB"}, ["Red SMB"]),
        ({"segment": "SMB"}, ["Green SMB", "Red SMB", "Unscored"]),
        ({"csm": "one"}, ["Green SMB", "Red SMB", "Unscored"]),
        ({"csm": "two", "band": "green"}, []),
    ],
)
def test_list_filters(client_for, pm, listed, params, expected):
    if "csm" in params:
        params = {**params, "csm": listed[params["csm"]].pk}
    body = client_for(pm).get(LIST, params).json()
    assert [row["name"] for row in body["results"]] == expected
    assert body["count"] == len(expected)


def test_list_rows_carry_current_health_or_null(client_for, pm, listed):
    body = client_for(pm).get(LIST).json()
    rows = {row["name"]: row for row in body["results"]}
    assert rows["Unscored"]["health"] is None
    red = rows["Red SMB"]["health"]
    assert red["effective_band"] == "red"
    assert red["score"] == 55.0
    assert set(red) >= {"band", "is_override", "divergent", "trend_7d", "trend_30d", "day"}
    assert rows["Red SMB"]["csm_owner"] == listed["one"].pk


@pytest.mark.parametrize(
    ("params", "field"), [({"band": "purple"}, "band"), ({"csm": "abc"}, "csm")]
)
def test_bad_filters_are_a_400_naming_the_parameter(client_for, pm, params, field):
    response = client_for(pm).get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


def test_list_is_paginated(client_for, pm):
    AccountFactory.create_batch(3)
    body = client_for(pm).get(LIST, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


@pytest.mark.parametrize("count", [2, 30])
def test_list_query_count_is_constant(client_for, pm, count, django_assert_max_num_queries):
    for _ in range(count):
        AccountHealthFactory(account=AccountFactory(csm_owner=UserFactory(role=Role.CSM)))
    client = client_for(pm)
    with django_assert_max_num_queries(4):  # session, user, count, page
        response = client.get(LIST, {"band": "yellow"})
    assert response.json()["count"] == count


def test_schema_documents_the_health_endpoints(client_for, pm):
    response = client_for(pm).get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/accounts/{account_id}/health/" in paths
    parameters = {p["name"] for p in paths["/api/health/"]["get"]["parameters"]}
    assert {"band", "segment", "csm", "page"} <= parameters
