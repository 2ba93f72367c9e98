"""The numbers behind a plotly figure, as a table a screen reader or a keyboard can read.

A chart is a picture of data the server already has; rather than ask every view to build
a second structure for its text alternative, the table is read back from the figure's
own traces, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

#: Trace types that are a list of (x, y) points; others (histograms, pies) have no
#: one-row-per-x reading and keep their own table in their template.
_POINT_TRACES = {"scatter", "scattergl", "bar"}


@dataclass(frozen=True)
class ChartTable:
    """Rows keyed by the category axis, one column per trace, ``None`` where a trace has
    no value for a row."""

    caption: str
    key_label: str
    columns: list[str]
    rows: list[tuple[Any, list[Any]]]


def _axis_title(layout: dict[str, Any], axis: str) -> str:
    title = (layout.get(axis) or {}).get("title") or {}
    return str(title.get("text", "") if isinstance(title, dict) else title)


def figure_table(figure: dict[str, Any]) -> ChartTable | None:
    """The table of a figure's point traces (``figure`` is the JSON dict a view sends to
    ``json_script``), or None when it has none.

    Horizontal bars read their category from y. Rows keep the order in which the
    categories first appear, which is the chart's own order along its axis.
    """
    layout = figure.get("layout") or {}
    traces = [
        trace
        for trace in figure.get("data") or []
        if trace.get("type", "scatter") in _POINT_TRACES
        and trace.get("x") is not None
        and trace.get("y") is not None
    ]
    if not traces:
        return None
    horizontal = all(trace.get("orientation") == "h" for trace in traces)
    key, value = ("y", "x") if horizontal else ("x", "y")
    columns = [str(trace.get("name") or "") for trace in traces]
    cells: dict[Any, list[Any]] = {}
    for index, trace in enumerate(traces):
        for category, number in zip(trace[key], trace[value], strict=False):
            row = cells.setdefault(_readable(category), [None] * len(traces))
            row[index] = round(number, 1) if isinstance(number, float) else number
    title = layout.get("title") or {}
    return ChartTable(
        caption=str(title.get("text", "") if isinstance(title, dict) else title),
        key_label=_axis_title(layout, f"{key}axis"),
        columns=columns,
        rows=list(cells.items()),
    )


def _readable(category: Any) -> Any:
    """An ISO day becomes a date, so the template shows it in the reader's format."""
    if isinstance(category, str) and len(category) == 10:
        try:
            return date.fromisoformat(category)
        except ValueError:
            return category
    return category
