"""GET /api/accounts/{id}/onboarding/: the onboarding and its milestones, for staff."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from core.roles import Role
from tests.accounts.factories import AccountFactory, UserFactory
from tests.ttfv import journeys as shared
from tests.ttfv.journeys import days_ago, milestone, onboarding_account
from ttfv import services
from ttfv.models import MilestoneProgress

manual_template = shared.manual_template  # a fixture of the shared journeys

pytestmark = pytest.mark.django_db


def url(account_id: int) -> str:
    return reverse("api-account-onboarding", kwargs={"account_id": account_id})


@pytest.fixture
def achieved_account(manual_template):
    """Started 40 days ago; kickoff checked off by Kim on day 2, first value on day 30."""
    kim = UserFactory(role=Role.CSM, username="kim")
    account = onboarding_account(manual_template, started_days_ago=40, reached={"Kickoff": 38})
    MilestoneProgress.objects.filter(account=account).update(checked_by=kim)
    MilestoneProgress.objects.create(
        account=account, milestone=milestone(manual_template, "First value"),
        achieved_on=days_ago(10), source="manual", checked_by=kim,
    )  # fmt: skip
    services.onboarding_recompute(account_ids=[account.pk], alerts=False)
    return account


def test_returns_the_onboarding_and_its_milestones_in_order(
    client_for, pm, achieved_account, manual_template
):
    response = client_for(pm).get(url(achieved_account.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["account"] == achieved_account.pk
    assert body["onboarding"] == {
        "template": manual_template.name,
        "started_on": days_ago(40).isoformat(),
        "start_is_manual": False,
        "target_days": 60,
        "first_value_on": days_ago(10).isoformat(),
        "ttfv_days": 30,
        "status": "achieved",
        "computed_at": body["onboarding"]["computed_at"],
    }
    assert [m["name"] for m in body["milestones"]] == ["Kickoff", "Data connected", "First value"]
    kickoff, data_connected, first_value = body["milestones"]
    assert kickoff == {
        "name": "Kickoff",
        "position": 0,
        "target_offset_days": 7,
        "target_on": days_ago(33).isoformat(),
        "rule": "manual",
        "rule_summary": "Rule: checked off by hand",
        "is_first_value": False,
        "achieved_on": days_ago(38).isoformat(),
        "source": "manual",
        "checked_by": User.objects.get(username="kim").pk,
        "state": "reached",
    }
    assert data_connected["achieved_on"] is None
    assert data_connected["source"] is None
    assert data_connected["checked_by"] is None
    assert data_connected["state"] == "overdue"
    assert data_connected["rule_summary"] == "Rule: integration.synced at least 1 time"
    assert first_value["is_first_value"] is True
    assert first_value["achieved_on"] == days_ago(10).isoformat()


def test_an_account_never_computed_has_no_onboarding_yet(client_for, csm):
    account = AccountFactory()
    body = client_for(csm).get(url(account.pk)).json()
    assert body == {"account": account.pk, "onboarding": None, "milestones": []}


def test_unknown_account_is_404(client_for, csm):
    response = client_for(csm).get(url(999999))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_constant_queries(
    client_for, pm, achieved_account, manual_template, django_assert_max_num_queries
):
    client = client_for(pm)
    with django_assert_max_num_queries(6):
        client.get(url(achieved_account.pk))
    for position in range(3, 15):
        manual_template.milestones.create(
            name=f"Step {position}", position=position, target_offset_days=50, rule="manual"
        )
    with django_assert_max_num_queries(6):
        assert len(client.get(url(achieved_account.pk)).json()["milestones"]) == 15


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("customer", 403), ("csm", 200), ("pm", 200), ("admin", 200)],
)
def test_access(actors, account_a, actor, expected):
    """Customers never reach it, not even for their own account."""
    response = actors[actor].get(url(account_a.pk), HTTP_ACCEPT="application/json")
    assert response.status_code == expected
    if expected != 200:
        assert "detail" in response.json()


def test_the_schema_documents_the_endpoint_without_warnings(client_for, pm, capsys):
    schema = client_for(pm).get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    assert "/api/accounts/{account_id}/onboarding/" in schema["paths"]
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    assert "Warning" not in capsys.readouterr().err
