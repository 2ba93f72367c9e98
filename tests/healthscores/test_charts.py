"""The score history figure: pure, built from plain points, tested without a database."""

from __future__ import annotations

import json
from datetime import date, timedelta

from healthscores.charts import BAND_COLOURS, HistoryPoint, score_history_figure

START = date(2025, 3, 1)
END = START + timedelta(days=9)


def figure(points, red_below=40, green_from=70):
    return score_history_figure(
        points, start=START, end=END, red_below=red_below, green_from=green_from
    )


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_figure_has_a_title_axis_titles_and_a_fixed_score_range():
    fig = figure([HistoryPoint(START, 50.0, "yellow")])
    layout = fig.layout
    assert layout.title.text == "Health score, last 10 days"
    assert layout.xaxis.title.text == "Day (UTC)"
    assert layout.yaxis.title.text == "Score (0 to 100)"
    assert tuple(layout.yaxis.range) == (0, 100)
    assert tuple(layout.xaxis.range) == (START.isoformat(), END.isoformat())
    json.dumps(json.loads(fig.to_json()))  # embeddable with json_script


def test_bands_are_shaded_at_the_scorecards_thresholds():
    fig = figure([], red_below=35, green_from=80)
    areas = [(s.y0, s.y1, s.fillcolor) for s in fig.layout.shapes]
    assert areas == [
        (0, 35, BAND_COLOURS["red"]),
        (35, 80, BAND_COLOURS["yellow"]),
        (80, 100, BAND_COLOURS["green"]),
    ]


def test_equal_thresholds_leave_out_the_empty_yellow_band():
    fig = figure([], red_below=50, green_from=50)
    assert [s.fillcolor for s in fig.layout.shapes] == [BAND_COLOURS["red"], BAND_COLOURS["green"]]


def test_one_value_per_day_with_gaps_for_days_without_a_snapshot_or_enough_data():
    points = [
        HistoryPoint(START, 61.0, "yellow"),
        HistoryPoint(START + timedelta(days=2), 30.0, "grey"),
        HistoryPoint(START + timedelta(days=3), 72.5, "green"),
        HistoryPoint(START - timedelta(days=1), 99.0, "green"),  # outside the window
    ]
    line = trace(figure(points), "Score")
    assert len(line.x) == 10
    assert line.x[0] == START.isoformat()
    assert list(line.y[:4]) == [61.0, None, None, 72.5]
    assert line.connectgaps is False


def test_insufficient_data_days_are_grey_markers():
    points = [
        HistoryPoint(START + timedelta(days=1), 30.0, "grey"),
        HistoryPoint(START + timedelta(days=4), None, "grey"),
    ]
    grey = trace(figure(points), "Insufficient data")
    assert list(grey.x) == [
        (START + timedelta(days=1)).isoformat(),
        (START + timedelta(days=4)).isoformat(),
    ]
    assert list(grey.y) == [30.0, 0]
    assert grey.marker.color == BAND_COLOURS["grey"]


def test_overridden_days_are_marked_with_band_and_reason_on_hover():
    points = [
        HistoryPoint(START, 30.0, "red"),
        HistoryPoint(START + timedelta(days=1), 32.0, "red", "green", "Renewal signed"),
    ]
    marks = trace(figure(points), "Override")
    assert list(marks.x) == [(START + timedelta(days=1)).isoformat()]
    assert list(marks.y) == [32.0]
    assert list(marks.marker.color) == [BAND_COLOURS["green"]]
    assert list(marks.text) == ["Override: Green. Renewal signed"]


def test_no_override_or_grey_trace_without_such_days():
    fig = figure([HistoryPoint(START, 80.0, "green")])
    assert [t.name for t in fig.data] == ["Score"]
