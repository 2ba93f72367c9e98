"""The pure figure and metric builders of the Customer 360 page: no database."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from accounts import charts

START = date(2026, 1, 1)
END = START + timedelta(days=89)


def test_daily_active_contacts_fill_days_without_rows_with_zero():
    rows = [(START + timedelta(days=2), 5), (END, 7)]
    figure = charts.daily_active_contacts_figure(rows, start=START, end=END)
    trace = figure.data[0]
    assert len(trace.x) == 90
    assert trace.x[0] == "2026-01-01"
    assert trace.x[-1] == END.isoformat()
    assert list(trace.y[:4]) == [0, 0, 5, 0]
    assert trace.y[-1] == 7


def test_daily_active_contacts_with_no_rows_is_a_flat_zero_line():
    figure = charts.daily_active_contacts_figure([], start=START, end=END)
    assert set(figure.data[0].y) == {0}


def test_daily_active_contacts_figure_has_a_title_and_axis_labels():
    layout = charts.daily_active_contacts_figure([], start=START, end=END).layout
    assert layout.title.text == "Daily active contacts"
    assert layout.xaxis.title.text == "Day"
    assert layout.yaxis.title.text == "Active contacts"


def test_weekly_events_keep_top_six_and_sum_the_rest_as_other():
    monday = date(2026, 1, 5)
    rows = [(monday, f"event-{n}", 100 - n) for n in range(9)]
    table = charts.weekly_events_frame(rows)
    assert list(table.columns) == [f"event-{n}" for n in range(6)] + ["Other"]
    assert table.loc["2026-01-05", "Other"] == (100 - 6) + (100 - 7) + (100 - 8)


def test_weekly_events_fold_days_into_the_monday_of_their_week():
    rows = [
        (date(2026, 1, 5), "login", 1),  # Monday
        (date(2026, 1, 11), "login", 2),  # Sunday, same week
        (date(2026, 1, 12), "login", 4),  # next Monday
    ]
    table = charts.weekly_events_frame(rows)
    assert [week.date() for week in table.index] == [date(2026, 1, 5), date(2026, 1, 12)]
    assert table["login"].tolist() == [3, 4]


def test_weekly_events_figure_is_stacked_bars_with_labels():
    rows = [(date(2026, 1, 5), f"event-{n}", 10) for n in range(8)]
    figure = charts.weekly_events_figure(rows)
    assert figure.layout.barmode == "stack"
    assert [trace.type for trace in figure.data] == ["bar"] * 7
    assert figure.data[-1].name == "Other"
    assert figure.layout.title.text == "Weekly events by event"
    assert figure.layout.xaxis.title.text == "Week starting"
    assert figure.layout.yaxis.title.text == "Events"


def test_weekly_events_without_rows_give_an_empty_titled_figure():
    figure = charts.weekly_events_figure([])
    assert len(figure.data) == 0
    assert figure.layout.title.text == "Weekly events by event"


def test_figures_serialise_to_small_json_without_plotly_default_theme():
    rows = [(START + timedelta(days=n), n % 4) for n in range(90)]
    payload = charts.daily_active_contacts_figure(rows, start=START, end=END).to_json()
    assert json.loads(payload)["data"][0]["type"] == "scatter"
    assert len(payload) < 6000


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([10, 9, 8, 7, 6, 0], 0),  # 2 promoters, 2 detractors of 6
        ([10, 10, 10], 100),
        ([0, 5, 6], -100),
        ([9, 7, 7, 7], 25),
        ([8, 7], 0),  # passives only
        ([10, 6, 6], -33),
    ],
)
def test_net_promoter_score_is_promoters_minus_detractors_percent(scores, expected):
    assert charts.net_promoter_score(scores) == expected


def test_net_promoter_score_of_nobody_is_none():
    assert charts.net_promoter_score([]) is None
    assert charts.nps_from_counts(promoters=0, detractors=0, total=0) is None
