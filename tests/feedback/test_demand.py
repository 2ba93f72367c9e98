"""Demand math of the triage selector: every figure counted from rows, each account once,
live for one idea and stored by the product-risk recompute for the triage table."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.roles import Role
from feedback.models import Idea, IdeaDemand, IdeaTicket, Vote
from feedback.selectors.demand import idea_demand, triage_ideas, triage_rows, with_demand
from feedback.statuses import IdeaStatus
from healthscores.models import Band
from tests.accounts.factories import AccountFactory, ContactFactory, TicketFactory, UserFactory
from tests.feedback.factories import IdeaFactory, VoteFactory, demand_refresh
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
    demand_refresh(today=TODAY)
    return {"idea": idea, "other": other, "red": red}


def _stored(idea: Idea) -> Idea:
    """The idea as the triage table reads it (stored demand)."""
    return triage_rows([idea])[0]


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


def test_demand_counts_each_account_once(demand_world):
    _assert_world(idea_demand(demand_world["idea"], today=TODAY))


def test_stored_demand_counts_each_account_once(demand_world):
    _assert_world(_stored(demand_world["idea"]))
    stored = IdeaDemand.objects.get(idea=demand_world["idea"])
    assert (stored.vote_accounts, stored.ticket_accounts) == (3, 2)


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_demand_counts_each_account_once_on_postgres(demand_world):
    _assert_world(idea_demand(demand_world["idea"], today=TODAY))
    _assert_world(_stored(demand_world["idea"]))
    # The PostgreSQL path writes only what changed: a second run rewrites no row.
    assert demand_refresh(today=TODAY).demand_written == 0


def test_idea_without_votes_has_zero_demand(db):
    idea = IdeaFactory()
    demand_refresh(today=TODAY)
    assert not IdeaDemand.objects.exists()
    for row in (idea_demand(idea, today=TODAY), _stored(idea)):
        assert (row.vote_count, row.account_count, row.arr_total) == (0, 0, Decimal("0"))
        assert (row.red_accounts, row.renewing_accounts, row.ticket_count) == (0, 0, 0)


def test_renewal_window_excludes_past_and_day_91(db):
    idea = IdeaFactory()
    for days in (-1, 0, 91):
        VoteFactory(idea=idea, contact=ContactFactory(account=_account("1.00", renews_in=days)))
    VoteFactory(idea=idea, contact=ContactFactory(account=_account("1.00", renews_in=None)))
    demand_refresh(today=TODAY)
    assert idea_demand(idea, today=TODAY).renewing_accounts == 1  # Only "today".
    assert _stored(idea).renewing_accounts == 1


def test_health_override_counts_by_effective_band(db):
    idea = IdeaFactory()
    account = AccountFactory()
    AccountHealthFactory(account=account, band=Band.GREEN, effective_band=Band.RED)
    VoteFactory(idea=idea, contact=ContactFactory(account=account))
    demand_refresh(today=TODAY)
    for demand in (idea_demand(idea, today=TODAY), _stored(idea)):
        assert (demand.red_accounts, demand.yellow_accounts) == (1, 0)


# --- Stored demand: what refreshes it ----------------------------------------------


def test_stored_demand_waits_for_the_recompute(demand_world):
    """GIVEN stored figures WHEN a vote is added without a recompute THEN the table
    shows the live vote counter but the account figures of the last run."""
    idea = demand_world["idea"]
    VoteFactory(idea=idea, contact=ContactFactory(account=_account("1000.00")))
    row = _stored(idea)
    assert (row.vote_count, row.account_count, row.arr_total) == (6, 3, Decimal("175000.00"))
    demand_refresh(today=TODAY)
    row = _stored(idea)
    assert (row.vote_count, row.account_count, row.arr_total) == (6, 4, Decimal("176000.00"))


def test_recompute_is_idempotent_for_stored_demand(demand_world):
    before = {d.pk: (d.computed_at, d.arr_total) for d in IdeaDemand.objects.all()}
    again = demand_refresh(today=TODAY)
    assert (again.demand_written, again.demand_deleted) == (0, 0)
    assert {d.pk: (d.computed_at, d.arr_total) for d in IdeaDemand.objects.all()} == before


def test_recompute_deletes_demand_that_is_gone_and_rewrites_what_changed(demand_world):
    idea, other = demand_world["idea"], demand_world["other"]
    Vote.objects.filter(idea=other).delete()
    IdeaTicket.objects.filter(idea=idea).delete()
    result = demand_refresh(today=TODAY)
    assert (result.demand_written, result.demand_deleted) == (1, 1)
    assert not IdeaDemand.objects.filter(idea=other).exists()
    stored = IdeaDemand.objects.get(idea=idea)
    assert (stored.ticket_count, stored.ticket_accounts, stored.vote_accounts) == (0, 0, 3)


def test_closed_ideas_are_computed_too(demand_world):
    """Shipped and declined ideas are left out of the risk evidence, not of the table:
    their account figures follow their accounts."""
    idea = demand_world["idea"]
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.SHIPPED)
    IdeaDemand.objects.all().delete()
    demand_refresh(today=TODAY)
    _assert_world(_stored(idea))


def test_merging_moves_the_stored_demand(demand_world, pm, django_capture_on_commit_callbacks):
    from feedback.services import idea_merge

    source, target = demand_world["other"], demand_world["idea"]
    with django_capture_on_commit_callbacks(execute=True):
        idea_merge(source=source, target=target, actor=pm)
    assert not IdeaDemand.objects.filter(idea=source).exists()
    assert IdeaDemand.objects.get(idea=target).vote_accounts == 4


def test_a_vote_refreshes_the_stored_demand_in_eager_mode(db, django_capture_on_commit_callbacks):
    """Tasks run inline (development, tests): the debounced recompute runs right after
    the vote commits, so the table shows the vote's account at once."""
    from feedback.services import vote_cast

    idea = IdeaFactory()
    contact = ContactFactory(account=AccountFactory(arr=Decimal("42000.00")))
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(idea=idea, actor=UserFactory(role=Role.CUSTOMER, contact=contact))
    stored = IdeaDemand.objects.get(idea=idea)
    assert (stored.customer_votes, stored.vote_accounts, stored.arr_total) == (
        1,
        1,
        Decimal("42000.00"),
    )


def test_a_ticket_link_refreshes_the_stored_demand_in_eager_mode(
    db, csm, django_capture_on_commit_callbacks
):
    from feedback.services.tickets import idea_ticket_link

    idea = IdeaFactory()
    with django_capture_on_commit_callbacks(execute=True):
        idea_ticket_link(idea=idea, ticket=TicketFactory(), actor=csm)
    stored = IdeaDemand.objects.get(idea=idea)
    assert (stored.ticket_count, stored.ticket_accounts, stored.vote_accounts) == (1, 1, 0)


def test_product_risk_flag_is_exposed(demand_world):
    """Three accounts open a flag (the default rule); 175k at risk, 1 red, 2 renewing
    score 17.5 + 10 + 13.33 = 40.83: medium."""
    for idea in (idea_demand(demand_world["idea"], today=TODAY), _stored(demand_world["idea"])):
        assert (idea.risk_severity, idea.risk_status) == ("medium", "open")
    assert _stored(demand_world["other"]).risk_severity is None


def test_triage_sorts_by_arr_both_ways(demand_world):
    IdeaFactory()  # No votes, no stored row: sorts as zero.
    ideas = list(triage_ideas(sort="arr", descending=True))
    assert [i.pk for i in ideas][:2] == [demand_world["idea"].pk, demand_world["other"].pk]
    ideas = list(triage_ideas(sort="arr", descending=False))[1:]
    assert [i.pk for i in ideas] == [demand_world["other"].pk, demand_world["idea"].pk]


@pytest.mark.parametrize(
    "sort", ["title", "votes", "customer_votes", "csm_votes", "accounts", "arr", "red",
             "yellow", "renewing", "tickets", "created", "unknown"],
)  # fmt: skip
def test_every_sort_runs(demand_world, sort):
    assert len(list(triage_ideas(sort=sort))) == 2


def test_triage_hides_merged_unless_asked(demand_world):
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=demand_world["idea"])
    assert merged.pk not in {i.pk for i in triage_ideas()}
    assert [i.pk for i in triage_ideas(status=IdeaStatus.MERGED)] == [merged.pk]


def test_with_demand_runs_one_query(demand_world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(with_demand(Idea.objects.all(), today=TODAY))
    assert len(rows) == 2
    with django_assert_num_queries(2):
        page = triage_rows(triage_ideas(sort="red")[:25])
    assert [row.red_accounts for row in page] == [1, 1]
