"""Figures and small metrics of the Customer 360 page, built from plain data.

Nothing here touches the ORM: selectors run the SQL aggregates and hand over lists of
tuples, so the shaping rules (zero-filled days, "top N + other", NPS) are tested without
a database and stay the same whichever page or report draws them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from core import formats

#: Weekly stacks keep this many events by name; the rest are summed as "other".
TOP_EVENTS = 6

# Colours that read on both light and dark backgrounds; the page's stylesheet sets the
# text and grid colours at draw time (see static/js/charts.js).
PALETTE = ["#4f46e5", "#06b6d4", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#94a3b8"]


def _layout(*, title: str, x_title: str, y_title: str, stacked: bool = False) -> dict:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "xaxis": {"title": {"text": x_title}, "showgrid": False},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero", "automargin": True},
        "barmode": "stack" if stacked else None,
        "margin": {"l": 56, "r": 16, "t": 48, "b": 48},
        "height": 300,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "v", "x": 1.01, "y": 1, "xanchor": "left"},
        "hovermode": "x unified",
        "colorway": PALETTE,
        # "none" keeps plotly's 7 kB default theme out of every embedded figure.
        "template": "none",
    }


def daily_active_contacts_figure(
    rows: Iterable[tuple[date, int]], *, start: date, end: date
) -> go.Figure:
    """Active contacts per day from ``start`` to ``end`` inclusive.

    Days without a rollup row had no activity, so they are drawn as 0 rather than left
    out: a gap in a line chart would read as "no data" instead of "nobody used it".
    """
    days = pd.date_range(start, end, freq="D")
    series = pd.Series(dict(rows), dtype="int64")
    series.index = pd.to_datetime(series.index)
    series = series.reindex(days, fill_value=0)
    figure = go.Figure(
        go.Scatter(
            x=[day.date().isoformat() for day in series.index],
            y=series.tolist(),
            mode="lines",
            name=_("Active contacts"),
            line={"width": 2, "color": PALETTE[0]},
            fill="tozeroy",
            fillcolor="rgba(79,70,229,0.12)",
            hovertemplate="%{y}<extra></extra>",
        )
    )
    figure.update_layout(
        _layout(title=_("Daily active contacts"), x_title=_("Day"), y_title=_("Active contacts"))
    )
    return figure


def weekly_events_frame(
    rows: Iterable[tuple[date, str, int]], *, top: int = TOP_EVENTS
) -> pd.DataFrame:
    """Weeks x events table of counts: the ``top`` events by total, the rest as "Other".

    ``rows`` are (day, event, count); days are folded into the Monday of their week, so
    callers may pass daily or already weekly rows. Columns are ordered by total, "Other"
    last, and weeks ascending.
    """
    frame = pd.DataFrame(list(rows), columns=["day", "event", "count"])
    if frame.empty:
        return pd.DataFrame()
    frame["day"] = pd.to_datetime(frame["day"])
    frame["week"] = frame["day"] - pd.to_timedelta(frame["day"].dt.day_of_week, unit="D")
    totals = frame.groupby("event")["count"].sum().sort_values(ascending=False, kind="stable")
    keep = list(totals.index[:top])
    other = _("Other")
    frame["series"] = frame["event"].where(frame["event"].isin(keep), other)
    table = frame.pivot_table(
        index="week", columns="series", values="count", aggfunc="sum", fill_value=0
    )
    columns = keep + ([other] if other in table.columns and other not in keep else [])
    return table.reindex(columns=columns).sort_index()


def weekly_events_figure(
    rows: Iterable[tuple[date, str, int]], *, top: int = TOP_EVENTS
) -> go.Figure:
    """Stacked bars of events per week, one colour per top event plus "Other"."""
    table = weekly_events_frame(rows, top=top)
    figure = go.Figure()
    weeks = [week.date().isoformat() for week in table.index]
    for index, event in enumerate(table.columns):
        figure.add_trace(
            go.Bar(
                x=weeks,
                y=table[event].astype(int).tolist(),
                name=str(event),
                marker={"color": PALETTE[index % len(PALETTE)]},
                hovertemplate="%{fullData.name}: %{y}<extra></extra>",
            )
        )
    figure.update_layout(
        _layout(
            title=_("Weekly events by event"),
            x_title=_("Week starting"),
            y_title=_("Events"),
            stacked=True,
        )
    )
    if weeks:
        # One tick per bar start, so "Week starting" labels name the Monday of each bar.
        figure.update_xaxes(
            tick0=weeks[0], dtick=7 * 24 * 3600 * 1000, tickformat=formats.chart_day_format()
        )
    return figure


def net_promoter_score(scores: Iterable[int]) -> int | None:
    """Standard NPS: % promoters (9-10) minus % detractors (0-6), rounded; None if empty."""
    values = list(scores)
    if not values:
        return None
    promoters = sum(1 for score in values if score >= 9)
    detractors = sum(1 for score in values if score <= 6)
    return nps_from_counts(promoters=promoters, detractors=detractors, total=len(values))


def nps_from_counts(*, promoters: int, detractors: int, total: int) -> int | None:
    """NPS from counts that SQL already aggregated; None when nobody answered."""
    if total <= 0:
        return None
    return round(100 * (promoters - detractors) / total)
