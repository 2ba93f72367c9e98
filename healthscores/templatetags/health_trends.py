"""Template filters of health trends: a change in score points, signed and rounded."""

from __future__ import annotations

from django import template

register = template.Library()


def rounded_points(value: float | None) -> int | None:
    return None if value is None or value == "" else round(value)


@register.filter
def signed_points(value: float | None) -> str:
    """+5, 0, or a minus sign and 3 (never "-0"); empty for no value."""
    points = rounded_points(value)
    if points is None:
        return ""
    if points > 0:
        return f"+{points}"
    if points < 0:
        return f"\N{MINUS SIGN}{-points}"
    return "0"


@register.filter
def trend_direction(value: float | None) -> str:
    """up, down or flat by the rounded change; empty for no value."""
    points = rounded_points(value)
    if points is None:
        return ""
    return "up" if points > 0 else "down" if points < 0 else "flat"
