"""Why a score changed, and how a raw measure value reads: plain data in, plain data out.

A snapshot's ``components`` already carry each measure's contribution (score x share of
the weight), and contributions add up to the score; so "what moved the score" is the
difference of contributions between two snapshots, measure by measure. No ORM here:
the account page's selector hands over two components dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core import formats

#: "Why it changed" lists this many measures per comparison.
TOP_MOVERS = 3
#: Changes smaller than this (in score points) are rounding noise, not a reason.
MIN_CHANGE = 0.05


@dataclass(frozen=True)
class Mover:
    measure: str
    #: Contribution now minus contribution then, in score points (signed).
    change: float
    raw_then: float | None
    raw_now: float | None
    contribution_then: float
    contribution_now: float


def _part(components: Mapping[str, Mapping[str, Any]], measure: str) -> tuple[float | None, float]:
    """(raw value, contribution) of a measure; absent or missing counts as no data and 0."""
    component = components.get(measure)
    if not component or component.get("missing"):
        return None, 0.0
    return component.get("raw"), float(component.get("contribution") or 0.0)


def movers(
    now: Mapping[str, Mapping[str, Any]],
    then: Mapping[str, Mapping[str, Any]],
    *,
    limit: int = TOP_MOVERS,
) -> list[Mover]:
    """The measures whose contribution moved most between two snapshots, biggest first.

    A measure in only one of them (the scorecard changed, or it had no data) moved from
    or to 0. Ties are broken by measure key so the list is stable.
    """
    moved = []
    for measure in sorted(set(now) | set(then)):
        raw_then, before = _part(then, measure)
        raw_now, after = _part(now, measure)
        change = round(after - before, 2)
        if abs(change) < MIN_CHANGE:
            continue
        moved.append(
            Mover(
                measure=measure,
                change=change,
                raw_then=raw_then,
                raw_now=raw_now,
                contribution_then=before,
                contribution_now=after,
            )
        )
    moved.sort(key=lambda mover: (-abs(mover.change), mover.measure))
    return moved[:limit]


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
