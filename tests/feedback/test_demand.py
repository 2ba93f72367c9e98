"""Demand math of the triage selector: every figure counted from rows, each account once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounts.roles import Role
from feedback.models import Idea, IdeaTicket
from feedback.selectors.demand import idea_demand, triage_ideas, with_demand
from feedback.statuses import IdeaStatus
from healthscores.models import Band
from tests.accounts.factories import AccountFactory, ContactFactory, TicketFactory, UserFactory
from tests.feedback.factories import IdeaFactory, VoteFactory
from tests.healthscores.factories import AccountHealthFactory

TODAY = date(2026, 6, 1)


def _account(arr: str, *, band: str | None = None, renews_in: int | None = 300):
    account = AccountFactory(
        arr=Decimal(arr),
        started_on=TODAY - timedelta(days=400),
        renews_on=None if renews_in is None else TODAY + timedelta(days=renews_in),
    )
    if band is not None:
        AccountHealthFactory(account=account, band=band, effective_band=band)
    return account


@pytest.fixture
def demand_world(db):
    """GIVEN an idea voted by 3 contacts of a red $100k account (one vote added by a
    CSM), 1 contact of a yellow $50k account renewing in 30 days, 1 contact of an
    unscored $25k account renewing in 90 days, and linked to 3 tickets of 2 accounts."""
    csm = UserFactory(role=Role.CSM)
    red = _account("100000.00", band=Band.RED)
    yellow = _account("50000.00", band=Band.YELLOW, renews_in=30)
    unscored = _account("25000.00", renews_in=90)
    idea = IdeaFactory()
    for _ in range(2):
        VoteFactory(idea=idea, contact=ContactFactory(account=red))
    VoteFactory(idea=idea, contact=ContactFactory(account=red), added_by=csm, note="On a call")
    VoteFactory(idea=idea, contact=ContactFactory(account=yellow))
    VoteFactory(idea=idea, contact=ContactFactory(account=unscored))
    for account in (red, red, yellow):
        IdeaTicket.objects.create(idea=idea, ticket=TicketFactory(account=account))
    other = IdeaFactory()
    VoteFactory(idea=other, contact=ContactFactory(account=_account("999.00", band=Band.RED)))
    return {"idea": idea, "other": other, "red": red}


def _assert_world(idea: Idea) -> None:
    assert idea.vote_count == 5
    assert idea.customer_votes == 4
    assert idea.csm_votes == 1
    assert idea.account_count == 3
    # Each account once, however many of its contacts voted: 100k + 50k + 25k.
    assert idea.arr_total == Decimal("175000.00")
    assert idea.red_accounts == 1
    assert idea.yellow_accounts == 1
    # Renewing within 90 days, both ends included: the 30-day and the 90-day accounts.
    assert idea.renewing_accounts == 2
    assert idea.ticket_count == 3
    assert idea.ticket_account_count == 2
    assert idea.risk_severity is None


def test_demand_counts_each_account_once(demand_world):
    _assert_world(idea_demand(demand_world["idea"], today=TODAY))


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_demand_counts_each_account_once_on_postgres(demand_world):
    _assert_world(idea_demand(demand_world["idea"], today=TODAY))


def test_idea_without_votes_has_zero_demand(db):
    idea = idea_demand(IdeaFactory(), today=TODAY)
    assert (idea.vote_count, idea.account_count, idea.arr_total) == (0, 0, Decimal("0"))
    assert (idea.red_accounts, idea.renewing_accounts, idea.ticket_count) == (0, 0, 0)


def test_renewal_window_excludes_past_and_day_91(db):
    idea = IdeaFactory()
    for days in (-1, 0, 91):
        VoteFactory(idea=idea, contact=ContactFactory(account=_account("1.00", renews_in=days)))
    VoteFactory(idea=idea, contact=ContactFactory(account=_account("1.00", renews_in=None)))
    assert idea_demand(idea, today=TODAY).renewing_accounts == 1  # Only "today".


def test_health_override_counts_by_effective_band(db):
    idea = IdeaFactory()
    account = AccountFactory()
    AccountHealthFactory(account=account, band=Band.GREEN, effective_band=Band.RED)
    VoteFactory(idea=idea, contact=ContactFactory(account=account))
    demand = idea_demand(idea, today=TODAY)
    assert (demand.red_accounts, demand.yellow_accounts) == (1, 0)


def test_product_risk_flag_is_exposed(demand_world):
    from django.utils import timezone

    from feedback.models import ProductRisk

    now = timezone.now()
    ProductRisk.objects.create(
        idea=demand_world["idea"], severity="high", opened_at=now, computed_at=now
    )
    idea = idea_demand(demand_world["idea"], today=TODAY)
    assert (idea.risk_severity, idea.risk_status) == ("high", "open")


def test_triage_sorts_by_arr_both_ways(demand_world):
    ideas = list(triage_ideas(sort="arr", descending=True, today=TODAY))
    assert [i.pk for i in ideas] == [demand_world["idea"].pk, demand_world["other"].pk]
    ideas = list(triage_ideas(sort="arr", descending=False, today=TODAY))
    assert [i.pk for i in ideas] == [demand_world["other"].pk, demand_world["idea"].pk]


@pytest.mark.parametrize(
    "sort", ["title", "votes", "customer_votes", "csm_votes", "accounts", "arr", "red",
             "yellow", "renewing", "tickets", "created", "unknown"],
)  # fmt: skip
def test_every_sort_runs(demand_world, sort):
    assert len(list(triage_ideas(sort=sort, today=TODAY))) == 2


def test_triage_hides_merged_unless_asked(demand_world):
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=demand_world["idea"])
    assert merged.pk not in {i.pk for i in triage_ideas()}
    assert [i.pk for i in triage_ideas(status=IdeaStatus.MERGED)] == [merged.pk]


def test_with_demand_runs_one_query(demand_world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(with_demand(Idea.objects.all(), today=TODAY))
    assert len(rows) == 2
