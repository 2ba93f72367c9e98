"""The product-risk pages: what they show, their actions, and their query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from healthscores.models import Band
from productrisk import services
from productrisk.models import ProductRisk, RiskRule
from tests.accounts.factories import AccountFactory, UserFactory
from tests.healthscores.factories import AccountHealthFactory, HealthSnapshotFactory
from tests.productrisk.factories import ProductRiskFactory, flag_with_accounts
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

Status = ProductRisk.Status


@pytest.fixture(autouse=True)
def _rule():
    """The rule row exists (its first use creates it, a one-off the budgets leave out)."""
    return services.risk_rule()


def accounts(n: int, **fields):
    return [AccountFactory(**fields) for _ in range(n)]


# --- Dashboard -------------------------------------------------------------------------


def test_dashboard_lists_active_flags_by_severity_then_arr_at_risk(client_for, pm):
    low_big = ProductRiskFactory(severity="low", arr_at_risk=Decimal("900000"), idea__title="Low")
    high_small = ProductRiskFactory(severity="high", arr_at_risk=Decimal("1000"), idea__title="Hi1")
    high_big = ProductRiskFactory(severity="high", arr_at_risk=Decimal("5000"), idea__title="Hi2")
    ProductRiskFactory(status=Status.DISMISSED, idea__title="Gone")
    ProductRiskFactory(status=Status.RESOLVED, idea__title="Shipped")
    response = client_for(pm).get(reverse("productrisk:risks"))
    assert response.status_code == 200
    listed = [risk.pk for risk in response.context["page"].object_list]
    assert listed == [high_big.pk, high_small.pk, low_big.pk]
    html = response.content.decode()
    assert "Gone" not in html
    assert "$5,000" in html
    tabs = {tab["key"]: tab["count"] for tab in response.context["summary"].tabs}
    assert tabs == {
        "active": 3, "open": 3, "acknowledged": 0, "planned": 0, "resolved": 1, "dismissed": 1,
    }  # fmt: skip


def test_dashboard_tabs_and_severity_filter(client_for, pm):
    ProductRiskFactory(status=Status.DISMISSED, idea__title="Dismissed one")
    ProductRiskFactory(severity="high", idea__title="High one")
    ProductRiskFactory(severity="low", idea__title="Low one")
    client = client_for(pm)
    dismissed = client.get(reverse("productrisk:risks"), {"status": "dismissed"}).content.decode()
    assert "Dismissed one" in dismissed
    assert "High one" not in dismissed
    high = client.get(reverse("productrisk:risks"), {"severity": "high"}).content.decode()
    assert "High one" in high
    assert "Low one" not in high
    # An unknown value is ignored rather than an error.
    assert client.get(reverse("productrisk:risks"), {"status": "nope"}).status_code == 200


def test_summary_counts_each_account_at_risk_once(client_for, pm):
    red = AccountFactory(arr=Decimal("100000"))
    renewing = AccountFactory(arr=Decimal("20000"))
    green = AccountFactory(arr=Decimal("70000"))
    flag_with_accounts([(red, {"band": "red"}), (renewing, {"renews_soon": True}), green])
    flag_with_accounts([(red, {"band": "red"}), green], severity="high")
    summary = client_for(pm).get(reverse("productrisk:risks")).context["summary"]
    assert summary.arr_at_risk == Decimal("120000")
    assert summary.accounts_at_risk == 2
    assert {item["key"]: item["count"] for item in summary.by_severity} == {
        "high": 1, "medium": 1, "low": 0,
    }  # fmt: skip


def test_acknowledge_from_the_dashboard_returns_to_it(client_for, pm, csm):
    risk = ProductRiskFactory(idea__title="Row action")
    client = client_for(pm)
    dashboard = reverse("productrisk:risks") + "?severity=medium"
    html = client.get(dashboard).content.decode()
    assert "Acknowledge Row action" in html
    assert f"{reverse('productrisk:risk', args=[risk.pk])}#dismiss-heading" in html
    response = client.post(reverse("productrisk:acknowledge", args=[risk.pk]), {"next": dashboard})
    assert response["Location"] == dashboard
    risk.refresh_from_db()
    assert risk.status == Status.ACKNOWLEDGED
    # Elsewhere than this site: back to the flag instead.
    response = client.post(
        reverse("productrisk:acknowledge", args=[risk.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("productrisk:risk", args=[risk.pk])
    assert "Acknowledge Row action" not in client_for(csm).get(dashboard).content.decode()


def test_dashboard_empty_state(client_for, pm):
    html = client_for(pm).get(reverse("productrisk:risks")).content.decode()
    assert "No product gap is blocking several accounts" in html


@pytest.mark.parametrize("count", [2, 30])
def test_dashboard_query_count_does_not_grow(client_for, pm, count, django_assert_max_num_queries):
    for _ in range(count):
        flag_with_accounts(accounts(2))
    client = client_for(pm)
    # session, user, rule, summary counts, distinct ARR at risk, page count, page rows,
    # their largest accounts, the alert badge.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("productrisk:risks"))
    assert len(response.context["page"].object_list) == min(count, 25)


def test_dashboard_paginates(client_for, pm):
    for _ in range(27):
        ProductRiskFactory()
    client = client_for(pm)
    assert len(client.get(reverse("productrisk:risks")).context["page"].object_list) == 25
    assert (
        len(client.get(reverse("productrisk:risks"), {"page": 2}).context["page"].object_list) == 2
    )


# --- The flag page ---------------------------------------------------------------------


@pytest.fixture
def flag():
    owner = UserFactory(role=Role.CSM, first_name="Casey", last_name="Moss")
    big = AccountFactory(name="Big Red Co", arr=Decimal("300000"), csm_owner=owner)
    small = AccountFactory(name="Small Green Co", arr=Decimal("20000"))
    late = AccountFactory(name="Late Co", arr=Decimal("50000"))
    return flag_with_accounts(
        [
            (big, {"band": "red"}),
            (small, {"by_vote": False, "by_ticket": True}),
            (late, {"late_onboarding": True, "renews_soon": True, "band": "yellow"}),
        ],
        severity="high",
        score=68.3,
        idea__title="SSO with Okta",
    )


def test_flag_page_shows_numbers_why_and_the_accounts(client_for, pm, flag):
    response = client_for(pm).get(reverse("productrisk:risk", args=[flag.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "SSO with Okta" in html
    assert "$350,000" in html  # ARR at risk: the red and the yellow account
    assert "Why this severity" in html
    parts = {part.key: part.points for part in response.context["score_parts"]}
    assert parts["arr"] == pytest.approx(35.0)  # 50 x 350k / 500k
    assert parts["red"] == pytest.approx(10.0)  # 30 x 1 / 3
    rows = response.context["evidence"].object_list
    assert [row.account.name for row in rows] == ["Big Red Co", "Late Co", "Small Green Co"]
    assert "Casey Moss" in html
    assert reverse("accounts:detail", args=[rows[0].account_id]) in html
    assert "late onboarding" in html
    assert "ticket" in html
    assert "Acknowledge" in html
    assert "Opened" in html


def test_flag_page_for_a_csm_has_no_actions(client_for, csm, flag):
    html = client_for(csm).get(reverse("productrisk:risk", args=[flag.pk])).content.decode()
    assert "SSO with Okta" in html
    assert "Acknowledge" not in html
    assert "Dismiss flag" not in html


def test_flag_page_query_count_does_not_grow(client_for, pm, django_assert_max_num_queries):
    small = flag_with_accounts(accounts(2))
    large = flag_with_accounts(accounts(40, csm_owner=UserFactory(role=Role.CSM)))
    client = client_for(pm)
    for risk in (small, large):
        # session, user, flag, rule, evidence count and page, roadmap items, alert badge.
        with django_assert_max_num_queries(9):
            assert client.get(reverse("productrisk:risk", args=[risk.pk])).status_code == 200


def test_acknowledge_then_dismiss_with_reason_then_reopen(client_for, pm, flag):
    client = client_for(pm)
    url = reverse("productrisk:risk", args=[flag.pk])
    response = client.post(reverse("productrisk:acknowledge", args=[flag.pk]))
    assert response.status_code == 302
    assert response["Location"] == url
    flag.refresh_from_db()
    assert flag.status == Status.ACKNOWLEDGED
    assert flag.acknowledged_at is not None

    response = client.post(reverse("productrisk:dismiss", args=[flag.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the flag is dismissed." in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == Status.ACKNOWLEDGED

    client.post(reverse("productrisk:dismiss", args=[flag.pk]), {"reason": "Not on our plan."})
    flag.refresh_from_db()
    assert flag.status == Status.DISMISSED
    assert flag.dismissed_reason == "Not on our plan."
    html = client.get(url).content.decode()
    assert "Not on our plan." in html  # in the status history
    assert "Re-open" in html

    client.post(reverse("productrisk:reopen", args=[flag.pk]))
    flag.refresh_from_db()
    assert flag.status == Status.OPEN


def test_an_impossible_transition_is_a_message_not_an_error(client_for, pm):
    risk = ProductRiskFactory(status=Status.RESOLVED)
    response = client_for(pm).post(reverse("productrisk:acknowledge", args=[risk.pk]), follow=True)
    assert response.status_code == 200
    assert "A resolved flag cannot be acknowledged." in response.content.decode()
    risk.refresh_from_db()
    assert risk.status == Status.RESOLVED


def test_actions_are_post_only(client_for, pm, flag):
    assert client_for(pm).get(reverse("productrisk:acknowledge", args=[flag.pk])).status_code == 405


def test_flag_page_links_linked_roadmap_items_and_the_editor(client_for, pm, flag):
    item = RoadmapItemFactory(title="Okta SSO", column="in_progress")
    item.ideas.add(flag.idea)
    html = client_for(pm).get(reverse("productrisk:risk", args=[flag.pk])).content.decode()
    assert "Okta SSO" in html
    assert f"{reverse('roadmap:editor')}?link_idea={flag.idea_id}" in html


def test_missing_flag_is_404(client_for, pm):
    assert client_for(pm).get(reverse("productrisk:risk", args=[99999])).status_code == 404


# --- Impact after shipping -------------------------------------------------------------


def _scores(account, ship: date, before: float, after: float, span: int = 90):
    for offset in range(-span, span + 1):
        if offset:
            HealthSnapshotFactory(
                account=account,
                day=ship + timedelta(days=offset),
                score=before if offset < 0 else after,
                band=Band.YELLOW,
            )


@pytest.fixture
def shipped_flag():
    ship = date(2026, 3, 1)
    asked = accounts(2)
    others = accounts(2)
    for account in asked:
        _scores(account, ship, before=40, after=60)
    for account in others:
        _scores(account, ship, before=50, after=55)
    risk = flag_with_accounts(
        asked,
        status=Status.RESOLVED,
        resolved_at=datetime(2026, 3, 5, 12, tzinfo=UTC),
        idea__title="Bulk export",
    )
    item = RoadmapItemFactory(column="shipped", shipped_on=ship)
    item.ideas.add(risk.idea)
    return risk


def test_resolved_flag_shows_impact_with_difference_in_differences(client_for, pm, shipped_flag):
    response = client_for(pm).get(reverse("productrisk:risk", args=[shipped_flag.pk]))
    html = response.content.decode()
    report = response.context["impact"]
    assert response.context["ship_date"] == date(2026, 3, 1)  # the item's, not resolved_at
    thirty = report.windows[0]
    assert thirty.affected_delta == pytest.approx(20)
    assert thirty.baseline_delta == pytest.approx(5)
    assert thirty.did == pytest.approx(15)
    assert 'id="impact-data"' in html
    assert "+15.0" in html
    assert "vendor/plotly.min.js" in html


def test_resolved_flag_without_history_shows_the_empty_state(client_for, pm):
    risk = flag_with_accounts(accounts(2), status=Status.RESOLVED, resolved_at=timezone.now())
    html = client_for(pm).get(reverse("productrisk:risk", args=[risk.pk])).content.decode()
    assert "Not enough health history yet" in html
    assert "plotly.min.js" not in html


def test_impact_page_pools_resolved_flags(
    client_for, csm, shipped_flag, django_assert_max_num_queries
):
    # Resolved a year later: its windows see none of the first flag's history.
    later = shipped_flag.resolved_at + timedelta(days=365)
    flag_with_accounts(accounts(1), status=Status.RESOLVED, resolved_at=later)
    client = client_for(csm)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("productrisk:impact"))
    html = response.content.decode()
    assert "Bulk export" in html
    assert response.context["report"].windows[0].did == pytest.approx(15)
    assert "Days from ship" in html


def test_impact_page_empty_state(client_for, pm):
    html = client_for(pm).get(reverse("productrisk:impact")).content.decode()
    assert "No flag has been resolved yet" in html


# --- The rule --------------------------------------------------------------------------


def test_rule_page_shows_defaults_and_admin_saves(client_for, admin_user):
    client = client_for(admin_user)
    html = client.get(reverse("productrisk:rule")).content.decode()
    assert "Default: 3." in html
    assert "Save rule" in html
    data = {
        "min_accounts": 4,
        "arr_threshold": "100000",
        "renewal_window_days": 60,
        "arr_reference": "400000",
        "medium_score": 30,
        "high_score": 70,
    }
    response = client.post(reverse("productrisk:rule"), data)
    assert response.status_code == 302
    rule = RiskRule.objects.get()
    assert rule.min_accounts == 4
    assert rule.updated_by == admin_user


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("min_accounts", 0, "greater than or equal to 1"),
        ("renewal_window_days", 900, "less than or equal to 730"),
        ("high_score", 20, "must be above the score for medium"),
        ("arr_threshold", "-5", "greater than or equal to 0"),
    ],
)
def test_rule_form_refuses_bad_values(client_for, admin_user, field, value, error):
    data = {
        "min_accounts": 3,
        "arr_threshold": "250000",
        "renewal_window_days": 90,
        "arr_reference": "500000",
        "medium_score": 35,
        "high_score": 65,
    } | {field: value}
    response = client_for(admin_user).post(reverse("productrisk:rule"), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not RiskRule.objects.filter(min_accounts=0).exists()


def test_a_product_manager_reads_the_rule_but_cannot_save(client_for, pm):
    client = client_for(pm)
    html = client.get(reverse("productrisk:rule")).content.decode()
    assert "Only an admin can change the rule." in html
    assert "Save rule" not in html
    response = client.post(reverse("productrisk:rule"), {"min_accounts": 9})
    assert response.status_code == 403


# --- A CSM's blocked accounts ----------------------------------------------------------


def test_my_risks_lists_my_blocked_accounts_with_their_gaps(client_for, csm):
    mine_red = AccountFactory(name="Mine Red", csm_owner=csm, arr=Decimal("80000"))
    mine_ok = AccountFactory(name="Mine Fine", csm_owner=csm, arr=Decimal("10000"))
    AccountFactory(name="Mine Unblocked", csm_owner=csm)
    theirs = AccountFactory(name="Someone Else's", csm_owner=UserFactory(role=Role.CSM))
    AccountHealthFactory(account=mine_red, band="red", effective_band="red")
    flag_with_accounts([(mine_red, {"band": "red"}), mine_ok, theirs], idea__title="Gap one")
    flag_with_accounts([(mine_red, {"band": "red"})], idea__title="Gap two", severity="high")
    ProductRiskFactory(status=Status.DISMISSED)  # no evidence: nothing to show
    response = client_for(csm).get(reverse("productrisk:my_risks"))
    html = response.content.decode()
    rows = response.context["rows"]
    assert [row["account"].name for row in rows] == ["Mine Red", "Mine Fine"]
    assert [gap.risk.idea.title for gap in rows[0]["gaps"]] == ["Gap two", "Gap one"]
    assert "Someone Else" not in html
    assert "Mine Unblocked" not in html
    summary = response.context["summary"]
    assert summary["accounts"] == 2
    assert summary["arr_at_risk"] == Decimal("80000")


def test_my_risks_for_someone_without_accounts(client_for, pm):
    html = client_for(pm).get(reverse("productrisk:my_risks")).content.decode()
    assert "You own no accounts" in html


@pytest.mark.parametrize("count", [1, 20])
def test_my_risks_query_count_does_not_grow(client_for, csm, count, django_assert_max_num_queries):
    flag_with_accounts(accounts(count, csm_owner=csm))
    flag_with_accounts(accounts(count, csm_owner=csm))
    client = client_for(csm)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("productrisk:my_risks"))
    assert len(response.context["rows"]) == min(2 * count, 25)


# --- Navigation ------------------------------------------------------------------------


def test_navigation_links_by_role(actors):
    def nav(actor):
        response = actors[actor].get(reverse("feedback:board"))
        items = response.context["nav_items"] + response.context["manage_items"]
        return {str(item["label"]) for item in items}

    assert "Product risks" in nav("pm")
    assert "Blocked accounts" not in nav("pm")
    assert "Blocked accounts" in nav("csm")
    assert "Product risks" not in nav("csm")
    assert {"Product risks", "Product-risk rule"} <= nav("admin")
    assert not {"Product risks", "Blocked accounts", "Product-risk rule"} & nav("customer")


def test_dashboard_previews_the_largest_accounts_with_health_and_csm(client_for, pm):
    owner = UserFactory(role=Role.CSM, first_name="Jordan", last_name="Lee")
    big = AccountFactory(name="Biggest Co", arr=Decimal("900000"), csm_owner=owner)
    rows = [big, *accounts(4)]
    flag_with_accounts(rows)
    html = client_for(pm).get(reverse("productrisk:risks")).content.decode()
    assert "Biggest Co" in html
    assert "Jordan Lee" in html
    assert "of 5 accounts" in html
