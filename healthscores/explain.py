"""How a raw measure value and a score change read: plain data in, plain text out.

What moved a score is worked out in ``attribution``; this module only formats numbers.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MINUS = "\u2212"  # typographic minus: lines up with "+" in tables


def _number(value: float, decimals: int) -> str:
    """Localised number, rounded: number_format alone truncates floats (12.6 → "12")."""
    return number_format(round(value, decimals), decimal_pos=decimals)


def signed(value: float, decimals: int = 1) -> str:
    """A change with its sign: "+3.2", "\u22123.2" (a real minus sign), "±0"."""
    shown = _number(abs(value), decimals)
    if round(value, decimals) == 0:
        return "±" + _number(0, decimals)
    return ("+" if value > 0 else MINUS) + shown


def format_raw(unit: str, raw: float | None) -> str:
    """A raw measure value as people read it: 0.42 ratio → "42%", +12.5 percent → "+13%",
    a count, an NPS average, a sentiment by name; "No data" without a value."""
    if raw is None:
        return _("No data")
    if unit == "ratio":
        return _("%(value)s%%") % {"value": _number(raw * 100, 0)}
    if unit == "percent":
        return _("%(value)s%%") % {"value": signed(raw, decimals=0)}
    if unit == "count":
        return _number(raw, 0)
    if unit == "sentiment":
        names = {0: _("Red"), 1: _("Yellow"), 2: _("Green")}
        return names.get(round(raw), _number(raw, 1))
    return _number(raw, 1)
