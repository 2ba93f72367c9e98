"""How a raw measure value and a score change read: plain data in, plain text out.

What moved a score is worked out in ``attribution``; this module only formats numbers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import formats


def signed(value: float, decimals: int = 1) -> str:
    """A change with its sign: "+3.2", "\u22123.2" (a real minus sign), "±0" for a change
    that rounds to nothing, which reads as "no change" next to signed ones."""
    shown = formats.signed(value, decimals)
    return shown if shown.startswith(("+", formats.MINUS)) else "±" + shown


def format_raw(unit: str, raw: float | None) -> str:
    """A raw measure value as people read it: 0.42 ratio → "42%", +12.5 percent → "+13%",
    a count, an NPS average, a sentiment by name; "No data" without a value."""
    if raw is None:
        return _("No data")
    if unit == "ratio":
        return _("%(value)s%%") % {"value": formats.number(raw * 100, 0)}
    if unit == "percent":
        return _("%(value)s%%") % {"value": signed(raw, decimals=0)}
    if unit == "count":
        return formats.number(raw, 0)
    if unit == "sentiment":
        names = {0: _("Red"), 1: _("Yellow"), 2: _("Green")}
        return names.get(round(raw), formats.number(raw, 1))
    return formats.number(raw, 1)
