"""Figures of health scores, built from plain data (no ORM), tested without a database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from core import formats
from healthscores.models.snapshots import Band

BAND_COLOURS = {
    Band.RED: "#ef4444",
    Band.YELLOW: "#f59e0b",
    Band.GREEN: "#10b981",
    Band.INSUFFICIENT: "#94a3b8",
}
LINE_COLOUR = "#4f46e5"


class HistoryPoint(NamedTuple):
    """One snapshot as the history chart needs it."""

    day: date
    score: float | None
    band: str
    override_band: str = ""
    override_reason: str = ""


def _layout(*, title: str, x_title: str, y_title: str) -> dict:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "xaxis": {"title": {"text": x_title}, "showgrid": False, "type": "date"},
        "yaxis": {"title": {"text": y_title}, "range": [0, 100], "automargin": True},
        "margin": {"l": 56, "r": 16, "t": 48, "b": 48},
        "height": 300,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "x": 0, "y": -0.25},
        "hovermode": "closest",
        # "none" keeps plotly's 7 kB default theme out of every embedded figure.
        "template": "none",
    }


def _band_areas(red_below: float, green_from: float) -> list[dict]:
    """Shaded horizontal bands behind the line, so a point reads as red/yellow/green."""
    areas = [(0, red_below, Band.RED), (red_below, green_from, Band.YELLOW)]
    areas.append((green_from, 100, Band.GREEN))
    return [
        {
            "type": "rect",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": low,
            "y1": high,
            "fillcolor": BAND_COLOURS[band],
            "opacity": 0.1,
            "line": {"width": 0},
            "layer": "below",
            "name": str(band.label),
        }
        for low, high, band in areas
        if high > low
    ]


def _override_text(point: HistoryPoint, band_labels: dict) -> str:
    band = band_labels.get(point.override_band, point.override_band)
    return _("Override: %(band)s. %(reason)s") % {"band": band, "reason": point.override_reason}


def score_history_figure(
    points: Iterable[HistoryPoint],
    *,
    start: date,
    end: date,
    red_below: float,
    green_from: float,
) -> go.Figure:
    """The daily score from ``start`` to ``end`` inclusive, on shaded bands.

    Days without a snapshot, or with "insufficient data", break the line: joining across
    them would draw a trend nobody measured. Insufficient days get a grey marker (at
    their partial score, or on the axis when nothing could be scored), and overridden
    days a diamond in the override's band colour with its reason on hover.
    """
    by_day = {point.day: point for point in points if start <= point.day <= end}
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    line_x, line_y = [], []
    for day in days:
        point = by_day.get(day)
        usable = point is not None and point.score is not None and point.band != Band.INSUFFICIENT
        line_x.append(day.isoformat())
        line_y.append(point.score if usable else None)
    insufficient = [p for p in by_day.values() if p.band == Band.INSUFFICIENT]
    overridden = [p for p in by_day.values() if p.override_band]
    insufficient.sort()
    overridden.sort()
    band_labels = dict(Band.choices)

    figure = go.Figure()
    # Hover dates as the pages write a day and month in the reader's language.
    day_format = formats.chart_day_format()
    figure.add_trace(
        go.Scatter(
            x=line_x,
            y=line_y,
            mode="lines+markers",
            name=_("Score"),
            connectgaps=False,
            line={"width": 2, "color": LINE_COLOUR},
            marker={"size": 4, "color": LINE_COLOUR},
            hovertemplate=f"%{{x|{day_format}}}: %{{y:.0f}}<extra></extra>",
        )
    )
    if insufficient:
        figure.add_trace(
            go.Scatter(
                x=[p.day.isoformat() for p in insufficient],
                y=[p.score if p.score is not None else 0 for p in insufficient],
                mode="markers",
                name=str(band_labels[Band.INSUFFICIENT]),
                marker={"size": 8, "color": BAND_COLOURS[Band.INSUFFICIENT], "symbol": "circle"},
                hovertemplate=_("%(day)s: insufficient data") % {"day": f"%{{x|{day_format}}}"}
                + "<extra></extra>",
            )
        )
    if overridden:
        figure.add_trace(
            go.Scatter(
                x=[p.day.isoformat() for p in overridden],
                y=[p.score if p.score is not None else 0 for p in overridden],
                mode="markers",
                name=_("Override"),
                marker={
                    "size": 11,
                    "symbol": "diamond-open",
                    "line": {"width": 2},
                    "color": [BAND_COLOURS.get(p.override_band, LINE_COLOUR) for p in overridden],
                },
                text=[_override_text(p, band_labels) for p in overridden],
                hovertemplate=f"%{{x|{day_format}}}: %{{text}}<extra></extra>",
            )
        )
    figure.update_layout(
        _layout(
            title=_("Health score, last %(days)d days") % {"days": len(days)},
            x_title=_("Day (UTC)"),
            y_title=_("Score (0 to 100)"),
        ),
        shapes=_band_areas(red_below, green_from),
    )
    figure.update_xaxes(range=[start.isoformat(), end.isoformat()])
    return figure
