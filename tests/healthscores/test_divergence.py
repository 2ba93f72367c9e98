"""The team lead's list of accounts whose CSM sentiment disagrees with the data."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from healthscores import services
from healthscores.models import AccountHealth, Band
from tests.accounts.factories import AccountFactory, UserFactory
from tests.actors import ACTORS
from tests.healthscores.factories import AccountHealthFactory, SentimentFactory, red_data

DIVERGENCE = reverse("healthscores:divergence")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, ["login", 403, 200, 200, 200], strict=True))
)
def test_access(actors, actor, expected):
    divergent = AccountHealthFactory(divergent=True, band=Band.RED)
    response = actors[actor].get(DIVERGENCE)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
        return
    assert response.status_code == expected
    if expected == 403:
        assert divergent.account.name not in response.content.decode()


def test_lists_divergent_accounts_with_latest_sentiment_biggest_arr_first(client_for, pm):
    owner = UserFactory(role=Role.CSM, first_name="Sam", last_name="Stone")
    big = AccountFactory(name="Big", arr=Decimal(90000), csm_owner=owner)
    small = AccountFactory(name="Small", arr=Decimal(1000))
    AccountFactory(name="Agreeing")
    AccountHealthFactory(account=big, band=Band.RED, score=21.4, divergent=True)
    AccountHealthFactory(account=small, band=Band.GREEN, score=88.0, divergent=True)
    AccountHealthFactory(account=AccountFactory(name="Calm"), band=Band.RED, divergent=False)
    SentimentFactory(
        account=big, value="yellow", comment="Old call", set_at=timezone.now() - timedelta(days=9)
    )
    SentimentFactory(account=big, value="green", comment="Exec sponsor loves us")
    SentimentFactory(account=small, value="red", comment="Budget cut")
    response = client_for(pm).get(DIVERGENCE)
    rows = list(response.context["page"])
    assert [a.name for a in rows] == ["Big", "Small"]
    assert (rows[0].sentiment_value, rows[0].sentiment_comment) == (
        "green",
        "Exec sponsor loves us",
    )
    html = response.content.decode()
    big_row = html[html.index(">Big<") : html.index(">Small<")]
    assert "Sam Stone" in big_row
    assert "Exec sponsor loves us" in big_row
    assert "Old call" not in html
    assert ">21<" in big_row
    assert "badge-red" in big_row
    assert "Calm" not in html
    assert "Agreeing" not in html


def test_empty_state(client_for, csm):
    html = client_for(csm).get(DIVERGENCE).content.decode()
    assert "Sentiment and data agree everywhere" in html


def test_engine_flags_green_sentiment_on_red_data(client_for, csm):
    """GIVEN a CSM who calls an account green while its data is red
    WHEN health is recomputed
    THEN the account is on the divergence list."""
    today = services.today_utc()
    account = AccountFactory(name="Optimist", licensed_seats=1, csm_owner=csm)
    red_data(account, today)
    SentimentFactory(account=account, value="green", comment="All good", set_by=csm)
    services.recompute_now(account_ids=[account.pk], day=today)
    assert AccountHealth.objects.get(account=account).divergent
    html = client_for(csm).get(DIVERGENCE).content.decode()
    assert "Optimist" in html
    assert "All good" in html


def test_portfolio_panel_links_to_the_list(client_for, pm):
    AccountHealthFactory()
    html = client_for(pm).get(reverse("accounts:portfolio"), {"scope": "all"}).content.decode()
    assert f'href="{DIVERGENCE}"' in html


@pytest.mark.parametrize("count", [2, 30])
def test_query_count_does_not_grow(client_for, pm, count, django_assert_max_num_queries):
    for _ in range(count):
        health = AccountHealthFactory(divergent=True, band=Band.RED)
        health.account.csm_owner = UserFactory(role=Role.CSM)
        health.account.save()
        SentimentFactory.create_batch(2, account=health.account)
    client = client_for(pm)
    # session, user, needs-triage count in the header, count, page of rows, unread alert count
    with django_assert_max_num_queries(6):
        response = client.get(DIVERGENCE)
    assert len(response.context["page"]) == count
