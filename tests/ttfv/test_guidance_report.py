"""The guidance report (issue 16): who counts as nudged and as comparable, on
PostgreSQL; the page's access, filters, chart, empty states and query count."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import UsageEvent
from tests.accounts.factories import AccountFactory, UsageEventFactory, UserFactory
from tests.actors import ACTORS
from tests.ttfv.factories import MilestoneFactory, MilestoneTemplateFactory, OnboardingFactory
from ttfv import selectors, services
from ttfv.models import MilestoneProgress
from ttfv.selectors.guidance import NUDGE_DISMISSED, NUDGE_SHOWN

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

LOGIN, OK, FORBIDDEN = "login", 200, 403


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def nudge(account, milestone, day: date, *, event: str = NUDGE_SHOWN, as_text: bool = False):
    milestone_id = str(milestone.pk) if as_text else milestone.pk
    return UsageEventFactory(
        account=account, event=event, occurred_at=at(day), properties={"milestone": milestone_id}
    )


def reach(account, milestone, day: date) -> None:
    MilestoneProgress.objects.create(
        account=account, milestone=milestone, achieved_on=day, source="auto"
    )


def onboarding(template, *, started: date, **account):
    return OnboardingFactory(
        account=AccountFactory(**account), template=template, started_on=started, ttfv=None
    ).account


@pytest.fixture
def story():
    """A milestone with three nudged accounts and two comparable ones, 20 days ago, and
    every kind of account that must be left out."""
    today = services.today_utc()
    day0 = today - timedelta(days=20)
    monday = day0 - timedelta(days=day0.weekday())
    started = monday - timedelta(days=30)
    template = MilestoneTemplateFactory(name="Growth")
    milestone = MilestoneFactory(template=template, name="Data connected")
    other = MilestoneTemplateFactory(name="Other")
    csm = UserFactory(role="csm")

    fast = onboarding(template, started=started, csm_owner=csm)
    nudge(fast, milestone, day0)
    reach(fast, milestone, day0 + timedelta(days=3))
    slower = onboarding(template, started=started)
    nudge(slower, milestone, day0, as_text=True)  # the id as a string counts too
    reach(slower, milestone, day0 + timedelta(days=10))
    never = onboarding(template, started=started)
    nudge(never, milestone, day0)
    nudge(never, milestone, day0 + timedelta(days=2))  # a second nudge changes nothing
    already = onboarding(template, started=started)  # reached before its first nudge
    reach(already, milestone, day0 - timedelta(days=1))
    nudge(already, milestone, day0)
    elsewhere = onboarding(other, started=started)  # nudged, but not on the template
    nudge(elsewhere, milestone, day0)
    long_ago = onboarding(template, started=started - timedelta(days=300))
    nudge(long_ago, milestone, today - timedelta(days=200))  # before the 90 days

    peer = onboarding(template, started=started, csm_owner=csm)
    reach(peer, milestone, monday + timedelta(days=5))
    onboarding(template, started=started)  # a peer that never reached it
    dismissed = onboarding(template, started=started)  # another event is not a nudge
    nudge(dismissed, milestone, day0, event=NUDGE_DISMISSED)
    reach(dismissed, milestone, monday + timedelta(days=20))
    ahead = onboarding(template, started=started)  # reached before the week started
    reach(ahead, milestone, monday - timedelta(days=1))
    onboarding(template, started=monday + timedelta(days=1))  # started after the Monday
    onboarding(other, started=started)  # another template
    return {"template": template, "milestone": milestone, "csm": csm, "other": other}


def report(**filters):
    today = services.today_utc()
    filters.setdefault("day_from", today - timedelta(days=90))
    filters.setdefault("day_to", today)
    return selectors.guidance_report(filters=selectors.GuidanceFilters(**filters), today=today)


def test_nudged_and_comparison_accounts_are_counted_per_milestone(story):
    (row,) = report().rows
    assert (row["milestone"], row["template"]) == ("Data connected", "Growth")
    assert row["nudged_n"] == 3
    assert (row["nudged_reached_7"], row["nudged_reached_14"]) == (1, 2)
    assert (row["nudged_pct_7"], row["nudged_pct_14"]) == (33.3, 66.7)
    assert row["comparison_n"] == 3
    assert (row["comparison_reached_7"], row["comparison_reached_14"]) == (1, 1)
    assert (row["comparison_pct_7"], row["comparison_pct_14"]) == (33.3, 33.3)
    assert (row["lift_7"], row["lift_14"]) == (0.0, 33.3)


def test_filters_pick_the_template_the_days_and_the_csm(story):
    assert report(template_id=story["other"].pk).rows == []
    assert len(report(template_id=story["template"].pk).rows) == 1
    today = services.today_utc()
    assert report(day_from=today - timedelta(days=10)).rows == []
    (old,) = report(day_from=today - timedelta(days=365), day_to=today - timedelta(days=100)).rows
    assert old["nudged_n"] == 1
    (row,) = report(csm_id=story["csm"].pk).rows
    assert (row["nudged_n"], row["comparison_n"]) == (1, 1)


def test_a_recent_nudge_waits_for_its_window(clock):
    today = services.today_utc()
    template = MilestoneTemplateFactory()
    milestone = MilestoneFactory(template=template)
    account = onboarding(template, started=today - timedelta(days=60))
    nudge(account, milestone, today - timedelta(days=3))
    (row,) = report().rows
    assert row["nudged_n"] == 1
    assert row["nudged_pct_7"] is None  # still inside its 7 days, not a miss yet


def test_the_report_is_one_query(story, django_assert_num_queries):
    with django_assert_num_queries(1):
        report()


@pytest.mark.needs_postgres
def test_the_first_nudges_are_read_from_the_partial_index(story):
    """The migration names the event in the index's predicate; were it to drift from
    NUDGE_SHOWN, the report would fall back to scanning every usage event."""
    with CaptureQueriesContext(connection) as queries:
        report()
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "usage_nudge_shown_idx" in plan


# --- The page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [LOGIN, FORBIDDEN, OK, OK, OK], strict=True))
)
def test_guidance_page_is_for_staff(actors, actor, expected):
    response = actors[actor].get(reverse("ttfv:guidance"))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected


def figure(html: str, element_id: str) -> dict:
    opening = f'<script id="{element_id}" type="application/json">'
    start = html.index(opening) + len(opening)
    return json.loads(html[start : html.index("</script>", start)])


def test_page_shows_the_table_and_the_chart(story, client_for, csm):
    response = client_for(csm).get(reverse("ttfv:guidance"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Data connected" in html
    assert "66.7%" in html
    assert "+33.3" in html
    chart = figure(html, "ttfv-guidance-data")
    assert chart["layout"]["title"]["text"].startswith("Milestones reached after a nudge")
    assert chart["layout"]["xaxis"]["title"]["text"] == "Milestone"
    assert chart["layout"]["barmode"] == "group"
    assert len(chart["data"]) == 4
    assert "vendor/plotly.min.js" in html
    assert "How these numbers are counted" in html


def test_a_csm_narrows_the_page_to_one_book(story, client_for, csm):
    response = client_for(csm).get(reverse("ttfv:guidance"), {"csm": story["csm"].pk})
    (row,) = response.context["report"].rows
    assert row["nudged_n"] == 1


def test_empty_states_and_bad_filters(client_for, csm):
    client = client_for(csm)
    html = client.get(reverse("ttfv:guidance")).content.decode()
    assert "No nudges yet" in html
    assert "plotly" not in html
    response = client.get(reverse("ttfv:guidance"), {"day_from": "soon", "template": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a date as YYYY-MM-DD" in html
    assert "No nudges match these filters" in html
    response = client.get(
        reverse("ttfv:guidance"), {"day_from": "2026-05-01", "day_to": "2026-04-01"}
    )
    assert "Pick a day on or after" in response.content.decode()


def test_dashboard_and_reports_link_to_the_guidance_report(client_for, csm):
    client = client_for(csm)
    for name in ("ttfv:dashboard", "ttfv:reports"):
        assert reverse("ttfv:guidance") in client.get(reverse(name)).content.decode()


def test_page_runs_a_constant_number_of_queries(
    story, client_for, csm, django_assert_max_num_queries
):
    client = client_for(csm)
    client.get(reverse("ttfv:guidance"))  # warm the session and the template cache
    # session, user, templates, CSMs, the report, the navigation's alert count
    with django_assert_max_num_queries(6):
        client.get(reverse("ttfv:guidance"))
    template, milestone = story["template"], story["milestone"]
    today = services.today_utc()
    for index in range(20):
        account = onboarding(template, started=today - timedelta(days=80))
        nudge(account, milestone, today - timedelta(days=10 + index))
    assert UsageEvent.objects.filter(event=NUDGE_SHOWN).count() > 20
    with django_assert_max_num_queries(6):
        client.get(reverse("ttfv:guidance"))


# --- The API ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [401, FORBIDDEN, OK, OK, OK], strict=True))
)
def test_guidance_api_is_for_staff(actors, actor, expected):
    response = actors[actor].get(reverse("api-ttfv-guidance"), HTTP_ACCEPT="application/json")
    assert response.status_code == expected
    if expected != OK:
        assert "detail" in response.json()


def test_guidance_api_mirrors_the_page(story, client_for, csm):
    client = client_for(csm)
    data = client.get(reverse("api-ttfv-guidance")).json()
    today = services.today_utc()
    assert data["day_to"] == today.isoformat()
    assert data["day_from"] == (today - timedelta(days=90)).isoformat()
    (row,) = data["rows"]
    page = client.get(reverse("ttfv:guidance")).context["report"].rows[0]
    assert row == {key: page[key] for key in row}
    assert row["lift_14"] == 33.3
    data = client.get(reverse("api-ttfv-guidance"), {"template": story["other"].pk}).json()
    assert data["rows"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"day_from": "soon"}, "day_from"),
        ({"template": "x"}, "template"),
        ({"csm": "0"}, "csm"),
        ({"day_from": "2026-05-01", "day_to": "2026-04-01"}, "day_to"),
    ],
)
def test_guidance_api_refuses_bad_parameters(client_for, csm, params, field):
    response = client_for(csm).get(reverse("api-ttfv-guidance"), params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize(
    ("language", "title", "chart_title"),
    [
        ("es", "Informe de orientación", "Hitos alcanzados tras un recordatorio"),
        ("el", "Αναφορά καθοδήγησης", "Ορόσημα που επιτεύχθηκαν μετά από υπενθύμιση"),
    ],
)
def test_the_page_and_its_chart_speak_spanish_and_greek(
    story, client_for, csm, language, title, chart_title
):
    response = client_for(csm).get(reverse("ttfv:guidance"), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert title in html
    assert f'data-plotly-locale="{language}"' in html
    assert f"vendor/plotly-locales/{language}.js" in html
    chart = figure(html, "ttfv-guidance-data")
    assert chart["layout"]["title"]["text"].startswith(chart_title)
