"""The numbers behind a chart, read back from the figure itself (core.charts)."""

from datetime import date

from core.charts import figure_table


def _figure(*traces, layout=None):
    return {"data": list(traces), "layout": layout or {}}


def test_one_row_per_category_and_one_column_per_trace_in_axis_order():
    table = figure_table(
        _figure(
            {"type": "bar", "name": "login", "x": ["2026-01-05", "2026-01-12"], "y": [3, 1]},
            {"type": "bar", "name": "export", "x": ["2026-01-12", "2026-01-19"], "y": [2, 4]},
            layout={"title": {"text": "Weekly events"}, "xaxis": {"title": {"text": "Week"}}},
        )
    )
    assert table is not None
    assert table.caption == "Weekly events"
    assert table.key_label == "Week"
    assert table.columns == ["login", "export"]
    assert table.rows == [
        (date(2026, 1, 5), [3, None]),
        (date(2026, 1, 12), [1, 2]),
        (date(2026, 1, 19), [None, 4]),
    ]


def test_horizontal_bars_read_their_categories_from_y_and_round_scores():
    table = figure_table(
        _figure(
            {
                "type": "bar",
                "orientation": "h",
                "name": "ARR",
                "y": ["Red", "Green"],
                "x": [1200.456, 99.0],
            },
            layout={"yaxis": {"title": "Band"}},
        )
    )
    assert table is not None
    assert table.key_label == "Band"
    assert table.rows == [("Red", [1200.5]), ("Green", [99.0])]


def test_a_figure_without_point_traces_has_no_table():
    assert figure_table(_figure({"type": "histogram", "x": [1, 2, 2, 3]})) is None
    assert figure_table(_figure()) is None
    assert figure_table(_figure({"type": "scatter", "x": [1, 2]})) is None


def test_labels_that_are_not_days_stay_as_they_are():
    table = figure_table(_figure({"name": "n", "x": ["2026-13-01", "Q1 2026"], "y": [1, 2]}))
    assert table is not None
    assert [key for key, _values in table.rows] == ["2026-13-01", "Q1 2026"]
