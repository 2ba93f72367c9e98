"""``{% plotly_assets %}``: what a page needs to draw its plotly figures (see charts.js)."""

from __future__ import annotations

from typing import Any

from django import template

from core.charts import figure_table
from core.plotly_assets import GLOBAL_STYLE_ID, bundle_styles

register = template.Library()


@register.inclusion_tag("includes/plotly_assets.html")
def plotly_assets() -> dict[str, Any]:
    """plotly.js, our charts.js, and plotly's stylesheet linked under the ids the bundle
    looks for, so that it writes no inline ``<style>`` (refused by our CSP)."""
    return {"global_style_id": GLOBAL_STYLE_ID, "injected_ids": bundle_styles().injected_ids}


@register.inclusion_tag("includes/chart.html")
def chart(
    figure_id: str, figure: dict[str, Any], label: str, *, table: bool = True, links: bool = False
) -> dict[str, Any]:
    """A plotly figure drawn by charts.js, named for assistive technology, with the numbers
    behind it in a disclosure unless the page already shows them in a table (``table``).

    The container is a ``figure`` rather than an ``img``: plotly puts focusable controls
    inside it, which an image may not have."""
    return {
        "figure_id": figure_id,
        "figure": figure,
        "label": label,
        "links": links,
        "table": figure_table(figure) if table else None,
    }
