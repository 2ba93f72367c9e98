"""Why a score changed, on the account page: real recomputes, real scorecard versions.

The attribution's arithmetic is proven in test_attribution (pure); these tests prove
the page feeds it what each day was computed from and shows rows that add up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Ticket
from healthscores import selectors, services
from healthscores.models import AccountHealth, HealthSnapshot, Scorecard, ScorecardVersion
from healthscores.services import today_utc
from healthscores.services.scorecards import draft_of
from tests.accounts.factories import AccountFactory, TicketFactory
from tests.actors import ACTORS
from tests.healthscores.factories import healthy_data
from tests.healthscores.test_account_health import PAGE_QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

HTMX = {"HTTP_HX_REQUEST": "true"}


def steady_account():
    """Green data whose raw values are the same 7 days ago and today (one seat, all
    active)."""
    account = AccountFactory(licensed_seats=1)
    healthy_data(account, today_utc() - timedelta(days=7))
    return account


def recompute(account, *days_ago: int) -> None:
    for n in sorted(days_ago, reverse=True):
        services.recompute_now(account_ids=[account.pk], day=today_utc() - timedelta(days=n))


def week_comparison(account):
    panel = selectors.account_health_panel(account=account)
    return next(c.why for c in panel.comparisons if c.days == 7)


def changed_measures(account, then_day, now_day) -> set[str]:
    then = HealthSnapshot.objects.get(account=account, day=then_day).components
    now = HealthSnapshot.objects.get(account=account, day=now_day).components
    return {
        key
        for key in set(then) | set(now)
        if (then.get(key) or {}).get("raw") != (now.get(key) or {}).get("raw")
    }


def test_a_csm_setting_red_sentiment_is_the_one_cause_and_the_rows_add_up(csm):
    account = steady_account()
    recompute(account, 7, 0)
    services.sentiment_set(account=account, value="red", comment="Champion left", set_by=csm)
    why = week_comparison(account)
    health = AccountHealth.objects.get(account=account)
    assert why.change == pytest.approx(round(health.score - health.score_7d_ago, 1))
    assert why.change < 0
    # Only measures whose raw value moved are listed; sentiment carries the re-weighting.
    assert {row.key for row in why.rows} <= changed_measures(account, why.then_day, why.now_day)
    sentiment = next(row for row in why.rows if row.key == "sentiment")
    assert sentiment.change < 0
    assert (sentiment.raw_then, sentiment.raw_now) == ("No data", "Red")
    assert sentiment.note.startswith("now counts: 10/100 at ")
    assert round(sum(row.change for row in why.rows), 1) == pytest.approx(why.change)


def test_a_scorecard_edit_between_the_days_is_named_as_a_cause(admin_user):
    account = steady_account()
    recompute(account, 7)
    scorecard = Scorecard.objects.get(segment="")
    draft = draft_of(scorecard, scorecard.measures.all())
    # NPS now counts for nothing: an edit that moves this account's score.
    measures = tuple(replace(m, weight=0.0) if m.kind == "nps" else m for m in draft.measures)
    services.scorecard_save(
        scorecard_id=scorecard.pk,
        draft=replace(draft, measures=measures),
        user=admin_user,
        expected_version=scorecard.version,
    )
    recompute(account, 0)
    why = week_comparison(account)
    [row] = [row for row in why.rows if row.key == "scorecard"]
    assert (row.raw_then, row.raw_now) == (
        f"Default v{scorecard.version}",
        f"Default v{scorecard.version + 1}",
    )
    assert row.change == pytest.approx(why.change)


def test_a_scorecard_without_a_recorded_version_is_read_from_its_measures(csm):
    account = steady_account()
    recompute(account, 7, 0)
    ScorecardVersion.objects.all().delete()
    services.sentiment_set(account=account, value="green", comment="Happy", set_by=csm)
    why = week_comparison(account)
    assert [row.key for row in why.rows] == ["sentiment"]


# --- The picked pair of days ------------------------------------------------------------


def picked(account, then_days: int, now_days: int) -> dict[str, str]:
    today = today_utc()
    return {
        "why-then": (today - timedelta(days=then_days)).isoformat(),
        "why-now": (today - timedelta(days=now_days)).isoformat(),
    }


def test_any_two_days_can_be_compared_on_the_page_and_through_htmx(client_for, csm):
    account = steady_account()
    recompute(account, 20, 10)
    TicketFactory(account=account, priority=Ticket.Priority.URGENT, status=Ticket.Status.OPEN)
    recompute(account, 0)
    client = client_for(csm)
    page = client.get(reverse("accounts:detail", args=[account.pk]), picked(account, 20, 0))
    html = page.content.decode()
    assert 'id="health-why-pick"' in html
    assert "From " in html
    assert "Open urgent and high tickets" in html
    fragment = client.get(
        reverse("healthscores:why_changed", args=[account.pk]), picked(account, 20, 0), **HTMX
    )
    assert fragment.status_code == 200
    text = fragment.content.decode()
    # Only the picker and its result, for htmx to swap in place.
    assert 'id="health-why-pick"' in text
    assert '<section id="health"' not in text
    assert "Open urgent and high tickets" in text
    assert "0 → 1" in text


def test_a_plain_request_for_a_comparison_goes_to_the_account_page(client_for, csm):
    account = steady_account()
    response = client_for(csm).get(
        reverse("healthscores:why_changed", args=[account.pk]), picked(account, 9, 2)
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:detail", args=[account.pk]) + "?")
    assert response["Location"].endswith("#health-why-heading")


@pytest.mark.parametrize(
    ("then_days", "now_days", "message"),
    [
        (3, 3, "The first day must be before the second."),
        (2, 5, "The first day must be before the second."),
        (2, -1, "There is no score for a day in the future."),
    ],
)
def test_a_bad_pair_of_days_is_explained_next_to_the_form(
    client_for, csm, then_days, now_days, message
):
    account = steady_account()
    recompute(account, 0)
    response = client_for(csm).get(
        reverse("healthscores:why_changed", args=[account.pk]),
        picked(account, then_days, now_days),
        **HTMX,
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_day_without_a_snapshot_says_so(client_for, csm):
    account = steady_account()
    recompute(account, 0)
    response = client_for(csm).get(
        reverse("healthscores:why_changed", args=[account.pk]), picked(account, 40, 0), **HTMX
    )
    assert "to compare." in response.content.decode()


# url name -> expected for anonymous, customer, csm, pm, admin (htmx GET)
@pytest.mark.parametrize(
    ("actor", "expected"),
    list(zip(ACTORS, ["login", 403, 200, 200, 200], strict=True)),
)
def test_staff_may_compare_days_and_nobody_else(actors, account_a, actor, expected):
    url = reverse("healthscores:why_changed", args=[account_a.pk])
    response = actors[actor].get(url, picked(account_a, 7, 0), **HTMX)
    if expected == "login":
        assert response.status_code == 204
    else:
        assert response.status_code == expected


def test_comparing_an_account_nobody_can_see_is_404(client_for, csm):
    response = client_for(csm).get(reverse("healthscores:why_changed", args=[999999]), **HTMX)
    assert response.status_code == 404


# --- The sentence the section opens with -----------------------------------------------


def test_the_section_opens_with_why_the_account_is_in_its_band(client_for, csm):
    account = AccountFactory(licensed_seats=10)
    TicketFactory.create_batch(
        3, account=account, priority=Ticket.Priority.URGENT, status=Ticket.Status.OPEN
    )
    recompute(account, 0)
    html = client_for(csm).get(reverse("accounts:detail", args=[account.pk])).content.decode()
    start = html.index('class="health-band-summary"')
    sentence = html[start : html.index("</p>", start)]
    assert "3 urgent or high tickets open" in sentence


@pytest.mark.parametrize("days", [2, 30])
def test_comparing_picked_days_keeps_the_page_queries_constant(
    client_for, csm, days, django_assert_max_num_queries
):
    account = steady_account()
    recompute(account, *range(days))
    client = client_for(csm)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(
            reverse("accounts:detail", args=[account.pk]), picked(account, days - 1, 0)
        )
    assert "health-why-total" in response.content.decode()
