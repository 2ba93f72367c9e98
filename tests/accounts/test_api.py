"""Accounts REST API: scoped, filtered, paginated."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.accounts.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_list_is_paginated_and_filterable(client_for, pm):
    AccountFactory.create_batch(3, segment="SMB")
    AccountFactory(segment="Enterprise", name="Big Co")
    client = client_for(pm)
    everything = client.get(reverse("account-list")).json()
    assert everything["count"] == 4
    enterprise = client.get(reverse("account-list"), {"segment": "Enterprise"}).json()
    assert [row["name"] for row in enterprise["results"]] == ["Big Co"]


def test_search_and_ordering(client_for, csm):
    AccountFactory(name="Beta", arr=10)
    AccountFactory(name="Alpha", arr=20)
    client = client_for(csm)
    by_arr = client.get(reverse("account-list"), {"ordering": "-arr"}).json()["results"]
    assert [row["name"] for row in by_arr] == ["Alpha", "Beta"]
    found = client.get(reverse("account-list"), {"search": "bet"}).json()["results"]
    assert [row["name"] for row in found] == ["Beta"]


def test_me_tells_a_customer_their_account(client_for, customer_a, account_a):
    body = client_for(customer_a).get(reverse("api-me")).json()
    assert body["role"] == Role.CUSTOMER
    assert body["account"] == account_a.pk


def test_api_list_runs_a_constant_number_of_queries(client_for, django_assert_max_num_queries):
    owner = UserFactory(role=Role.CSM)
    AccountFactory.create_batch(30, csm_owner=owner)
    client = client_for(UserFactory(role=Role.PM))
    with django_assert_max_num_queries(5):
        assert client.get(reverse("account-list")).status_code == 200


def test_schema_describes_the_accounts_endpoint(client_for, pm):
    response = client_for(pm).get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/accounts/" in response.json()["paths"]
