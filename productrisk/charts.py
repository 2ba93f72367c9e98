"""Figures of the product-risk pages, built from the plain series of ``productrisk.impact``
(no ORM), tested without a database. Every figure has a title and axis titles; the page
puts a table with the same numbers beside it."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

AFFECTED_COLOUR = "#4f46e5"
BASELINE_COLOUR = "#94a3b8"
SHIP_COLOUR = "#10b981"


def _values(column: pd.Series) -> list[float | None]:
    """NaN breaks the line (a day nobody was scored), as None does in plotly's JSON."""
    return [None if math.isnan(value) else round(float(value), 2) for value in column]


def impact_figure(series: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Mean health score per day from the ship date: affected accounts vs baseline, with
    a labelled line at day 0."""
    offsets = [int(offset) for offset in series.index]
    traces = [
        go.Scatter(
            x=offsets,
            y=_values(series["affected_mean"]),
            name=_("Accounts that asked"),
            mode="lines",
            connectgaps=False,
            line={"color": AFFECTED_COLOUR, "width": 2},
            hovertemplate=_("Day %(day)s: %(score)s") % {"day": "%{x}", "score": "%{y:.1f}"}
            + "<extra></extra>",
        ),
        go.Scatter(
            x=offsets,
            y=_values(series["baseline_mean"]),
            name=_("Accounts that did not ask"),
            mode="lines",
            connectgaps=False,
            line={"color": BASELINE_COLOUR, "width": 2, "dash": "dot"},
            hovertemplate=_("Day %(day)s: %(score)s") % {"day": "%{x}", "score": "%{y:.1f}"}
            + "<extra></extra>",
        ),
    ]
    layout = {
        "title": {
            "text": title or _("Health score before and after shipping"),
            "x": 0,
            "xanchor": "left",
            "font": {"size": 15},
        },
        "xaxis": {
            "title": {"text": _("Days from ship")},
            "showgrid": False,
            "zeroline": False,
            "range": [offsets[0], offsets[-1]] if offsets else None,
        },
        "yaxis": {"title": {"text": _("Mean health score")}, "range": [0, 100], "automargin": True},
        "shapes": [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": 0,
                "x1": 0,
                "y0": 0,
                "y1": 1,
                "line": {"color": SHIP_COLOUR, "dash": "dash", "width": 2},
            }
        ],
        "annotations": [
            {
                "x": 0,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "text": _("Shipped"),
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"color": SHIP_COLOUR},
            }
        ],
        "legend": {"orientation": "h", "x": 0, "y": -0.25},
        "margin": {"l": 56, "r": 16, "t": 48, "b": 48},
        "height": 320,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hovermode": "x unified",
        # "none" keeps plotly's 7 kB default theme out of every embedded figure.
        "template": "none",
    }
    return go.Figure(data=traces, layout=layout)


def figure_dict(figure: go.Figure) -> dict[str, Any]:
    """A figure as plain JSON data, for ``json_script`` and charts.js."""
    return json.loads(figure.to_json())
