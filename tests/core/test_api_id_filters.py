"""A filter by id takes a whole number in the range of ids, or answers 400 naming it;
sent empty it filters nothing. Twenty nines or 1e30 reached the database (a 500)."""

from __future__ import annotations

import pytest

from tests.accounts.factories import AccountFactory

ID_FILTERS = [
    ("/api/health/", "csm"),
    ("/api/product-risks/", "account"),
    ("/api/product-risks/", "idea"),
]
NOT_IDS = ["9" * 20, "1e30", "-1", "0", "1.5", "abc", str(2**63)]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), ID_FILTERS)
def test_an_id_filter_refuses_what_is_no_id(actors, url, name):
    client = actors["admin"]
    for value in NOT_IDS:
        response = client.get(url, {name: value})
        assert response.status_code == 400, (value, response.content[:200])
        assert list(response.json()) == [name]


@pytest.mark.django_db
def test_an_id_filter_filters_by_that_id_and_empty_is_no_filter(actors, csm):
    AccountFactory(csm_owner=csm)
    AccountFactory(csm_owner=None)
    client = actors["admin"]
    assert client.get("/api/health/", {"csm": csm.pk}).json()["count"] == 1
    assert client.get("/api/health/", {"csm": 2**63 - 1}).json()["count"] == 0
    everyone = client.get("/api/health/").json()["count"]
    assert client.get("/api/health/", {"csm": ""}).json()["count"] == everyone
