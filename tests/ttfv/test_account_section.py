"""The onboarding section of the Customer 360 page: the timeline, check-offs, undo, the
start date, "compute now", validation errors next to their control, who may act."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from tests.accounts.factories import AccountFactory, DailyUsageFactory, UserFactory
from tests.actors import ACTORS
from tests.ttfv import journeys as shared
from tests.ttfv.journeys import TODAY, days_ago, milestone, onboarding_account
from ttfv import services
from ttfv.models import MilestoneProgress, Onboarding

manual_template = shared.manual_template  # a fixture of the shared journeys

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail(account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def check_url(account, template, name) -> str:
    return reverse("ttfv:check", args=[account.pk, milestone(template, name).pk])


def uncheck_url(account, template, name) -> str:
    return reverse("ttfv:uncheck", args=[account.pk, milestone(template, name).pk])


@pytest.fixture
def late_account(manual_template):
    """Started 70 days ago (target 60): Kickoff checked off by a CSM on day 5, data
    connected detected from usage on day 20, no first value: late."""
    checker = UserFactory(role=Role.CSM, username="kim", first_name="Kim", last_name="Lee")
    account = onboarding_account(manual_template, started_days_ago=70, name="Late Co")
    MilestoneProgress.objects.create(
        account=account, milestone=milestone(manual_template, "Kickoff"),
        achieved_on=days_ago(65), source="manual", checked_by=checker,
    )  # fmt: skip
    DailyUsageFactory(account=account, day=days_ago(50), event="integration.synced")
    services.onboarding_recompute(account_ids=[account.pk], alerts=False)
    assert Onboarding.objects.get(account=account).status == "late"
    assert MilestoneProgress.objects.get(account=account, source="auto").achieved_on == days_ago(50)
    return account


def section(response) -> str:
    html = response.content.decode()
    start = html.index('<section id="onboarding"')
    return html[start : html.index("</section>", start)]


def test_the_timeline_shows_milestones_in_order_with_targets_sources_and_status(
    client_for, csm, late_account
):
    html = section(client_for(csm).get(detail(late_account)))
    names = re.findall(r'<strong class="ms-step-name">([^<]+)</strong>', html)
    assert names == ["Kickoff", "Data connected", "First value"]
    assert ">Late</span>" in html
    assert "Target: day 7" in html
    assert "Target: day 45" in html
    assert "Checked off by Kim Lee" in html
    assert "Detected from usage" in html
    assert "after its target day" in html  # data connected on day 20, target day 14
    assert "Overdue by 25 days" in html  # first value: day 45 of 70
    assert 'class="ms-step ms-overdue ms-step-first"' in html
    assert "10 days late" in html
    assert "Rule: integration.synced at least 1 time" in html


def test_the_section_sits_in_the_top_slot_with_its_anchor(client_for, csm, late_account):
    html = client_for(csm).get(detail(late_account)).content.decode()
    assert html.index('id="onboarding"') < html.index('id="usage-heading"')


def test_a_csm_sees_check_off_undo_and_start_controls(client_for, csm, late_account):
    html = section(client_for(csm).get(detail(late_account)))
    assert html.count(">Check off<") == 1  # first value only: the others are reached
    assert "Undo check-off" in html  # the manual kickoff; the auto one has no undo
    assert html.count("Undo check-off") == 1
    assert 'name="started_on"' in html
    assert f'value="{TODAY.isoformat()}"' in html  # the date defaults to today


def test_a_pm_sees_the_timeline_but_no_controls(client_for, pm, late_account):
    html = section(client_for(pm).get(detail(late_account)))
    assert "Checked off by Kim Lee" in html
    assert "<form" not in html


def test_an_account_never_computed_says_so_and_viewing_computes_nothing(
    client_for, csm, pm, manual_template
):
    account = AccountFactory()
    html = section(client_for(csm).get(detail(account)))
    assert "Onboarding not computed yet" in html
    assert "Compute now" in html
    assert "Compute now" not in section(client_for(pm).get(detail(account)))
    assert not Onboarding.objects.filter(account=account).exists()


def test_compute_now_computes_and_swaps_the_section(client_for, csm, manual_template):
    account = AccountFactory(started_on=days_ago(10))
    response = client_for(csm).post(reverse("ttfv:compute", args=[account.pk]), **HTMX)
    assert response.status_code == 200
    assert Onboarding.objects.get(account=account).status == "on_track"
    assert response.content.decode().lstrip().startswith('<section id="onboarding"')
    assert "Onboarding computed." in response.content.decode()


def test_checking_off_the_first_value_over_htmx_moves_the_status_and_ttfv(
    client_for, csm, late_account, manual_template
):
    response = client_for(csm).post(
        check_url(late_account, manual_template, "First value"),
        {"achieved_on": days_ago(5).isoformat()},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert ">Achieved late</span>" in html
    assert "65 days" in html
    assert "vs a target of 60" in html
    onboarding = Onboarding.objects.get(account=late_account)
    assert (onboarding.status, onboarding.ttfv_days) == ("achieved_late", 65)
    progress = MilestoneProgress.objects.get(account=late_account, milestone__name="First value")
    assert (progress.source, progress.checked_by) == ("manual", csm)


def test_a_plain_post_redirects_to_the_section_with_a_message(
    client_for, csm, late_account, manual_template
):
    client = client_for(csm)
    response = client.post(check_url(late_account, manual_template, "First value"))
    assert response.status_code == 302
    assert response["Location"] == detail(late_account) + "#onboarding"
    assert Onboarding.objects.get(account=late_account).first_value_on == TODAY  # empty: today
    assert "“First value” checked off." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("achieved_on", "error"),
    [
        ((TODAY + timedelta(days=366)).isoformat(), "cannot be reached in the future"),
        (days_ago(80).isoformat(), "pick that day or later"),
        ("31/02/2025", "Enter a date such as 2025-03-31."),
    ],
)
def test_invalid_check_off_dates_are_shown_next_to_the_control(
    client_for, csm, late_account, manual_template, achieved_on, error
):
    response = client_for(csm).post(
        check_url(late_account, manual_template, "First value"),
        {"achieved_on": achieved_on},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    first_value = milestone(manual_template, "First value")
    control = html.index(f'id="achieved-on-{first_value.pk}"')
    assert error in html[control:]
    assert f'value="{achieved_on}"' in html  # what was typed stays
    assert 'aria-invalid="true"' in html
    assert Onboarding.objects.get(account=late_account).status == "late"


def test_an_invalid_plain_post_redirects_with_the_error(
    client_for, csm, late_account, manual_template
):
    client = client_for(csm)
    response = client.post(
        check_url(late_account, manual_template, "First value"),
        {"achieved_on": days_ago(80).isoformat()},
        follow=True,
    )
    assert "pick that day or later" in response.content.decode()
    assert not MilestoneProgress.objects.filter(
        account=late_account, milestone__name="First value"
    ).exists()


def test_a_milestone_of_another_template_is_refused(client_for, csm, late_account):
    from tests.ttfv.factories import MilestoneFactory

    other = MilestoneFactory()
    response = client_for(csm).post(reverse("ttfv:check", args=[late_account.pk, other.pk]), **HTMX)
    assert response.status_code == 200
    assert "not part of the account&#x27;s onboarding" in response.content.decode()


def test_unknown_account_or_milestone_is_404(client_for, csm, late_account, manual_template):
    client = client_for(csm)
    first_value = milestone(manual_template, "First value")
    assert client.post(reverse("ttfv:check", args=[999999, first_value.pk])).status_code == 404
    assert client.post(reverse("ttfv:check", args=[late_account.pk, 999999])).status_code == 404


def test_a_usage_milestone_can_be_checked_off_by_hand(client_for, csm, manual_template):
    account = onboarding_account(manual_template, started_days_ago=20)
    services.onboarding_recompute(account_ids=[account.pk], alerts=False)
    response = client_for(csm).post(
        check_url(account, manual_template, "Data connected"),
        {"achieved_on": days_ago(2).isoformat()},
        **HTMX,
    )
    assert response.status_code == 200
    progress = MilestoneProgress.objects.get(account=account, milestone__name="Data connected")
    assert (progress.source, progress.achieved_on) == ("manual", days_ago(2))


def test_undo_removes_a_manual_check_off(client_for, csm, late_account, manual_template):
    client = client_for(csm)
    client.post(check_url(late_account, manual_template, "First value"), **HTMX)
    assert Onboarding.objects.get(account=late_account).status == "achieved_late"
    response = client.post(uncheck_url(late_account, manual_template, "First value"), **HTMX)
    assert response.status_code == 200
    assert ">Late</span>" in response.content.decode()
    assert Onboarding.objects.get(account=late_account).status == "late"


def test_undo_leaves_usage_detections_alone(client_for, csm, late_account, manual_template):
    client_for(csm).post(uncheck_url(late_account, manual_template, "Data connected"), **HTMX)
    assert MilestoneProgress.objects.filter(
        account=late_account, milestone__name="Data connected", source="auto"
    ).exists()


def test_setting_the_start_by_hand_and_back_to_the_contract_start(client_for, csm, late_account):
    client = client_for(csm)
    url = reverse("ttfv:start", args=[late_account.pk])
    response = client.post(url, {"started_on": days_ago(20).isoformat()}, **HTMX)
    assert response.status_code == 200
    onboarding = Onboarding.objects.get(account=late_account)
    assert (onboarding.started_on, onboarding.start_is_manual) == (days_ago(20), True)
    assert onboarding.status == "on_track"
    assert "Set by hand" in response.content.decode()
    client.post(url, {"started_on": ""}, **HTMX)
    onboarding.refresh_from_db()
    assert (onboarding.started_on, onboarding.start_is_manual) == (days_ago(70), False)


@pytest.mark.parametrize(
    ("started_on", "error"),
    [
        ((TODAY + timedelta(days=366)).isoformat(), "cannot be in the future"),
        ("yesterday", "Enter a date such as 2025-03-31."),
    ],
)
def test_invalid_start_dates_are_shown_next_to_the_field(
    client_for, csm, late_account, started_on, error
):
    response = client_for(csm).post(
        reverse("ttfv:start", args=[late_account.pk]), {"started_on": started_on}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html[html.index('id="onboarding-start"') :]
    assert Onboarding.objects.get(account=late_account).start_is_manual is False


def test_the_section_costs_three_queries_whatever_the_template_size(
    rf, csm, late_account, manual_template
):
    from ttfv.views.account import section_context

    request = rf.get("/")
    request.user = csm
    with CaptureQueriesContext(connection) as small:
        section_context(request, late_account)
    for position in range(3, 12):
        manual_template.milestones.create(
            name=f"Step {position}", position=position, target_offset_days=50, rule="manual"
        )
        MilestoneProgress.objects.create(
            account=late_account, milestone=milestone(manual_template, f"Step {position}"),
            achieved_on=days_ago(1), source="manual", checked_by=csm,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        context = section_context(request, late_account)
    assert len(context["steps"]) == 12
    assert len(small) == len(large) == 3


# --- Who may act ---------------------------------------------------------------------

# A plain POST that succeeds redirects back to the account (302), like a refusal of an
# anonymous visitor does (to the sign-in page): the Location tells them apart.
EXPECTED = {"anonymous": "login", "customer": 403, "csm": 302, "pm": 403, "admin": 302}


def _action_urls(account, template):
    return {
        "check": check_url(account, template, "First value"),
        "uncheck": uncheck_url(account, template, "First value"),
        "start": reverse("ttfv:start", args=[account.pk]),
        "compute": reverse("ttfv:compute", args=[account.pk]),
    }


@pytest.mark.parametrize("action", ["check", "uncheck", "start", "compute"])
@pytest.mark.parametrize("actor", ACTORS)
def test_action_access(actors, late_account, manual_template, action, actor):
    url = _action_urls(late_account, manual_template)[action]
    response = actors[actor].post(url)
    expected = EXPECTED[actor]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
        if expected == 302:
            assert response["Location"] == detail(late_account) + "#onboarding"


@pytest.mark.parametrize("action", ["check", "uncheck", "start", "compute"])
def test_actions_refuse_get(actors, late_account, manual_template, action):
    url = _action_urls(late_account, manual_template)[action]
    assert actors["csm"].get(url).status_code == 405


def test_a_customer_never_sees_the_section(actors, late_account):
    assert actors["customer"].get(detail(late_account)).status_code == 403
