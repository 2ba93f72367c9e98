"""Health in the portfolio: band, score and trend columns, the band filter, sorting by
score, the per-band summary and the at-risk list."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from healthscores import charts, services
from healthscores.models import AccountHealth, Band
from tests.accounts.factories import AccountFactory, UserFactory
from tests.actors import ACTORS
from tests.healthscores.factories import AccountHealthFactory, healthy_data, red_data

pytestmark = pytest.mark.any_day
PORTFOLIO = reverse("accounts:portfolio")


def _names(response) -> list[str]:
    return [account.name for account in response.context["page"].object_list]


def _panel(response) -> str:
    html = response.content.decode()
    start = html.index('id="health-panel-title"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def banded(db):
    """Four scored accounts and one not scored yet, all renewing beyond 90 days."""
    made = {}
    for name, band, score, arr in [
        ("Rose", Band.RED, 20.0, 1000),
        ("Amber", Band.YELLOW, 55.0, 2000),
        ("Fern", Band.GREEN, 85.0, 4000),
        ("Mist", Band.INSUFFICIENT, None, 8000),
    ]:
        account = AccountFactory(name=name, arr=Decimal(arr))
        AccountHealthFactory(account=account, band=band, score=score)
        made[name] = account
    made["Newco"] = AccountFactory(name="Newco", arr=Decimal(16000))
    return made


# --- Access ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, ["login", 403, 200, 200, 200], strict=True))
)
def test_health_columns_and_panel_are_for_staff_only(actors, actor, expected, banded):
    response = actors[actor].get(PORTFOLIO, {"scope": "all"})
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == expected
    html = response.content.decode()
    if expected == 403:
        assert "Rose" not in html
        assert "Insufficient data" not in html
    else:
        assert "Accounts and ARR by health band" in html


# --- Columns and the band filter ---------------------------------------------------------


def test_columns_show_band_override_score_and_not_scored(client_for, pm, banded):
    AccountHealth.objects.filter(account=banded["Fern"]).update(
        effective_band=Band.RED, is_override=True
    )
    html = client_for(pm).get(PORTFOLIO, {"scope": "all", "sort": "name", "dir": "asc"})
    html = html.content.decode()
    table = html[html.index("<tbody>") :]
    assert "Not scored yet" in table  # Newco
    assert "Insufficient data" in table  # Mist
    fern = table[table.index("Fern") :]
    fern = fern[: fern.index("</tr>")]
    assert "badge-red" in fern
    assert "override" in fern
    assert "the data says Green" in fern
    assert ">85<" in fern


def test_trend_shows_seven_day_change_with_thirty_day_in_the_title(client_for, pm):
    account = AccountFactory(name="Trendy")
    AccountHealthFactory(account=account, score=60.0, score_7d_ago=52.4, score_30d_ago=71.0)
    falling = AccountFactory(name="Falling")
    AccountHealthFactory(account=falling, score=40.0, score_7d_ago=49.0)
    html = client_for(pm).get(PORTFOLIO, {"scope": "all"}).content.decode()
    trendy = html[html.index(">Trendy<") :]
    trendy = trendy[: trendy.index("</tr>")]
    assert "▲" in trendy
    assert "+8" in trendy
    assert 'title="\N{MINUS SIGN}11 points in 30 days"' in trendy
    row = html[html.index(">Falling<") :]
    row = row[: row.index("</tr>")]
    assert "▼" in row
    assert "\N{MINUS SIGN}9" in row
    assert "in 30 days" not in row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("red", ["Rose"]),
        ("yellow", ["Amber"]),
        ("green", ["Fern"]),
        ("grey", ["Mist"]),
        ("risk", ["Amber", "Rose"]),
        ("none", ["Newco"]),
        ("", ["Amber", "Fern", "Mist", "Newco", "Rose"]),
        ("purple", ["Amber", "Fern", "Mist", "Newco", "Rose"]),  # stale value: ignored
    ],
)
def test_band_filter_uses_the_effective_band(client_for, pm, banded, value, expected):
    response = client_for(pm).get(PORTFOLIO, {"scope": "all", "health": value})
    assert sorted(_names(response)) == expected


def test_band_filter_follows_an_override(client_for, pm, banded):
    AccountHealth.objects.filter(account=banded["Fern"]).update(effective_band=Band.RED)
    response = client_for(pm).get(PORTFOLIO, {"scope": "all", "health": "red"})
    assert sorted(_names(response)) == ["Fern", "Rose"]


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("asc", ["Rose", "Amber", "Fern", "Mist", "Newco"]),
        ("desc", ["Fern", "Amber", "Rose", "Mist", "Newco"]),
    ],
)
def test_sort_by_score_puts_accounts_without_a_score_last(
    client_for, pm, banded, direction, expected
):
    response = client_for(pm).get(PORTFOLIO, {"scope": "all", "sort": "score", "dir": direction})
    assert _names(response) == expected


def test_score_header_sorts_worst_first_on_first_click(client_for, pm, banded):
    html = client_for(pm).get(PORTFOLIO, {"scope": "all"}).content.decode()
    assert "sort=score&amp;dir=asc" in html


# --- Summary -------------------------------------------------------------------------


def _summary(response) -> dict:
    return {b.band: (b.accounts, b.arr) for b in response.context["summary"].bands}


def test_summary_counts_accounts_and_arr_per_band_of_the_filtered_accounts(client_for, pm, banded):
    ruby = AccountFactory(name="Ruby", arr=Decimal(500), segment="SMB")
    AccountHealthFactory(account=ruby, band=Band.RED, score=10.0)
    client = client_for(pm)
    response = client.get(PORTFOLIO, {"scope": "all"})
    assert _summary(response) == {
        "red": (2, Decimal(1500)),
        "yellow": (1, Decimal(2000)),
        "green": (1, Decimal(4000)),
        "grey": (1, Decimal(8000)),
        "none": (1, Decimal(16000)),
    }
    assert "$31,500" in _panel(response)  # the total row
    # The summary follows the portfolio's filters.
    filtered = client.get(PORTFOLIO, {"scope": "all", "segment": "SMB"})
    assert _summary(filtered) == {
        "red": (1, Decimal(500)),
        "yellow": (0, Decimal(0)),
        "green": (0, Decimal(0)),
        "grey": (0, Decimal(0)),
        "none": (0, Decimal(0)),
    }


def test_each_band_links_to_the_portfolio_filtered_by_it(client_for, pm, banded):
    response = client_for(pm).get(PORTFOLIO, {"scope": "all", "segment": "Mid-market", "page": 1})
    panel = _panel(response)
    assert 'href="?scope=all&amp;segment=Mid-market&amp;health=red"' in panel
    # The chart's bars carry the same links for a click.
    bars = response.context["figure"]["data"]
    assert dict(zip(bars[0]["y"], (c[0] for c in bars[0]["customdata"]), strict=True))["Red"] == (
        "?scope=all&segment=Mid-market&health=red"
    )
    followed = client_for(pm).get(PORTFOLIO + "?scope=all&segment=Mid-market&health=red")
    assert _names(followed) == ["Rose"]


def test_no_panel_when_no_account_is_listed(client_for, pm):
    html = client_for(pm).get(PORTFOLIO, {"scope": "all"}).content.decode()
    assert "health-panel-title" not in html
    assert "No accounts yet" in html


# --- At risk -------------------------------------------------------------------------


def _renewing(name, band, days, arr=1000, csm=None):
    account = AccountFactory(
        name=name,
        arr=Decimal(arr),
        csm_owner=csm,
        renews_on=timezone.localdate() + timedelta(days=days),
    )
    AccountHealthFactory(account=account, band=band, score=30.0)
    return account


def test_at_risk_lists_red_and_yellow_renewing_within_90_days_soonest_first(client_for, pm):
    owner = UserFactory(role=Role.CSM, first_name="Casey", last_name="Lee")
    _renewing("Today", Band.RED, 0, arr=100, csm=owner)
    _renewing("Edge", Band.YELLOW, 90, arr=200)
    _renewing("Soon", Band.YELLOW, 10, arr=400)
    _renewing("Beyond", Band.RED, 91)
    _renewing("Past", Band.RED, -1)
    _renewing("Healthy", Band.GREEN, 5)
    _renewing("Unknown", Band.INSUFFICIENT, 5)
    AccountFactory(name="Unscored", renews_on=timezone.localdate() + timedelta(days=5))
    response = client_for(pm).get(PORTFOLIO, {"scope": "all"})
    rows = response.context["at_risk"]
    assert [(r.account.name, r.days_to_renewal) for r in rows] == [
        ("Today", 0),
        ("Soon", 10),
        ("Edge", 90),
    ]
    summary = response.context["summary"]
    assert (summary.at_risk_accounts, summary.at_risk_arr) == (3, Decimal(700))
    panel = _panel(response)
    assert "<strong>$700</strong> ARR at risk in 3 accounts" in panel
    assert "Casey Lee" in panel
    assert "90 days" in panel
    assert "today" in panel


def test_at_risk_shows_ten_and_links_to_all_of_them(client_for, pm):
    for n in range(12):
        _renewing(f"Risky {n:02d}", Band.RED, n + 1)
    client = client_for(pm)
    response = client.get(PORTFOLIO, {"scope": "all"})
    assert len(response.context["at_risk"]) == 10
    assert response.context["summary"].at_risk_accounts == 12
    link = response.context["see_all_url"]
    assert "See all 12 accounts at risk" in _panel(response)
    everything = client.get(PORTFOLIO + link)
    assert everything.context["page"].paginator.count == 12
    assert _names(everything)[0] == "Risky 00"  # soonest renewal first


def test_at_risk_empty_state(client_for, pm, banded):
    panel = _panel(client_for(pm).get(PORTFOLIO, {"scope": "all"}))
    assert "No red or yellow account renews within the next 90 days." in panel


# --- Through the real engine ----------------------------------------------------------


def test_recomputed_health_shows_in_the_portfolio(client_for, pm):
    today = services.today_utc()
    good = AccountFactory(name="Good", licensed_seats=1)
    bad = AccountFactory(name="Bad", licensed_seats=1)
    healthy_data(good, today)
    red_data(bad, today)
    services.recompute_now(account_ids=[good.pk, bad.pk], day=today)
    response = client_for(pm).get(PORTFOLIO, {"scope": "all", "sort": "score", "dir": "asc"})
    assert _names(response) == ["Bad", "Good"]
    assert _summary(response)["red"] == (1, Decimal(48000))
    assert _summary(response)["green"] == (1, Decimal(48000))
    assert _names(client_for(pm).get(PORTFOLIO, {"scope": "all", "health": "green"})) == ["Good"]


# --- Query count -----------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 30])
def test_portfolio_with_health_runs_a_constant_number_of_queries(
    client_for, csm, count, django_assert_max_num_queries
):
    for n in range(count):
        account = AccountFactory(
            csm_owner=csm, renews_on=timezone.localdate() + timedelta(days=n % 120)
        )
        band = [Band.RED, Band.YELLOW, Band.GREEN, Band.INSUFFICIENT][n % 4]
        AccountHealthFactory(account=account, band=band, score=n, score_7d_ago=n + 3)
    AccountFactory.create_batch(count, csm_owner=csm)  # not scored yet
    client = client_for(csm)
    # session, user, filter choices, count, page of rows, unread alert count,
    # band summary, at-risk rows, the saved views of the menu and the CSMs a bulk
    # reassignment offers
    with django_assert_max_num_queries(10):
        response = client.get(
            PORTFOLIO, {"scope": "all", "health": "risk", "sort": "score", "dir": "desc"}
        )
    assert response.status_code == 200
    assert response.context["at_risk"]


# --- The chart, without a database ---------------------------------------------------------


def test_band_summary_figure_has_titles_axis_labels_colours_and_links():
    bars = [
        charts.BandBar(band="red", label="Red", accounts=2, arr=Decimal("1500.50"), url="?h=red"),
        charts.BandBar(band="none", label="Not scored yet", accounts=0, arr=0, url="?h=none"),
    ]
    figure = charts.band_summary_figure(bars).to_dict()
    layout = figure["layout"]
    assert layout["title"]["text"] == "Accounts and ARR by health band"
    assert layout["yaxis"]["title"]["text"] == "Health band"
    assert layout["xaxis"]["title"]["text"] == "Accounts"
    assert layout["xaxis2"]["title"]["text"] == "ARR ($)"
    accounts, arr = figure["data"]
    # Horizontal bars, listed bottom-up so that the first band is drawn on top.
    assert list(accounts["y"]) == ["Not scored yet", "Red"]
    assert list(accounts["x"]) == [0, 2]
    assert list(arr["x"]) == [0.0, 1500.5]
    assert list(accounts["marker"]["color"]) == ["#cbd5e1", "#ef4444"]
    assert [c[0] for c in arr["customdata"]] == ["?h=none", "?h=red"]


def test_a_health_filter_without_match_says_so_and_clears_only_itself(client_for, pm):
    AccountFactory(name="Fine")
    AccountHealthFactory(account=AccountFactory(name="Healthy"), band="green")
    response = client_for(pm).get(PORTFOLIO, {"scope": "all", "health": "red", "sort": "arr"})
    html = response.content.decode()
    assert "No red accounts in this view" in html
    assert "Widen the renewal window" not in html
    # The link drops the health filter and keeps the rest of the view.
    assert 'href="?scope=all&amp;sort=arr"' in html
    assert "Clear the Health filter" in html


def test_several_filters_without_match_offer_to_remove_each(client_for, pm):
    AccountHealthFactory(account=AccountFactory(segment="SMB"), band="green")
    html = (
        client_for(pm)
        .get(PORTFOLIO, {"scope": "all", "health": "yellow", "segment": "SMB"})
        .content.decode()
    )
    assert "No accounts match these filters" in html
    assert "Remove “Health: Yellow”" in html
    assert "Remove “Segment: SMB”" in html
    assert 'href="?scope=all&amp;segment=SMB"' in html
    assert 'href="?scope=all&amp;health=yellow"' in html
