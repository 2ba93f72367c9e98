"""``{% plotly_assets %}``: what a page needs to draw its plotly figures (see charts.js)."""

from __future__ import annotations

from typing import Any

from django import template

from core.plotly_assets import GLOBAL_STYLE_ID, bundle_styles

register = template.Library()


@register.inclusion_tag("includes/plotly_assets.html")
def plotly_assets() -> dict[str, Any]:
    """plotly.js, our charts.js, and plotly's stylesheet linked under the ids the bundle
    looks for, so that it writes no inline ``<style>`` (refused by our CSP)."""
    return {"global_style_id": GLOBAL_STYLE_ID, "injected_ids": bundle_styles().injected_ids}
