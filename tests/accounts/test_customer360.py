"""Customer 360: usage charts, top features, tickets, surveys and the notes timeline."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts import extensions
from accounts.models import Note, Ticket
from accounts.services import NOTE_MAX_LENGTH
from tests.accounts.factories import (
    AccountFactory,
    ContactFactory,
    DailyActivityFactory,
    DailyUsageFactory,
    NoteFactory,
    SurveyResponseFactory,
    TicketFactory,
)
from tests.actors import ACTORS

pytestmark = pytest.mark.django_db


def _today():
    return timezone.now().date()


def _detail(account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def _note_url(account) -> str:
    return reverse("accounts:add_note", args=[account.pk])


def _import_url() -> str | None:
    try:
        return reverse("ingest:import")
    except NoReverseMatch:
        return None


# --- Who may open what ------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"),
    list(zip(ACTORS, ["login", 403, 200, 200, 200], strict=True)),
)
def test_account_page_access(actors, account_a, actor, expected):
    response = actors[actor].get(_detail(account_a))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    list(zip(ACTORS, ["login", 403, 302, 403, 302], strict=True)),
)
def test_add_note_access(actors, account_a, actor, expected):
    response = actors[actor].post(_note_url(account_a), {"body": "Kick-off done"})
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
        assert not Note.objects.exists()
    else:
        assert response.status_code == expected
        assert Note.objects.exists() == (expected == 302)


def test_customer_of_one_account_never_sees_another(client_for, customer_a, account_b):
    NoteFactory(account=account_b, body="Secret renewal plan")
    client = client_for(customer_a)
    for url in (_detail(account_b), _detail(customer_a.contact.account)):
        response = client.get(url)
        assert response.status_code == 403
        assert b"Secret renewal plan" not in response.content
        assert b"Account B" not in response.content
    assert client.post(_note_url(account_b), {"body": "x"}).status_code == 403


def test_add_note_only_accepts_post(client_for, csm, account_a):
    assert client_for(csm).get(_note_url(account_a)).status_code == 405


def test_add_note_to_unknown_account_is_404(client_for, csm):
    assert (
        client_for(csm).post(reverse("accounts:add_note", args=[999999]), {"body": "x"}).status_code
        == 404
    )


# --- Usage -------------------------------------------------------------------------


def test_usage_charts_are_embedded_as_json_for_the_static_script(client_for, csm, account_a):
    today = _today()
    DailyActivityFactory(account=account_a, day=today - timedelta(days=3), active_contacts=4)
    DailyActivityFactory(account=account_a, day=today - timedelta(days=200), active_contacts=99)
    DailyUsageFactory(account=account_a, day=today, event="report.viewed", event_count=7)
    response = client_for(csm).get(_detail(account_a))
    html = response.content.decode()

    assert 'data-plotly-figure="usage-chart-data"' in html
    assert '<script id="usage-chart-data" type="application/json">' in html
    assert 'data-plotly-figure="events-chart-data"' in html
    assert "vendor/plotly.min.js" in html
    assert "js/charts.js" in html
    assert "<script>" not in html  # no inline scripts
    # The numbers behind each chart, for readers who cannot see it: the events table
    # has the week's count under the event's column.
    events_table = html.split('id="events-chart-data"')[1].split("</details>")[0]
    assert "Show the numbers" in events_table
    assert '<th scope="col" class="num">report.viewed</th>' in events_table
    assert '<td class="num">7</td>' in events_table

    activity = response.context["c360"].activity_figure["data"][0]
    assert len(activity["y"]) == 90
    assert sum(activity["y"]) == 4  # the 200-day-old row is outside the window
    assert activity["y"][-4] == 4
    events = response.context["c360"].events_figure["data"]
    assert [trace["name"] for trace in events] == ["report.viewed"]
    assert sum(events[0]["y"]) == 7


def test_weekly_chart_shows_top_six_events_and_other(client_for, csm, account_a):
    for n in range(9):
        DailyUsageFactory(account=account_a, day=_today(), event=f"event-{n}", event_count=50 - n)
    figure = client_for(csm).get(_detail(account_a)).context["c360"].events_figure
    names = [trace["name"] for trace in figure["data"]]
    assert names == [f"event-{n}" for n in range(6)] + ["Other"]
    assert figure["layout"]["barmode"] == "stack"


def test_top_features_rank_events_of_the_last_30_days(client_for, csm, account_a):
    today = _today()
    DailyUsageFactory(
        account=account_a, day=today, event="export", event_count=5, active_contacts=2
    )
    DailyUsageFactory(
        account=account_a,
        day=today - timedelta(days=1),
        event="export",
        event_count=6,
        active_contacts=4,
    )
    DailyUsageFactory(account=account_a, day=today, event="login", event_count=20)
    DailyUsageFactory(
        account=account_a, day=today - timedelta(days=40), event="old", event_count=999
    )
    DailyUsageFactory(event="other-account", event_count=1000)
    features = client_for(csm).get(_detail(account_a)).context["c360"].top_features
    assert [(f.event, f.events, f.peak_active_contacts) for f in features] == [
        ("login", 20, 3),
        ("export", 11, 4),
    ]


def test_usage_empty_state_says_how_to_get_data_in(client_for, csm, account_a):
    html = client_for(csm).get(_detail(account_a)).content.decode()
    assert "No usage yet" in html
    assert "Send events through the tracking API or import a usage CSV." in html
    assert "vendor/plotly.min.js" not in html
    import_url = _import_url()
    if import_url is None:
        assert "Import data" not in html
    else:
        assert f'href="{import_url}"' in html


# --- Tickets -----------------------------------------------------------------------


def test_open_tickets_are_counted_by_priority(client_for, csm, account_a):
    TicketFactory(account=account_a, priority="urgent", status="open")
    TicketFactory(account=account_a, priority="urgent", status="pending")
    TicketFactory(account=account_a, priority="low", status="open")
    TicketFactory(account=account_a, priority="high", status="solved")
    TicketFactory(priority="urgent", status="open")  # another account
    data = client_for(csm).get(_detail(account_a)).context["c360"]
    assert [(row.priority, row.count) for row in data.open_tickets] == [
        ("urgent", 2),
        ("high", 0),
        ("normal", 0),
        ("low", 1),
    ]
    assert data.open_ticket_total == 3


def test_ten_most_recent_tickets_are_listed_newest_first(client_for, csm, account_a):
    now = timezone.now()
    for n in range(12):
        TicketFactory(account=account_a, subject=f"Ticket {n}", opened_at=now - timedelta(days=n))
    data = client_for(csm).get(_detail(account_a)).context["c360"]
    assert [t.subject for t in data.recent_tickets] == [f"Ticket {n}" for n in range(10)]


def test_ticket_dates_are_shown_in_the_viewers_time_zone(client_for, csm, account_a):
    csm.time_zone = "Asia/Tokyo"
    csm.save()
    TicketFactory(
        account=account_a,
        subject="Late night ticket",
        opened_at=datetime(2026, 3, 1, 20, 0, tzinfo=UTC),  # Mar 2 in Tokyo
    )
    html = client_for(csm).get(_detail(account_a)).content.decode()
    assert "March 2, 2026" in html


def test_tickets_empty_state(client_for, csm, account_a):
    assert "No tickets yet" in client_for(csm).get(_detail(account_a)).content.decode()


# --- Surveys -----------------------------------------------------------------------


def test_nps_of_the_last_90_days(client_for, csm, account_a):
    recent = timezone.now() - timedelta(days=5)
    for score in (10, 9, 8, 3):
        SurveyResponseFactory(account=account_a, kind="nps", score=score, responded_at=recent)
    SurveyResponseFactory(
        account=account_a, kind="nps", score=0, responded_at=timezone.now() - timedelta(days=120)
    )
    SurveyResponseFactory(account=account_a, kind="csat", score=2, responded_at=recent)
    SurveyResponseFactory(kind="nps", score=0, responded_at=recent)  # another account
    data = client_for(csm).get(_detail(account_a)).context["c360"]
    assert data.nps == 25  # (2 promoters - 1 detractor) / 4
    assert data.nps_responses == 4
    assert data.csat_average == 2


def test_last_twelve_survey_responses_are_listed(client_for, csm, account_a):
    now = timezone.now()
    for n in range(14):
        SurveyResponseFactory(
            account=account_a, comment=f"comment {n}", responded_at=now - timedelta(days=n)
        )
    response = client_for(csm).get(_detail(account_a))
    surveys = response.context["c360"].surveys
    assert [s.comment for s in surveys] == [f"comment {n}" for n in range(12)]
    assert "comment 11" in response.content.decode()


def test_surveys_empty_state(client_for, csm, account_a):
    assert "No survey answers yet" in client_for(csm).get(_detail(account_a)).content.decode()


# --- Notes -------------------------------------------------------------------------


def test_csm_adds_a_note_with_htmx_and_gets_the_timeline_back(client_for, csm, account_a):
    response = client_for(csm).post(
        _note_url(account_a), {"body": "Renewal call went well"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/_notes.html"
    html = response.content.decode()
    assert "Renewal call went well" in html
    assert 'id="notes"' in html
    note = Note.objects.get()
    assert (note.account, note.author, note.body) == (account_a, csm, "Renewal call went well")


def test_note_form_without_javascript_redirects_back_to_the_account(client_for, csm, account_a):
    client = client_for(csm)
    response = client.post(_note_url(account_a), {"body": "Plain post"})
    assert response.status_code == 302
    assert response["Location"] == _detail(account_a) + "#notes"
    assert "Plain post" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_empty_note_is_refused_with_a_clear_message(client_for, csm, account_a, body):
    client = client_for(csm)
    htmx = client.post(_note_url(account_a), {"body": body}, HTTP_HX_REQUEST="true")
    plain = client.post(_note_url(account_a), {"body": body})
    assert htmx.status_code == 200
    assert plain.status_code == 400
    for response in (htmx, plain):
        assert "Write something before saving the note." in response.content.decode()
    assert not Note.objects.exists()


def test_note_longer_than_the_limit_is_refused(client_for, csm, account_a):
    response = client_for(csm).post(
        _note_url(account_a), {"body": "x" * (NOTE_MAX_LENGTH + 1)}, HTTP_HX_REQUEST="true"
    )
    assert "at most 5000 characters" in response.content.decode()
    assert not Note.objects.exists()
    ok = client_for(csm).post(_note_url(account_a), {"body": "x" * NOTE_MAX_LENGTH})
    assert ok.status_code == 302


def test_notes_are_escaped_keep_line_breaks_and_show_local_time(client_for, csm, account_a):
    csm.time_zone = "America/New_York"
    csm.save()
    note = NoteFactory(account=account_a, author=csm, body="Line one\n<script>alert(1)</script>")
    Note.objects.filter(pk=note.pk).update(created_at=datetime(2026, 1, 15, 3, 30, tzinfo=UTC))
    html = client_for(csm).get(_detail(account_a)).content.decode()
    assert "Line one<br>&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Jan. 14, 2026, 10:30 p.m." in html  # 03:30 UTC is the evening before in New York


def test_pm_reads_notes_but_gets_no_form(client_for, pm, account_a):
    NoteFactory(account=account_a, body="Visible to product")
    html = client_for(pm).get(_detail(account_a)).content.decode()
    assert "Visible to product" in html
    assert _note_url(account_a) not in html


def test_note_form_posts_with_htmx_and_without(client_for, csm, account_a):
    html = client_for(csm).get(_detail(account_a)).content.decode()
    url = _note_url(account_a)
    assert f'action="{url}"' in html
    assert f'hx-post="{url}"' in html
    assert 'method="post"' in html


# --- Cost --------------------------------------------------------------------------


def _fill(account, count: int) -> None:
    today = _today()
    contact = ContactFactory(account=account)
    for n in range(count):
        day = today - timedelta(days=n % 90)
        if n < 90:
            DailyActivityFactory(account=account, day=day)
        DailyUsageFactory(account=account, day=day, event=f"event-{n // 90}")
        TicketFactory(account=account, status=Ticket.Status.OPEN if n % 2 else "solved")
        SurveyResponseFactory(account=account, contact=contact, score=n % 11)
        NoteFactory(account=account)


def test_account_page_query_count_does_not_grow_with_data(client_for, csm):
    """The same number of queries for an account with 2 rows of everything or 120,
    sections of the other apps included; our own parts take 14 of them (session, user,
    account, contacts, their invitations, activity, weekly usage, top features, open
    tickets, recent tickets, surveys, survey stats, notes, the navigation's unread alert
    count)."""
    client = client_for(csm)
    counts = []
    for count in (2, 120):
        account = AccountFactory()
        _fill(account, count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_detail(account))
        assert response.status_code == 200
        json.dumps(response.context["c360"].events_figure)  # plain JSON-ready data
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 14 + 4 * len(
        extensions.account_sections("top") + extensions.account_sections("bottom")
    )
