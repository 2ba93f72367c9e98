"""``/api/product-risks/``: who may read and change flags, filters, evidence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from core.jobs import today_utc
from productrisk.models import ProductRisk
from productrisk.services.flags import product_risk_recompute
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.feedback.factories import IdeaFactory, VoteFactory
from tests.healthscores.factories import AccountHealthFactory

pytestmark = pytest.mark.django_db

LIST = "/api/product-risks/"


@pytest.fixture
def flags(account_a, csm):
    """Two flags: "Okta SSO" (account A, red, plus two others) and "Dark mode" (three
    small green accounts)."""
    sso = IdeaFactory(title="Okta SSO")
    account_a.arr = Decimal("200000")
    account_a.csm_owner = csm
    account_a.save()
    AccountHealthFactory(account=account_a, band="red")
    for account in (account_a, AccountFactory(), AccountFactory()):
        VoteFactory(idea=sso, contact=ContactFactory(account=account))
    dark = IdeaFactory(title="Dark mode")
    for _ in range(3):
        VoteFactory(idea=dark, contact=ContactFactory(account=AccountFactory(arr=Decimal("1000"))))
    product_risk_recompute()
    return ProductRisk.objects.get(idea=sso), ProductRisk.objects.get(idea=dark)


READ_EXPECTED = {
    "anonymous": 401,
    "customer": 403,
    "customer_b": 403,
    "csm": 200,
    "pm": 200,
    "admin": 200,
}
WRITE_EXPECTED = {**READ_EXPECTED, "csm": 403}


@pytest.mark.parametrize("actor", list(READ_EXPECTED))
def test_who_may_read(flags, actors, actor):
    sso, _dark = flags
    assert actors[actor].get(LIST).status_code == READ_EXPECTED[actor]
    assert actors[actor].get(f"{LIST}{sso.pk}/").status_code == READ_EXPECTED[actor]


@pytest.mark.parametrize("actor", list(WRITE_EXPECTED))
def test_who_may_change_a_flag(flags, actors, actor):
    sso, _dark = flags
    response = actors[actor].patch(
        f"{LIST}{sso.pk}/", {"status": "acknowledged"}, content_type="application/json"
    )
    assert response.status_code == WRITE_EXPECTED[actor]
    sso.refresh_from_db()
    expected = "acknowledged" if WRITE_EXPECTED[actor] == 200 else "open"
    assert sso.status == expected


def test_put_post_and_delete_are_not_offered(flags, actors):
    sso, _dark = flags
    pm = actors["pm"]
    assert pm.put(f"{LIST}{sso.pk}/", {}, content_type="application/json").status_code == 405
    assert pm.delete(f"{LIST}{sso.pk}/").status_code == 405
    assert pm.post(LIST, {}, content_type="application/json").status_code == 405


def test_list_filters_and_ordering(flags, actors, account_a, django_assert_max_num_queries):
    sso, dark = flags
    pm = actors["pm"]
    with django_assert_max_num_queries(6):
        body = pm.get(LIST).json()
    assert [row["id"] for row in body["results"]] == [sso.pk, dark.pk]
    assert body["results"][0]["idea"] == {"id": sso.idea_id, "title": "Okta SSO", "status": "open"}
    assert [r["id"] for r in pm.get(LIST, {"ordering": "arr_at_risk"}).json()["results"]] == [
        dark.pk,
        sso.pk,
    ]
    assert [r["id"] for r in pm.get(LIST, {"min_arr_at_risk": 1000}).json()["results"]] == [sso.pk]
    assert [r["id"] for r in pm.get(LIST, {"account": account_a.pk}).json()["results"]] == [sso.pk]
    assert pm.get(LIST, {"status": "dismissed"}).json()["results"] == []
    assert pm.get(LIST, {"status": "bogus"}).status_code == 400


def test_retrieve_shows_the_evidence_and_the_explanation(flags, actors, account_a):
    sso, _dark = flags
    body = actors["csm"].get(f"{LIST}{sso.pk}/").json()
    assert body["accounts_affected"] == 3
    assert body["arr_at_risk"] == "200000.00"
    first = body["evidence"][0]
    assert first == {
        "account": account_a.pk,
        "name": "Account A",
        "arr": "200000.00",
        "band": "red",
        "band_on": today_utc().isoformat(),
        "band_now": "red",
        "band_now_on": today_utc().isoformat(),
        "renews_soon": False,
        "late_onboarding": False,
        "by_vote": True,
        "by_ticket": False,
        "at_risk": True,
    }
    assert any("Severity score" in line for line in body["explanation"])


def test_dismiss_needs_a_reason_then_reopen(flags, actors):
    sso, _dark = flags
    pm = actors["pm"]
    url = f"{LIST}{sso.pk}/"
    missing = pm.patch(url, {"status": "dismissed"}, content_type="application/json")
    assert missing.status_code == 400
    assert "reason" in missing.json()
    done = pm.patch(
        url,
        {"status": "dismissed", "reason": "Solved by a partner"},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "dismissed"
    assert done.json()["dismissed_reason"] == "Solved by a partner"
    assert pm.patch(url, {"status": "open"}, content_type="application/json").json()["status"] == (
        "open"
    )
    assert pm.patch(url, {"status": "resolved"}, content_type="application/json").status_code == 400


def test_a_transition_the_flag_does_not_allow_is_a_400(flags, actors):
    sso, _dark = flags
    ProductRisk.objects.filter(pk=sso.pk).update(status="resolved")
    response = actors["pm"].patch(
        f"{LIST}{sso.pk}/", {"status": "acknowledged"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_schema_documents_the_endpoint(actors):
    schema = actors["admin"].get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/product-risks/" in text
    assert "min_arr_at_risk" in text


def test_anonymous_token_less_call_is_401_with_json():
    response = Client().get(LIST)
    assert response.status_code == 401
    assert "detail" in response.json()
