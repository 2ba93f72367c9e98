"""Customer 360: the active product-risk flags that touch an account."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productrisk.models import ProductRisk
from productrisk.views.flags import account_section_context
from tests.accounts.factories import AccountFactory
from tests.productrisk.factories import flag_with_accounts

pytestmark = pytest.mark.django_db


def section(response) -> str:
    html = response.content.decode()
    start = html.index('<section id="product-risks"')
    return html[start : html.index("</section>", start)]


def test_section_lists_active_flags_most_severe_first(client_for, csm):
    account = AccountFactory()
    other = AccountFactory()
    low = flag_with_accounts([account, other], severity="low", idea__title="Dark mode")
    high = flag_with_accounts([account], severity="high", idea__title="SAML SSO")
    flag_with_accounts([account], status=ProductRisk.Status.DISMISSED, idea__title="Dismissed")
    flag_with_accounts([other], idea__title="Only the other account")
    html = section(client_for(csm).get(reverse("accounts:detail", args=[account.pk])))
    assert html.index("SAML SSO") < html.index("Dark mode")
    assert reverse("productrisk:risk", args=[high.pk]) in html
    assert reverse("productrisk:risk", args=[low.pk]) in html
    assert "Dismissed" not in html
    assert "Only the other account" not in html
    assert "High" in html


def test_section_empty_state(client_for, pm):
    account = AccountFactory()
    html = section(client_for(pm).get(reverse("accounts:detail", args=[account.pk])))
    assert "No active product-risk flag touches this account." in html


@pytest.mark.parametrize("flags", [1, 15])
def test_section_costs_one_query_whatever_the_number_of_flags(rf, csm, flags):
    account = AccountFactory()
    for _ in range(flags):
        flag_with_accounts([account])
    request = rf.get("/")
    request.user = csm
    with CaptureQueriesContext(connection) as queries:
        context = account_section_context(request, account)
    assert len(context["rows"]) == flags
    assert len(queries) == 1
