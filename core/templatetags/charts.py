"""``{% plotly_assets %}``: what a page needs to draw its plotly figures (see charts.js)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from core.charts import figure_table
from core.formats import chart_separators
from core.plotly_assets import GLOBAL_STYLE_ID, bundle_styles

register = template.Library()


#: Languages whose plotly.js locale (month and day names, modebar) we serve from
#: ``vendor/plotly-locales``; English is built into plotly.js.
PLOTLY_LOCALES = {"es", "el"}


def plotly_locale() -> str | None:
    language = (get_language() or "").split("-")[0]
    return language if language in PLOTLY_LOCALES else None


@register.inclusion_tag("includes/plotly_assets.html")
def plotly_assets() -> dict[str, Any]:
    """plotly.js with the reader's locale, our charts.js, and plotly's stylesheet linked
    under the ids the bundle looks for, so that it writes no inline ``<style>`` (refused
    by our CSP)."""
    return {
        "global_style_id": GLOBAL_STYLE_ID,
        "injected_ids": bundle_styles().injected_ids,
        "locale": plotly_locale(),
    }


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
        "locale": plotly_locale(),
        "separators": chart_separators(),
        "table": figure_table(figure) if table else None,
    }
