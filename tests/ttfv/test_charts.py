"""TTFV report figures from plain cohort rows. No database."""

from __future__ import annotations

from ttfv import charts


def month(group, *, started=2, median=30.0, pct=50.0, mature=True):
    return {
        "group": group,
        "started": started,
        "achieved": 1 if median is not None else 0,
        "median_ttfv_days": median,
        "decided": 2,
        "within_target": 1,
        "within_target_pct": pct,
        "still_open": 1,
        "mature": mature,
    }


def titles(figure) -> tuple[str, str, str]:
    layout = figure.layout
    return layout.title.text, layout.xaxis.title.text, layout.yaxis.title.text


def test_distribution_bars_sit_on_day_bins_with_a_labelled_target_line():
    bins = [
        {"bin_start": 0, "bin_end": 6, "count": 3},
        {"bin_start": 7, "bin_end": 13, "count": 0},
        {"bin_start": 14, "bin_end": 20, "count": 5},
    ]
    figure = charts.distribution_figure(bins, target_days=45, bin_days=7)
    assert titles(figure) == (
        "Time to first value",
        "Days from start to first value",
        "Onboardings",
    )
    bar = figure.data[0]
    assert list(bar.x) == [3.5, 10.5, 17.5]
    assert list(bar.y) == [3, 0, 5]
    (line,) = figure.layout.shapes
    assert (line.x0, line.x1) == (45, 45)
    assert any(note.text == "Target: 45 days" for note in figure.layout.annotations)


def test_cohort_figure_has_median_bars_and_a_percent_line_on_a_second_axis():
    months = [month("2026-01"), month("2026-02", started=0, median=None, pct=None)]
    months.append(month("2026-03", median=12.0, pct=100.0, mature=False))
    figure = charts.cohort_figure(months)
    assert titles(figure) == (
        "Median TTFV and % within target by start month",
        "Start month",
        "Median TTFV (days)",
    )
    bars, line = figure.data
    assert list(bars.x) == ["2026-01", "2026-02", "2026-03"]  # the empty month keeps its place
    assert list(bars.y) == [30.0, None, 12.0]
    assert list(bars.marker.opacity) == [1, 1, charts.IMMATURE_OPACITY]
    assert line.yaxis == "y2"
    assert list(line.y) == [50.0, None, 100.0]
    assert figure.layout.yaxis2.title.text == "Achieved within target (%)"
    assert figure.layout.yaxis2.overlaying == "y"


def test_trend_marks_immature_cohorts_and_draws_the_target():
    months = [month("2026-01", median=40.0), month("2026-02", median=20.0, mature=False)]
    figure = charts.trend_figure(months, target_days=60)
    assert titles(figure) == (
        "Median TTFV trend by start-month cohort",
        "Start month",
        "Median TTFV (days)",
    )
    (trend,) = figure.data
    assert list(trend.y) == [40.0, 20.0]
    assert list(trend.marker.symbol) == ["circle", "circle-open"]
    assert list(trend.customdata) == ["final", "still rising"]
    (line,) = figure.layout.shapes
    assert (line.y0, line.y1) == (60, 60)


def test_figures_of_empty_inputs_still_have_titles_and_axes():
    for figure in (
        charts.distribution_figure([], target_days=60, bin_days=7),
        charts.cohort_figure([]),
        charts.trend_figure([], target_days=60),
    ):
        title, x_title, y_title = titles(figure)
        assert title
        assert x_title
        assert y_title


def test_guidance_bars_pair_each_window_and_hatch_the_comparison():
    row = {
        "milestone": "Data connected",
        "template": "Growth",
        **{f"{group}_n": n for group, n in (("nudged", 3), ("comparison", 12))},
        "nudged_pct_7": 66.7,
        "nudged_pct_14": 100.0,
        "comparison_pct_7": 25.0,
        "comparison_pct_14": None,
    }
    figure = charts.guidance_figure([row])
    assert titles(figure) == (
        "Milestones reached after a nudge, against comparable accounts",
        "Milestone",
        "Reached the milestone (%)",
    )
    assert [bar.name for bar in figure.data] == [
        "Nudged, within 7 days",
        "Not nudged, within 7 days",
        "Nudged, within 14 days",
        "Not nudged, within 14 days",
    ]
    assert [list(bar.y) for bar in figure.data] == [[66.7], [25.0], [100.0], [None]]
    assert list(figure.data[0].x) == ["Data connected (Growth)"]
    # Told apart by hatching, not only by a paler shade of the same colour.
    assert [bar.marker.pattern.shape for bar in figure.data] == ["", "/", "", "/"]
    assert figure.data[0].marker.color == figure.data[1].marker.color
