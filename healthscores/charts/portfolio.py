"""The portfolio's summary of accounts and ARR per band, from plain data (no ORM)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from core import formats
from healthscores.charts.history import BAND_COLOURS

#: The badges' hues, plus "none" for accounts not scored yet.
SUMMARY_COLOURS = {
    **{str(band): colour for band, colour in BAND_COLOURS.items()},
    "none": "#cbd5e1",
}


@dataclass(frozen=True)
class BandBar:
    band: str
    label: str | Promise
    accounts: int
    arr: Decimal | float
    #: Where clicking the bar leads: the portfolio filtered by this band.
    url: str = ""


def band_summary_figure(bars: Sequence[BandBar]) -> go.Figure:
    """Two bar charts side by side, accounts and ARR per band, one colour per band.

    Two panels rather than one chart with two y axes: counts and dollars on shared bars
    read as if one were a share of the other. Each bar carries its link in customdata,
    so a click can open the filtered portfolio.
    """
    # Horizontal bars, worst band on top: band names stay readable at half a page wide.
    bars = list(reversed(bars))
    labels = [str(bar.label) for bar in bars]
    colours = [SUMMARY_COLOURS.get(bar.band, SUMMARY_COLOURS["none"]) for bar in bars]
    links = [[bar.url] for bar in bars]
    figure = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        subplot_titles=(_("Accounts"), _("ARR")),
        horizontal_spacing=0.06,
    )
    figure.add_trace(
        go.Bar(
            y=labels,
            x=[bar.accounts for bar in bars],
            orientation="h",
            marker={"color": colours},
            customdata=links,
            name=_("Accounts"),
            hovertemplate="%{y}: %{x}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Bar(
            y=labels,
            x=[float(bar.arr) for bar in bars],
            orientation="h",
            marker={"color": colours},
            customdata=links,
            name=_("ARR"),
            hovertemplate=f"%{{y}}: {formats.with_currency('%{x:,.0f}')}<extra></extra>",
        ),
        row=1,
        col=2,
    )
    figure.update_layout(
        title={
            "text": _("Accounts and ARR by health band"),
            "x": 0,
            "xanchor": "left",
            "font": {"size": 15},
        },
        showlegend=False,
        height=300,
        margin={"l": 16, "r": 16, "t": 72, "b": 48},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        # "none" keeps plotly's default theme out of the embedded figure.
        template="none",
    )
    figure.update_yaxes(title_text=_("Health band"), automargin=True, row=1, col=1)
    figure.update_xaxes(title_text=_("Accounts"), rangemode="tozero", row=1, col=1)
    figure.update_xaxes(
        title_text=_("ARR (%(currency)s)") % {"currency": formats.currency_symbol()},
        rangemode="tozero",
        tickformat="~s",
        row=1,
        col=2,
    )
    return figure
