"""Template filters of health trends: a change in score points, signed and rounded."""

from __future__ import annotations

from django import template

from core import formats

register = template.Library()


def rounded_points(value: float | None) -> int | None:
    return None if value is None or value == "" else round(value)


@register.filter
def signed_points(value: float | None) -> str:
    """+5, 0, or a minus sign and 3 (never "-0"); empty for no value."""
    points = rounded_points(value)
    return "" if points is None else formats.signed(points, 0)


@register.filter
def trend_direction(value: float | None) -> str:
    """up, down or flat by the rounded change; empty for no value."""
    points = rounded_points(value)
    if points is None:
        return ""
    return "up" if points > 0 else "down" if points < 0 else "flat"
