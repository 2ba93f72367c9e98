"""Portfolio, account page and the admin's getting-started checklist."""

import pytest
from django.urls import reverse

from accounts.models import Account
from core.roles import Role
from tests.accounts.factories import (
    AccountFactory,
    ContactFactory,
    UsageEventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [account.name for account in response.context["page"].object_list]


def test_csm_starts_on_their_own_book(client_for, csm):
    AccountFactory(name="Mine", csm_owner=csm)
    AccountFactory(name="Theirs", csm_owner=UserFactory(role=Role.CSM))
    response = client_for(csm).get(reverse("accounts:portfolio"))
    assert response.context["scope"] == "mine"
    assert _names(response) == ["Mine"]


def test_all_accounts_lists_own_book_first(client_for, csm):
    other = UserFactory(role=Role.CSM)
    AccountFactory(name="Alpha", csm_owner=other)
    AccountFactory(name="Zulu", csm_owner=csm)
    response = client_for(csm).get(reverse("accounts:portfolio"), {"scope": "all"})
    assert _names(response) == ["Zulu", "Alpha"]


def test_pm_sees_all_accounts_by_default(client_for, pm):
    AccountFactory(name="Any")
    response = client_for(pm).get(reverse("accounts:portfolio"))
    assert response.context["scope"] == "all"
    assert _names(response) == ["Any"]


def test_search_matches_name_and_domain(client_for, pm):
    AccountFactory(name="Northwind Foods", domain="northwind.example")
    AccountFactory(name="Acme", domain="acme.example")
    client = client_for(pm)
    assert _names(client.get(reverse("accounts:portfolio"), {"q": "north"})) == ["Northwind Foods"]
    assert _names(client.get(reverse("accounts:portfolio"), {"q": "acme.ex"})) == ["Acme"]


def test_portfolio_paginates(client_for, pm):
    AccountFactory.create_batch(30)
    client = client_for(pm)
    first = client.get(reverse("accounts:portfolio"))
    second = client.get(reverse("accounts:portfolio"), {"page": 2})
    assert len(_names(first)) == 25
    assert len(_names(second)) == 5
    assert set(_names(first)).isdisjoint(_names(second))


def test_portfolio_empty_state_explains_what_to_do(client_for, csm):
    response = client_for(csm).get(reverse("accounts:portfolio"))
    assert response.status_code == 200
    assert "No accounts in your book yet" in response.content.decode()


@pytest.mark.parametrize("count", [3, 40])
def test_portfolio_query_count_does_not_grow_with_accounts(
    client_for, csm, count, django_assert_max_num_queries
):
    for account in AccountFactory.create_batch(count, csm_owner=csm):
        ContactFactory(account=account)
    client = client_for(csm)
    # Beyond the accounts app's own: the unread alert count in the navigation and the
    # health panel's summary and at-risk rows (healthscores); the default saved view,
    # the views of the menu and the CSMs a bulk reassignment offers.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("accounts:portfolio"))
    assert response.status_code == 200


def test_account_page_shows_contacts_and_404s_for_unknown_ids(client_for, csm, account_a):
    ContactFactory(account=account_a, name="Dana Champion", is_champion=True)
    client = client_for(csm)
    response = client.get(reverse("accounts:detail", args=[account_a.pk]))
    assert "Dana Champion" in response.content.decode()
    missing = Account.objects.order_by("-pk").first().pk + 1
    assert client.get(reverse("accounts:detail", args=[missing])).status_code == 404


def test_getting_started_ticks_steps_from_real_data(client_for, admin_user):
    client = client_for(admin_user)
    before = client.get(reverse("accounts:getting_started")).context["steps"]
    assert [step.done for step in before[:3]] == [False, False, False]
    account = AccountFactory()
    UserFactory(role=Role.CSM)
    UsageEventFactory(account=account)
    after = client.get(reverse("accounts:getting_started")).context["steps"]
    assert [step.done for step in after[:3]] == [True, True, True]
