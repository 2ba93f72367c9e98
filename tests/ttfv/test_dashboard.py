"""The onboarding dashboard: who is listed, milestone chips, days left, filters, sort,
counts, pagination, empty states, access and a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.roles import Role
from tests.accounts.factories import UserFactory
from tests.ttfv import journeys as shared
from tests.ttfv.journeys import days_ago, onboarding_account
from ttfv import services
from ttfv.models import Onboarding

manual_template = shared.manual_template  # a fixture of the shared journeys

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

URL = reverse("ttfv:dashboard")


def names_in_order(response) -> list[str]:
    return re.findall(r'class="cell-title" href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def journeys(manual_template):
    """A late, an at-risk, an on-track, a recent win, an old win and a not-started account."""
    riley = UserFactory(role=Role.CSM, username="riley", first_name="Riley", last_name="Santos")
    made = {
        "Late Co": onboarding_account(
            manual_template, started_days_ago=70, reached={"Kickoff": 65},
            name="Late Co", csm_owner=riley, segment="SMB",
        ),
        "Risky Co": onboarding_account(
            manual_template, started_days_ago=50, name="Risky Co", segment="Enterprise",
        ),
        "Fresh Co": onboarding_account(
            manual_template, started_days_ago=3, name="Fresh Co", csm_owner=riley, segment="SMB",
        ),
        "Recent Win": onboarding_account(
            manual_template, started_days_ago=40, reached={"Kickoff": 38, "First value": 5},
            name="Recent Win", segment="SMB",
        ),
        "Old Win": onboarding_account(
            manual_template, started_days_ago=200, reached={"First value": 150},
            name="Old Win", segment="SMB",
        ),
        "No Start": onboarding_account(manual_template, started_days_ago=None, name="No Start"),
    }  # fmt: skip
    services.onboarding_recompute(alerts=False)
    return made


def test_lists_open_onboardings_and_recent_wins_but_not_old_wins(client_for, csm, journeys):
    response = client_for(csm).get(URL)
    assert response.status_code == 200
    listed = names_in_order(response)
    assert set(listed) == {"Late Co", "Risky Co", "Fresh Co", "Recent Win", "No Start"}
    assert Onboarding.objects.get(account=journeys["Old Win"]).first_value_on == days_ago(150)


def test_urgent_sort_puts_the_latest_first_wins_after_and_no_start_last(client_for, csm, journeys):
    listed = names_in_order(client_for(csm).get(URL))
    assert listed == ["Late Co", "Risky Co", "Fresh Co", "No Start", "Recent Win"]


def test_relaxed_and_name_sorts(client_for, csm, journeys):
    client = client_for(csm)
    assert names_in_order(client.get(URL, {"sort": "relaxed"})) == [
        "Fresh Co",
        "Risky Co",
        "Late Co",
        "No Start",
        "Recent Win",
    ]
    assert names_in_order(client.get(URL, {"sort": "name"})) == sorted(
        ["Late Co", "Risky Co", "Fresh Co", "Recent Win", "No Start"]
    )


def test_rows_show_days_left_or_late_status_and_ttfv(client_for, csm, journeys):
    html = client_for(csm).get(URL).content.decode()
    assert "10 days late" in html  # started 70 days ago, target 60
    assert "57 days left" in html  # started 3 days ago
    assert "No start date" in html
    assert "TTFV 35 days" in html  # Recent Win: started 40 days ago, first value 5 days ago
    for label in ("Late", "At risk", "On track", "Achieved on time", "Not started"):
        assert f">{label}</span>" in html


def test_milestone_chips_show_reached_overdue_due_and_pending(client_for, csm, journeys):
    html = client_for(csm).get(URL, {"status": "late"}).content.decode()
    chips = re.findall(r'<li class="(ms-chip[^"]*)">', html)
    # Late Co: Kickoff checked off on day 5 (target day 7), Data connected and First
    # value overdue.
    assert chips == ["ms-chip ms-reached", "ms-chip ms-overdue", "ms-chip ms-overdue ms-first"]
    assert "56 days overdue" in html  # day 14 of a 70-day-old start
    html = client_for(csm).get(URL, {"status": "on_track"}).content.decode()
    assert re.findall(r'<li class="(ms-chip[^"]*)">', html) == [
        "ms-chip ms-due",  # Kickoff due in 4 days
        "ms-chip ms-pending",
        "ms-chip ms-pending ms-first",
    ]
    assert "due in 4 days" in html


def test_filters_by_csm_segment_and_status(client_for, csm, journeys):
    client = client_for(csm)
    riley = journeys["Late Co"].csm_owner
    assert set(names_in_order(client.get(URL, {"csm": riley.pk}))) == {"Late Co", "Fresh Co"}
    assert set(names_in_order(client.get(URL, {"segment": "Enterprise"}))) == {"Risky Co"}
    assert names_in_order(client.get(URL, {"status": "at_risk"})) == ["Risky Co"]
    assert names_in_order(client.get(URL, {"csm": riley.pk, "status": "late"})) == ["Late Co"]


def test_the_filter_form_is_labelled_and_offers_the_csms_and_segments(client_for, csm, journeys):
    html = client_for(csm).get(URL).content.decode()
    for field, label in (("csm", "CSM"), ("segment", "Segment"), ("status", "Status")):
        assert f'<label for="id_{field}">{label}</label>' in html
    assert ">Riley Santos</option>" in html
    assert '<option value="Enterprise">Enterprise</option>' in html


def test_unknown_filter_values_are_ignored(client_for, csm, journeys):
    response = client_for(csm).get(
        URL, {"csm": "999999", "segment": "Nope", "status": "bogus", "sort": "x"}
    )
    assert response.status_code == 200
    assert len(names_in_order(response)) == 5


def test_status_counts_follow_csm_and_segment_but_not_the_status_filter(client_for, csm, journeys):
    def counts(response) -> dict[str, int]:
        return {item.status: item.count for item in response.context["counts"]}

    client = client_for(csm)
    assert counts(client.get(URL, {"status": "late"})) == {
        "not_started": 1,
        "on_track": 1,
        "at_risk": 1,
        "late": 1,
        "achieved": 1,  # Recent Win; Old Win dropped off after 30 days
        "achieved_late": 0,
    }
    assert counts(client.get(URL, {"segment": "SMB"}))["on_track"] == 1
    assert counts(client.get(URL, {"segment": "Enterprise"}))["on_track"] == 0


def test_empty_state_without_onboardings(client_for, csm, manual_template):
    html = client_for(csm).get(URL).content.decode()
    assert "No accounts in onboarding" in html


def test_empty_state_when_filters_match_nothing(client_for, csm, journeys):
    html = client_for(csm).get(URL, {"status": "achieved_late"}).content.decode()
    assert "No onboardings match these filters" in html
    assert "Clear filters" in html


def test_pagination_keeps_the_filters(client_for, csm, manual_template):
    for _ in range(30):
        onboarding_account(manual_template, started_days_ago=10, segment="SMB")
    services.onboarding_recompute(alerts=False)
    client = client_for(csm)
    first = client.get(URL, {"segment": "SMB"})
    assert len(names_in_order(first)) == 25
    assert "segment=SMB&amp;page=2" in first.content.decode()
    second = client.get(URL, {"segment": "SMB", "page": 2})
    assert len(names_in_order(second)) == 5
    assert not set(names_in_order(first)) & set(names_in_order(second))


@pytest.mark.parametrize("accounts", [1, 30])
def test_the_page_runs_a_constant_number_of_queries(
    client_for, django_assert_max_num_queries, manual_template, accounts
):
    owners = [UserFactory(role=Role.CSM) for _ in range(3)]
    for index in range(accounts):
        onboarding_account(
            manual_template, started_days_ago=10 + index, reached={"Kickoff": 5},
            csm_owner=owners[index % 3], segment=f"S{index % 4}",
        )  # fmt: skip
    services.onboarding_recompute(alerts=False)
    client = client_for(owners[0])
    # session + user, filter choices (2), count, page, milestones, progress, status
    # counts, the navigation's unread alert count
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(names_in_order(response)) == min(accounts, 25)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 302), ("customer", 403), ("csm", 200), ("pm", 200), ("admin", 200)],
)
def test_access(actors, actor, expected):
    response = actors[actor].get(URL)
    assert response.status_code == expected
    if actor == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_navigation_links_to_the_dashboard_for_staff_only(actors):
    assert f'href="{URL}"' in actors["csm"].get(reverse("accounts:portfolio")).content.decode()
    assert f'href="{URL}"' not in actors["customer"].get(reverse("feedback:board")).content.decode()
