"""The health section of the Customer 360 page, its sentiment and override forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Ticket
from healthscores import services
from healthscores.explain import signed
from healthscores.models import AccountHealth, HealthOverride, HealthSnapshot, Sentiment
from healthscores.services import today_utc
from tests.accounts.factories import (
    AccountFactory,
    ContactFactory,
    DailyUsageFactory,
    SurveyResponseFactory,
    TicketFactory,
)
from tests.actors import ACTORS
from tests.healthscores.factories import (
    AccountHealthFactory,
    DailyEventContactFactory,
    HealthOverrideFactory,
    HealthSnapshotFactory,
    SentimentFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail(account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def section_of(response) -> str:
    html = response.content.decode()
    start = html.index('<section id="health"')
    return html[start : html.index("</section>", start)]


def red_account():
    """An account the data calls red today: usage fell, few people active, four urgent
    tickets opened three days ago, detractor NPS. A week ago the tickets were not there."""
    today = today_utc()
    account = AccountFactory(licensed_seats=10)
    contact = ContactFactory(account=account)
    for n in range(31, 60, 3):
        DailyUsageFactory(account=account, day=today - timedelta(days=n), event_count=100)
    for n in range(0, 30, 5):
        DailyUsageFactory(account=account, day=today - timedelta(days=n), event_count=5)
    DailyEventContactFactory(account=account, contact=contact, day=today - timedelta(days=2))
    TicketFactory.create_batch(
        4,
        account=account,
        priority=Ticket.Priority.URGENT,
        opened_at=timezone.now() - timedelta(days=3),
    )
    SurveyResponseFactory(
        account=account, score=2, responded_at=timezone.now() - timedelta(days=10)
    )
    return account


def recompute(account, *days_ago: int) -> None:
    """Recompute the account for each day, oldest first (as history accrues)."""
    for n in sorted(days_ago, reverse=True):
        services.recompute_now(account_ids=[account.pk], day=today_utc() - timedelta(days=n))


# --- The section ---------------------------------------------------------------------


def test_section_shows_badge_measures_and_why_it_changed_from_real_recomputes(client_for, csm):
    account = red_account()
    recompute(account, 30, 7, 0)
    health = AccountHealth.objects.get(account=account)
    assert health.band == "red"
    response = client_for(csm).get(detail(account))
    section = section_of(response)
    # Badge: band, score, trends against real snapshots, computed time, scorecard.
    assert 'class="badge badge-red health-band">Red<' in section
    assert f"{health.score:.0f}" in section
    assert "vs 7 days ago" in section
    assert "vs 30 days ago" in section
    assert "health-trend-down" in section
    assert "computed at" in section
    assert "Scorecard: Default" in section
    # Measure table: labels, formatted raw values, missing measures and their weight.
    assert "Open urgent and high tickets" in section
    assert "Usage trend" in section
    assert "No data" in section  # feature breadth: no key events configured
    assert "its weight is shared among the others" in section
    # Why it changed: the tickets moved most in the last week, linked to the tickets.
    assert "Why it changed" in section
    assert 'href="#tickets-heading"' in section
    assert "0 → 4" in section
    now = HealthSnapshot.objects.get(account=account, day=health.day).components
    then = HealthSnapshot.objects.get(
        account=account, day=health.day - timedelta(days=7)
    ).components
    fall = now["urgent_tickets"]["contribution"] - then["urgent_tickets"]["contribution"]
    assert fall < 0
    assert f"{signed(fall)} points" in section
    # The history chart is embedded as JSON for charts.js.
    assert 'data-plotly-figure="health-history-data"' in section
    assert response.context["sections"]["top"]


def test_why_it_changed_says_when_there_is_no_snapshot_to_compare_with(client_for, csm):
    account = red_account()
    recompute(account, 0)
    section = section_of(client_for(csm).get(detail(account)))
    then = today_utc() - timedelta(days=7)
    assert "No snapshot of both" in section
    assert '<strong title="No snapshot from that day">—</strong>' in section
    assert str(then.year) in section


def test_empty_state_before_the_first_recompute(client_for, csm):
    account = AccountFactory()
    section = section_of(client_for(csm).get(detail(account)))
    assert "No health score yet" in section
    assert "health-history-data" not in section
    assert "No sentiment set yet." in section
    assert "Save sentiment" in section  # a CSM can still give their read


def test_insufficient_data_is_grey_and_explained(client_for, csm):
    account = AccountFactory()
    recompute(account, 0)
    section = section_of(client_for(csm).get(detail(account)))
    assert 'class="badge badge-grey health-band">Insufficient data<' in section
    assert "More than half of the weight had no data" in section


def test_override_is_shown_with_the_computed_score_beside_it(client_for, csm):
    account = red_account()
    HealthOverrideFactory(account=account, band="green", reason="Renewal signed", set_by=csm)
    recompute(account, 0)
    health = AccountHealth.objects.get(account=account)
    section = section_of(client_for(csm).get(detail(account)))
    assert 'class="badge badge-green health-band">Green<' in section
    assert "Overridden to Green" in section
    assert "Renewal signed" in section
    assert csm.get_full_name() in section
    assert "Computed from the data:" in section
    assert '<span class="badge badge-red">Red</span>' in section
    assert f"<strong>{health.score:.0f}</strong>" in section
    assert "End override" in section


def test_override_no_longer_applies_after_its_expiry(client_for, csm):
    account = red_account()
    today = today_utc()
    HealthOverrideFactory(
        account=account,
        band="green",
        starts_on=today - timedelta(days=5),
        expires_on=today - timedelta(days=1),
    )
    recompute(account, 1, 0)
    assert HealthSnapshot.objects.get(account=account, day=today - timedelta(days=1)).override_band
    assert not HealthSnapshot.objects.get(account=account, day=today).override_band
    section = section_of(client_for(csm).get(detail(account)))
    assert "Overridden to" not in section
    assert "No override: the band is the one the data computes." in section


def test_an_override_ended_early_is_gone_from_the_badge(client_for, csm):
    account = red_account()
    HealthOverrideFactory(account=account, band="green")
    recompute(account, 0)
    response = client_for(csm).post(reverse("healthscores:override_end", args=[account.pk]), **HTMX)
    section = section_of(response)
    assert "Override ended; health recomputed." in section
    assert 'class="badge badge-red health-band">Red<' in section
    assert "Overridden to" not in section
    assert HealthOverride.objects.get().ended_on == today_utc()


def test_stale_sentiment_is_marked_and_left_out_of_the_score(client_for, csm):
    account = red_account()
    SentimentFactory(
        account=account, value="green", set_at=timezone.now() - timedelta(days=50), set_by=csm
    )
    recompute(account, 0)
    assert HealthSnapshot.objects.get(account=account).components["sentiment"]["missing"]
    section = section_of(client_for(csm).get(detail(account)))
    assert ">Stale<" in section
    assert "older than 45 days and no longer counts" in section
    assert section.index(">Stale<") < section.index("timeline-body")  # on the latest


def test_fresh_sentiment_is_not_stale_and_the_last_five_are_listed(client_for, csm):
    account = AccountFactory()
    for n in range(7):
        SentimentFactory(
            account=account,
            comment=f"comment {n}",
            set_at=timezone.now() - timedelta(days=10 - n),
        )
    section = section_of(client_for(csm).get(detail(account)))
    assert ">Stale<" not in section
    assert section.count('class="timeline-item"') == 5
    assert "comment 6" in section
    assert "comment 1" not in section


def test_green_sentiment_on_a_red_account_raises_the_divergence_flag(client_for, csm):
    account = red_account()
    recompute(account, 0)
    before = AccountHealth.objects.get(account=account)
    assert not before.divergent
    response = client_for(csm).post(
        reverse("healthscores:sentiment", args=[account.pk]),
        {"sentiment-value": "green", "sentiment-comment": "They love us, says the champion."},
        **HTMX,
    )
    assert response.status_code == 200
    section = section_of(response)
    after = AccountHealth.objects.get(account=account)
    assert after.divergent
    assert after.score > before.score  # sentiment is a weighted measure
    assert "CSM sentiment is green but the data says red." in section
    assert f"{after.score:.0f}" in section
    assert "Sentiment saved; health recomputed." in section
    assert "They love us, says the champion." in section


def test_red_sentiment_on_a_green_account_flags_the_reverse(client_for, csm):
    account = AccountFactory()
    AccountHealthFactory(account=account, band="green", score=80, divergent=True)
    HealthSnapshotFactory(account=account, band="green", score=80, divergent=True)
    section = section_of(client_for(csm).get(detail(account)))
    assert "CSM sentiment is red but the data says green." in section


# --- Posting: htmx and plain, errors ---------------------------------------------------


def test_plain_sentiment_post_redirects_back_to_the_section(client_for, csm):
    account = AccountFactory()
    response = client_for(csm).post(
        reverse("healthscores:sentiment", args=[account.pk]),
        {"sentiment-value": "yellow", "sentiment-comment": "Quiet quarter."},
    )
    assert response.status_code == 302
    assert response["Location"] == detail(account) + "#health"
    assert Sentiment.objects.get().value == "yellow"
    assert AccountHealth.objects.filter(account=account).exists()


def test_htmx_sentiment_without_comment_shows_the_error_in_place(client_for, csm):
    account = AccountFactory()
    response = client_for(csm).post(
        reverse("healthscores:sentiment", args=[account.pk]),
        {"sentiment-value": "green", "sentiment-comment": ""},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="health"')
    assert "Say why: a sentiment needs a comment." in html
    assert 'value="green" id="id_sentiment-value_0" required checked' in html  # kept
    assert not Sentiment.objects.exists()


def test_plain_post_with_errors_answers_400_with_the_form(client_for, csm):
    account = AccountFactory()
    response = client_for(csm).post(
        reverse("healthscores:sentiment", args=[account.pk]), {"sentiment-comment": "Hmm"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved: correct the form below." in html
    assert "Choose green, yellow or red." in html


def test_htmx_override_sets_the_band_and_swaps_the_section(client_for, csm):
    account = red_account()
    recompute(account, 0)
    response = client_for(csm).post(
        reverse("healthscores:override", args=[account.pk]),
        {
            "override-band": "yellow",
            "override-reason": "Recovery plan agreed",
            "override-expires_on": (today_utc() + timedelta(days=30)).isoformat(),
        },
        **HTMX,
    )
    assert response.status_code == 200
    section = section_of(response)
    assert 'class="badge badge-yellow health-band">Yellow<' in section
    assert "Recovery plan agreed" in section
    assert AccountHealth.objects.get(account=account).effective_band == "yellow"


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "The expiry date cannot be in the past."),
        (181, "An override can last at most 180 days"),
    ],
)
def test_override_with_a_bad_expiry_is_refused_in_place(client_for, csm, days, message):
    account = AccountFactory()
    response = client_for(csm).post(
        reverse("healthscores:override", args=[account.pk]),
        {
            "override-band": "green",
            "override-reason": "Because",
            "override-expires_on": (today_utc() + timedelta(days=days)).isoformat(),
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HealthOverride.objects.exists()


def test_override_without_reason_or_date_is_refused(client_for, csm):
    account = AccountFactory()
    response = client_for(csm).post(
        reverse("healthscores:override", args=[account.pk]), {"override-band": "green"}, **HTMX
    )
    html = response.content.decode()
    assert "Give a reason: an override must say why." in html
    assert "Choose the last day of the override." in html
    assert not HealthOverride.objects.exists()


def test_ending_when_nothing_is_active_explains_instead_of_failing(client_for, csm):
    account = AccountFactory()
    response = client_for(csm).post(reverse("healthscores:override_end", args=[account.pk]), **HTMX)
    assert response.status_code == 200
    assert "This account has no active override to end." in response.content.decode()


def test_a_product_manager_sees_the_section_without_the_forms(client_for, pm):
    account = red_account()
    HealthOverrideFactory(account=account)
    recompute(account, 0)
    section = section_of(client_for(pm).get(detail(account)))
    assert "Health" in section
    assert "Save sentiment" not in section
    assert "Set override" not in section
    assert "End override" not in section


# --- Who may post ---------------------------------------------------------------------

LOGIN, FORBIDDEN = "login", 403
# url name -> expected for anonymous, customer, csm, pm, admin (htmx posts)
POSTS = {
    "healthscores:sentiment": [LOGIN, FORBIDDEN, 200, FORBIDDEN, 200],
    "healthscores:override": [LOGIN, FORBIDDEN, 200, FORBIDDEN, 200],
    "healthscores:override_end": [LOGIN, FORBIDDEN, 200, FORBIDDEN, 200],
}
DATA = {
    "healthscores:sentiment": {"sentiment-value": "green", "sentiment-comment": "Fine"},
    "healthscores:override": {"override-band": "red", "override-reason": "Risk"},
    "healthscores:override_end": {},
}


@pytest.mark.parametrize(
    ("name", "actor", "expected"),
    [
        pytest.param(name, actor, expected[index], id=f"{name}-{actor}")
        for name, expected in POSTS.items()
        for index, actor in enumerate(ACTORS)
    ],
)
def test_only_csms_and_admins_may_post(actors, account_a, name, actor, expected):
    HealthOverrideFactory(account=account_a, band="yellow")
    data = dict(DATA[name])
    if name == "healthscores:override":
        data["override-expires_on"] = (today_utc() + timedelta(days=3)).isoformat()
    url = reverse(name, args=[account_a.pk])
    response = actors[actor].post(url, data, **HTMX)
    if expected == LOGIN:  # htmx: the whole page goes to sign in, not the swapped panel
        assert response.status_code == 204
        assert response["HX-Redirect"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
    changed = Sentiment.objects.exists() or HealthOverride.objects.count() != 1
    changed = changed or HealthOverride.objects.get().ended_on is not None
    assert changed == (expected == 200)


@pytest.mark.parametrize("name", list(POSTS))
def test_posting_urls_refuse_get(client_for, csm, account_a, name):
    response = client_for(csm).get(reverse(name, args=[account_a.pk]))
    assert response.status_code == 405


def test_posting_for_an_unknown_account_is_404(client_for, csm):
    response = client_for(csm).post(
        reverse("healthscores:sentiment", args=[987654]),
        {"sentiment-value": "green", "sentiment-comment": "Fine"},
    )
    assert response.status_code == 404


# --- Queries --------------------------------------------------------------------------

#: The account page's 14 queries (tests/accounts/test_customer360.py), the onboarding
#: section's at most 3, this section's 5 (current health, snapshots with the scorecard,
#: sentiments, override in force, the scorecard versions compared), the tasks panel's 4
#: (playbooks to start, open and recently closed tasks, owners to assign) and the recent
#: activity panel's 12, one per timeline source (core.timeline), whatever their sizes.
PAGE_QUERIES = 14 + 3 + 5 + 4 + 12


@pytest.mark.parametrize("snapshots", [1, 30])
def test_account_page_query_count_stays_constant_with_the_section(
    client_for, csm, snapshots, django_assert_max_num_queries
):
    account = AccountFactory()
    today = today_utc()
    for n in range(snapshots):
        HealthSnapshotFactory(account=account, day=today - timedelta(days=n), score=40 + n)
    AccountHealthFactory(account=account, score=40)
    SentimentFactory.create_batch(3, account=account)
    HealthOverrideFactory(account=account)
    client = client_for(csm)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(detail(account))
    assert response.status_code == 200
    assert "health-history-data" in section_of(response)


def test_empty_section_costs_no_more_queries(client_for, csm, django_assert_max_num_queries):
    account = AccountFactory()
    client = client_for(csm)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(detail(account))
    assert "No health score yet" in section_of(response)
