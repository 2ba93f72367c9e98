"""The triage pages: table, sorting, filters, query counts, status change, merge, tickets."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from feedback.models import Idea, IdeaTicket, StatusChange
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from tests.accounts.factories import AccountFactory, ContactFactory, TicketFactory, UserFactory
from tests.feedback.factories import CategoryFactory, IdeaFactory, VoteFactory, demand_refresh
from tests.healthscores.factories import AccountHealthFactory

TRIAGE = reverse("feedback:triage")


@pytest.fixture
def pm_client(client_for, pm):
    return client_for(pm)


def _ideas_with_demand(count: int) -> list[Idea]:
    """Ideas with votes from several accounts (some scored), tickets and a category, and
    their demand stored as the recompute after those votes stores it."""
    category = CategoryFactory(name="Reporting", slug="reporting")
    csm = UserFactory(role=Role.CSM)
    ideas = []
    for n in range(count):
        idea = IdeaFactory(title=f"Idea {n:03d}", category=category)
        account = AccountFactory(arr=Decimal(1000 * (n + 1)))
        AccountHealthFactory(account=account, band="red", effective_band="red")
        VoteFactory(idea=idea, contact=ContactFactory(account=account))
        VoteFactory(idea=idea, contact=ContactFactory(account=account), added_by=csm)
        IdeaTicket.objects.create(idea=idea, ticket=TicketFactory(account=account))
        ideas.append(idea)
    demand_refresh()
    return ideas


def test_triage_lists_ideas_with_formatted_demand(pm_client, db):
    idea = _ideas_with_demand(1)[0]
    Idea.objects.filter(pk=idea.pk).update(title="Scheduled exports")
    AccountFactory()  # An account without votes changes nothing.
    big = AccountFactory(arr=Decimal("1234567.00"))
    VoteFactory(idea=idea, contact=ContactFactory(account=big))
    demand_refresh()
    response = pm_client.get(TRIAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Scheduled exports" in html
    assert "$1,235,567" in html  # 1,000 + 1,234,567, each account once, as money.
    row = response.context["page"].object_list[0]
    # 3 votes (one added by a CSM) from 2 accounts; the big one has no health score yet.
    assert (row.vote_count, row.customer_votes, row.csm_votes) == (3, 2, 1)
    assert (row.account_count, row.red_accounts, row.ticket_count) == (2, 1, 1)
    assert reverse("feedback:idea_status", args=[idea.pk]) in html
    assert reverse("feedback:merge", args=[idea.pk]) in html


def test_triage_query_count_is_constant(pm_client, db, django_assert_max_num_queries):
    _ideas_with_demand(10)
    with django_assert_max_num_queries(10) as ten:
        assert pm_client.get(TRIAGE).status_code == 200
    _ideas_with_demand(30)
    with django_assert_max_num_queries(10) as forty:
        response = pm_client.get(TRIAGE + "?sort=arr&dir=desc")
    assert response.status_code == 200
    assert len(forty.captured_queries) == len(ten.captured_queries)
    assert len(response.context["page"].object_list) == 25


def test_triage_says_how_old_the_account_figures_are_in_the_viewers_zone(client_for, pm, db):
    from productrisk.models import RiskRule

    _ideas_with_demand(1)
    RiskRule.objects.update(recomputed_at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    pm.time_zone = "Asia/Tokyo"
    pm.save(update_fields=["time_zone"])
    html = client_for(pm).get(TRIAGE).content.decode()
    assert "Account figures as of" in html
    assert 'datetime="2026-03-03T08:30:00+09:00"' in html  # Tokyo is 9 hours ahead.
    assert "refreshed hourly and a minute after new votes" in html


def test_triage_before_the_first_recompute_shows_zeros_and_says_so(pm_client, db):
    idea = IdeaFactory()
    VoteFactory(idea=idea, contact=ContactFactory(account=AccountFactory(arr=Decimal(5000))))
    response = pm_client.get(TRIAGE)
    row = response.context["page"].object_list[0]
    assert (row.vote_count, row.account_count, row.arr_total) == (1, 0, Decimal(0))
    assert "computed for the first time" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "aria_sort"),
    [
        ("?status=all", "descending"),
        ("?sort=votes&dir=asc", "ascending"),
        ("?status=all&sort=arr", "none"),
    ],
)
def test_sort_links_carry_aria_sort(pm_client, db, query, aria_sort):
    _ideas_with_demand(2)
    response = pm_client.get(TRIAGE + query)
    votes = response.context["columns"]["votes"]
    assert votes["aria_sort"] == aria_sort
    assert f'aria-sort="{aria_sort}"' in response.content.decode()


def test_sort_by_arr_orders_rows(pm_client, db):
    ideas = _ideas_with_demand(3)
    desc = pm_client.get(TRIAGE + "?sort=arr&dir=desc").context["page"].object_list
    assert [i.pk for i in desc] == [i.pk for i in reversed(ideas)]
    asc = pm_client.get(TRIAGE + "?sort=arr&dir=asc").context["page"].object_list
    assert [i.pk for i in asc] == [i.pk for i in ideas]


def test_filters_and_search(pm_client, db):
    ideas = _ideas_with_demand(2)
    planned = IdeaFactory(title="Dark mode", status=IdeaStatus.PLANNED)
    response = pm_client.get(TRIAGE, {"status": "planned"})
    assert [i.pk for i in response.context["page"]] == [planned.pk]
    category = ideas[0].category_id
    response = pm_client.get(TRIAGE, {"category": category})
    assert {i.pk for i in response.context["page"]} == {i.pk for i in ideas}
    response = pm_client.get(TRIAGE, {"q": "dark", "status": "all"})
    assert [i.pk for i in response.context["page"]] == [planned.pk]


def test_bad_parameters_fall_back_to_defaults(pm_client, db):
    _ideas_with_demand(1)
    response = pm_client.get(
        TRIAGE, {"status": "all", "sort": "drop table", "dir": "x", "category": "abc"}
    )
    assert response.status_code == 200
    assert response.context["columns"]["votes"]["aria_sort"] == "descending"


def test_empty_state(pm_client, db):
    response = pm_client.get(TRIAGE)
    assert "Nothing left to triage" in response.content.decode()
    response = pm_client.get(TRIAGE, {"status": "all"})
    assert "Nothing to triage" in response.content.decode()
    response = pm_client.get(TRIAGE, {"q": "nothing like this"})
    assert "No ideas match" in response.content.decode()


def test_pagination(pm_client, db):
    _ideas_with_demand(27)
    response = pm_client.get(TRIAGE, {"page": 2})
    assert len(response.context["page"].object_list) == 2


# --- Status -----------------------------------------------------------------------


def test_status_change_with_message_notifies_voters(
    pm_client, db, customer_a, django_capture_on_commit_callbacks
):
    idea = IdeaFactory()
    VoteFactory(idea=idea, contact=customer_a.contact, user=customer_a)
    url = reverse("feedback:idea_status", args=[idea.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = pm_client.post(
            url, {"status": "planned", "message": "Coming in Q3.", "next": TRIAGE + "?sort=arr"}
        )
    assert response.status_code == 302
    assert response.url == TRIAGE + "?sort=arr"
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PLANNED
    assert StatusChange.objects.get(idea=idea).message == "Coming in Q3."
    assert Alert.objects.filter(recipient=customer_a).count() == 1


def test_status_change_refuses_unknown_status_and_offsite_next(pm_client, db):
    idea = IdeaFactory()
    url = reverse("feedback:idea_status", args=[idea.pk])
    response = pm_client.post(url, {"status": "merged"})
    assert response.status_code == 400
    response = pm_client.post(url, {"status": "planned", "next": "https://evil.example/"})
    assert response.url == TRIAGE


def test_status_panel_shows_demand(pm_client, db):
    idea = _ideas_with_demand(1)[0]
    response = pm_client.get(reverse("feedback:idea_status", args=[idea.pk]))
    assert response.status_code == 200
    assert "$1,000" in response.content.decode()


# --- Merge ------------------------------------------------------------------------


def test_merge_flow_search_confirm_merge(pm_client, db, customer_a):
    source = IdeaFactory(title="Export to CSV files")
    target = IdeaFactory(title="CSV export")
    VoteFactory(idea=source, contact=customer_a.contact, user=customer_a)
    url = reverse("feedback:merge", args=[source.pk])
    chooser = pm_client.get(url, {"q": "csv export"})
    assert [i.pk for i in chooser.context["candidates"]] == [target.pk]
    confirm = pm_client.get(url, {"target": target.pk})
    assert confirm.context["preview"].votes_moving == 1
    assert "1</strong> vote moves" in confirm.content.decode()
    response = pm_client.post(url, {"target": target.pk})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.merged_into_id == target.pk


def test_merge_into_itself_is_refused_with_a_message(pm_client, db):
    idea = IdeaFactory()
    response = pm_client.post(reverse("feedback:merge", args=[idea.pk]), {"target": idea.pk})
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.content.decode()


# --- Tickets ----------------------------------------------------------------------


def test_link_and_unlink_ticket_from_the_idea(client_for, csm, db):
    client = client_for(csm)
    idea = IdeaFactory()
    ticket = TicketFactory(subject="Export keeps timing out", external_id="ZD-4242")
    url = reverse("feedback:idea_tickets", args=[idea.pk])
    found = client.get(url, {"q": "ZD-4242"})
    assert list(found.context["results"]) == [ticket]
    for _ in range(2):  # Idempotent.
        client.post(url, {"ticket": ticket.pk, "action": "link"})
    assert IdeaTicket.objects.filter(idea=idea, ticket=ticket).count() == 1
    page = client.get(url).content.decode()
    assert ticket.account.name in page
    client.post(url, {"ticket": ticket.pk, "action": "unlink"})
    assert not IdeaTicket.objects.exists()


def test_link_ticket_to_several_ideas_from_the_ticket(client_for, csm, db):
    client = client_for(csm)
    first, second = IdeaFactory(title="Bulk export"), IdeaFactory(title="Export API")
    ticket = TicketFactory(subject="Export of all reports")
    url = reverse("feedback:ticket_ideas", args=[ticket.pk])
    suggestions = client.get(url).context["results"]
    assert {i.pk for i in suggestions} == {first.pk, second.pk}
    response = client.post(url, {"ideas": [first.pk, second.pk], "action": "link"})
    assert response.status_code == 302
    assert set(ticket.idea_links.values_list("idea_id", flat=True)) == {first.pk, second.pk}
    client.post(url, {"ideas": [first.pk], "action": "unlink"})
    assert list(ticket.idea_links.values_list("idea_id", flat=True)) == [second.pk]


def test_link_to_merged_idea_is_refused(client_for, csm, db):
    target = IdeaFactory()
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=target)
    ticket = TicketFactory()
    client = client_for(csm)
    client.post(
        reverse("feedback:ticket_ideas", args=[ticket.pk]),
        {"ideas": [merged.pk], "action": "link"},
    )
    assert not IdeaTicket.objects.exists()
    response = client.get(reverse("feedback:idea_tickets", args=[merged.pk]))
    assert response.url == reverse("feedback:idea_tickets", args=[target.pk])


def test_customer_360_links_each_ticket_to_ideas(client_for, csm, db):
    ticket = TicketFactory()
    page = client_for(csm).get(reverse("accounts:detail", args=[ticket.account_id]))
    assert reverse("feedback:ticket_ideas", args=[ticket.pk]) in page.content.decode()
