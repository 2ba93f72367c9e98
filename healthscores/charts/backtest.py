"""The scorecard report's two figures, from a ``Backtest`` (no ORM)."""

from __future__ import annotations

import json
from typing import Any

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


def score_distribution_figure(report: Backtest, *, horizon: int) -> dict[str, Any]:
    """Overlaid histograms of the score, churned against retained accounts: the further
    apart, the better the score separates them."""
    figure = go.Figure()
    for scores, name, colour in (
        (report.stayed_scores, _("Renewed"), STAYED_COLOUR),
        (report.churned_scores, _("Churned"), CHURNED_COLOUR),
    ):
        figure.add_trace(
            go.Histogram(
                x=scores,
                name=name,
                xbins={"start": 0, "end": 100, "size": 5},
                histnorm="percent",
                opacity=0.6,
                marker={"color": colour},
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
