"""The scorecard report's two figures, from a ``Backtest`` (no ORM)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from healthscores.backtest import BANDS, Backtest
from healthscores.charts.history import BAND_COLOURS
from healthscores.models import Band

CHURNED_COLOUR = "#b91c1c"
STAYED_COLOUR = "#15803d"


def _layout(*, title: str, x_title: str, y_title: str) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "xaxis": {"title": {"text": x_title}, "showgrid": False},
        "yaxis": {"title": {"text": y_title}, "automargin": True},
        "margin": {"l": 56, "r": 16, "t": 48, "b": 48},
        "height": 300,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "x": 0, "y": -0.25},
        "template": "none",
    }


#: Width of the score bins of the distribution (scores run from 0 to 100).
BIN_SIZE = 5


def _shares(scores: list[float]) -> list[float]:
    """Percent of ``scores`` in each bin of BIN_SIZE points, 100 in the last one."""
    counts, _edges = np.histogram(scores, bins=np.arange(0, 100 + BIN_SIZE, BIN_SIZE))
    total = counts.sum()
    return [round(100 * float(n) / total, 1) if total else 0.0 for n in counts]


def score_distribution_figure(report: Backtest, *, horizon: int) -> dict[str, Any]:
    """Overlaid histograms of the score, churned against retained accounts: the further
    apart, the better the score separates them.

    Binned here (numpy) and drawn as bars: 20,000 scores sent for plotly to bin cost
    most of a cached report's time (plotly validates every value) and a page weight of
    their own; twenty shares per group draw the same picture."""
    centres = list(np.arange(BIN_SIZE / 2, 100, BIN_SIZE))
    figure = go.Figure()
    for scores, name, colour in (
        (report.stayed_scores, _("Renewed"), STAYED_COLOUR),
        (report.churned_scores, _("Churned"), CHURNED_COLOUR),
    ):
        figure.add_trace(
            go.Bar(
                x=centres,
                y=_shares(scores),
                width=BIN_SIZE,
                name=name,
                opacity=0.6,
                marker={"color": colour},
                hovertemplate="%{x}: %{y}%<extra>" + str(name) + "</extra>",
            )
        )
    figure.update_layout(
        _layout(
            title=_("Score %(days)d days before the renewal") % {"days": horizon},
            x_title=_("Score (0 to 100)"),
            y_title=_("Share of accounts (%)"),
        ),
        barmode="overlay",
    )
    return json.loads(figure.to_json())


def churn_rate_figure(report: Backtest) -> dict[str, Any]:
    """Churn rate per band: red should churn most, green least."""
    labels = dict(Band.choices)
    bands = [band for band in BANDS if report.churn_rate[band] is not None]
    figure = go.Figure(
        go.Bar(
            x=[str(labels[band]) for band in bands],
            y=[round(100 * (report.churn_rate[band] or 0), 1) for band in bands],
            marker={"color": [BAND_COLOURS[Band(band)] for band in bands]},
            name=_("Churn rate"),
            hovertemplate="%{x}: %{y}%<extra></extra>",
        )
    )
    figure.update_layout(
        _layout(
            title=_("Churn rate by band"),
            x_title=_("Band before the renewal"),
            y_title=_("Churned (%)"),
        )
    )
    return json.loads(figure.to_json())
