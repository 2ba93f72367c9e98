"""Badge classes of the product-risk pages: one place decides the colour of a severity,
a flag status and a health band."""

from __future__ import annotations

from django import template

from healthscores.models import Band

register = template.Library()

SEVERITY = {"high": "badge-red", "medium": "badge-yellow", "low": "badge-grey"}
STATUS = {
    "open": "badge-red",
    "acknowledged": "badge-yellow",
    "planned": "badge-blue",
    "resolved": "badge-green",
    "dismissed": "badge-grey",
}
BAND = {"red": "badge-red", "yellow": "badge-yellow", "green": "badge-green"}


@register.filter
def severity_badge(severity: str) -> str:
    return SEVERITY.get(severity, "badge-grey")


@register.filter
def risk_status_badge(status: str) -> str:
    return STATUS.get(status, "badge-grey")


@register.filter
def band_badge(band: str) -> str:
    return BAND.get(band, "badge-grey")


@register.filter
def band_label(band: str) -> str:
    """The health band's translated name ("" when the account had no score)."""
    return str(dict(Band.choices).get(band, band))
