"""Figures of the TTFV reports, built from the cohort tables of ``ttfv.cohorts``.

Nothing here touches the ORM, so each figure is tested from plain rows. Every figure has
a title and axis titles; the page puts a table with the same numbers next to each one.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _

#: Young cohorts are drawn paler: their median only holds the fast accounts so far.
IMMATURE_OPACITY = 0.45
TARGET_COLOUR = "#ef4444"
# The Customer 360 palette: it reads on both light and dark backgrounds.
PALETTE = ["#4f46e5", "#06b6d4", "#f59e0b", "#10b981"]


def _layout(*, title: str, x_title: str, y_title: str) -> dict:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "xaxis": {"title": {"text": x_title}, "showgrid": False, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero", "automargin": True},
        "margin": {"l": 56, "r": 16, "t": 48, "b": 48},
        "height": 300,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hovermode": "x unified",
        # "none" keeps plotly's 7 kB default theme out of every embedded figure.
        "template": "none",
    }


def _target_marks(*, days: int, vertical: bool) -> dict[str, list[dict[str, Any]]]:
    """A dashed target line across the plot, labelled "Target: N days".

    Written into the layout rather than drawn with add_vline/add_hline, which re-validate
    the whole figure on each call (a tenth of a second per figure at report scale).
    """
    label = _("Target: %(days)d days") % {"days": days}
    line = {"color": TARGET_COLOUR, "dash": "dash", "width": 2 if vertical else 1}
    if vertical:
        shape = {"type": "line", "xref": "x", "yref": "paper", "x0": days, "x1": days}
        shape |= {"y0": 0, "y1": 1}
        note = {"x": days, "xref": "x", "y": 1, "yref": "paper", "xanchor": "left"}
    else:
        shape = {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1}
        shape |= {"y0": days, "y1": days}
        note = {"x": 0, "xref": "paper", "y": days, "yref": "y", "xanchor": "left"}
    note |= {"text": label, "showarrow": False, "yanchor": "bottom"}
    return {
        "shapes": [shape | {"line": line}],
        "annotations": [note | {"font": {"color": TARGET_COLOUR}}],
    }


def distribution_figure(
    bins: list[dict[str, Any]], *, target_days: int, bin_days: int
) -> go.Figure:
    """Achieved onboardings per TTFV bin, with a labelled vertical line at the target.

    Bars sit on a numeric day axis (centred on their bin, ``bin_days`` wide) so the
    target line lands at its exact day rather than on a category.
    """
    layout = _layout(
        title=_("Time to first value"),
        x_title=_("Days from start to first value"),
        y_title=_("Onboardings"),
    )
    layout["xaxis"]["rangemode"] = "tozero"
    layout |= {"hovermode": "closest", "showlegend": False}
    layout |= _target_marks(days=target_days, vertical=True)
    bars = go.Bar(
        x=[row["bin_start"] + bin_days / 2 for row in bins],
        y=[row["count"] for row in bins],
        width=[bin_days * 0.92] * len(bins),
        customdata=[[row["bin_start"], row["bin_end"]] for row in bins],
        name=_("Onboardings"),
        marker={"color": PALETTE[0]},
        hovertemplate=_("%(days)s: %(count)s")
        % {"days": _("days %{customdata[0]} to %{customdata[1]}"), "count": "%{y}"}
        + "<extra></extra>",
    )
    return go.Figure(data=[bars], layout=layout)


def cohort_figure(months: list[dict[str, Any]]) -> go.Figure:
    """Per start month: median TTFV as bars (days, left axis) and % achieved within
    target as a line (right axis, 0-100). Months without starts keep their place, empty,
    so the axis stays a calendar."""
    months_x = [row["group"] for row in months]
    bars = go.Bar(
        x=months_x,
        y=[row["median_ttfv_days"] for row in months],
        name=_("Median TTFV (days)"),
        marker={
            "color": PALETTE[0],
            "opacity": [1 if row["mature"] else IMMATURE_OPACITY for row in months],
        },
        hovertemplate=_("Median %(value)s days") % {"value": "%{y}"} + "<extra></extra>",
    )
    line = go.Scatter(
        x=months_x,
        y=[row["within_target_pct"] for row in months],
        name=_("Achieved within target (%)"),
        mode="lines+markers",
        yaxis="y2",
        line={"color": PALETTE[2], "width": 2},
        hovertemplate=_("%(value)s%% within target") % {"value": "%{y}"} + "<extra></extra>",
    )
    layout = _layout(
        title=_("Median TTFV and % within target by start month"),
        x_title=_("Start month"),
        y_title=_("Median TTFV (days)"),
    )
    layout["xaxis"]["type"] = "category"
    layout |= {
        "yaxis2": {
            "title": {"text": _("Achieved within target (%)")},
            "overlaying": "y",
            "side": "right",
            "range": [0, 105],
            "tickvals": [0, 25, 50, 75, 100],
            "showgrid": False,
            "automargin": True,
        },
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"},
        "margin": {"l": 56, "r": 56, "t": 72, "b": 64},
        "height": 360,
    }
    return go.Figure(data=[bars, line], layout=layout)


def trend_figure(months: list[dict[str, Any]], *, target_days: int) -> go.Figure:
    """Median TTFV per start-month cohort: the number a CS leader tries to push down.

    Cohorts whose members do not all have an outcome yet are drawn as hollow markers and
    named in the hover, since their median will still rise as slower accounts arrive.
    A month without a median keeps its place on the axis and the line bridges it.
    """
    trend = go.Scatter(
        x=[row["group"] for row in months],
        y=[row["median_ttfv_days"] for row in months],
        name=_("Median TTFV (days)"),
        mode="lines+markers",
        connectgaps=True,
        line={"color": PALETTE[0], "width": 2},
        marker={
            "size": 8,
            "symbol": ["circle" if row["mature"] else "circle-open" for row in months],
        },
        customdata=[_("final") if row["mature"] else _("still rising") for row in months],
        hovertemplate=_("Median %(value)s days (%(state)s)")
        % {"value": "%{y}", "state": "%{customdata}"}
        + "<extra></extra>",
    )
    layout = _layout(
        title=_("Median TTFV trend by start-month cohort"),
        x_title=_("Start month"),
        y_title=_("Median TTFV (days)"),
    )
    layout["xaxis"]["type"] = "category"
    layout |= {"showlegend": False} | _target_marks(days=target_days, vertical=False)
    return go.Figure(data=[trend], layout=layout)


def guidance_figure(rows: list[dict[str, Any]]) -> go.Figure:
    """Per milestone (rows of ``ttfv.guidance.guidance_rows``): % of nudged and of
    comparison accounts that reached it within 7 and 14 days, as grouped bars.

    Nudged bars are solid and comparison bars pale and hatched in the same colour per
    window, so each pair reads as "with and without a nudge" without telling shades
    apart (the legend shows the hatching too). A rate with nothing decided yet is a gap.
    """
    names = [
        _("%(milestone)s (%(template)s)")
        % {"milestone": row["milestone"], "template": row["template"]}
        for row in rows
    ]
    series = [
        ("nudged", 7, _("Nudged, within 7 days"), PALETTE[0], 1),
        ("comparison", 7, _("Not nudged, within 7 days"), PALETTE[0], IMMATURE_OPACITY),
        ("nudged", 14, _("Nudged, within 14 days"), PALETTE[1], 1),
        ("comparison", 14, _("Not nudged, within 14 days"), PALETTE[1], IMMATURE_OPACITY),
    ]
    bars = [
        go.Bar(
            x=names,
            y=[row[f"{group}_pct_{days}"] for row in rows],
            customdata=[row[f"{group}_n"] for row in rows],
            name=label,
            marker={
                "color": colour,
                "opacity": opacity,
                "pattern": {"shape": "/" if group == "comparison" else ""},
            },
            hovertemplate=_("%(label)s: %(value)s%% of %(count)s accounts")
            % {"label": label, "value": "%{y}", "count": "%{customdata}"}
            + "<extra></extra>",
        )
        for group, days, label, colour, opacity in series
    ]
    layout = _layout(
        title=_("Milestones reached after a nudge, against comparable accounts"),
        x_title=_("Milestone"),
        y_title=_("Reached the milestone (%)"),
    )
    layout["xaxis"]["type"] = "category"
    layout["yaxis"] |= {"range": [0, 105], "tickvals": [0, 25, 50, 75, 100]}
    layout |= {
        "barmode": "group",
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"},
        "margin": {"l": 56, "r": 16, "t": 72, "b": 64},
        "height": 380,
    }
    return go.Figure(data=bars, layout=layout)
