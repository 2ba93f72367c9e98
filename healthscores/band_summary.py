"""The one sentence an account page opens with: why the account is in its band.

"Red: 12% of seats active in 28 days; usage down 38% in 30 days; 3 urgent tickets open."
The measures named are the ones that pull the score down most, that is those losing the
most points against a perfect score (share of the weight x (100 - score)); each reads as
a whole phrase with its raw value, translated as one string with named placeholders.
Pure: a snapshot's components in, text out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from healthscores import explain
from healthscores.measures import MEASURES, measure_label

#: The sentence names at most this many measures.
REASONS = 3
#: A measure losing fewer points than this is not a reason the account is where it is.
MIN_LOSS = 1.0


def _trend(raw: float) -> str:
    value = explain.format_raw("ratio", abs(raw) / 100)
    if round(raw) < 0:
        return _("usage down %(value)s in 30 days") % {"value": value}
    if round(raw) > 0:
        return _("usage up %(value)s in 30 days") % {"value": value}
    return _("usage flat over 30 days")


def _urgent(raw: float) -> str:
    count = round(raw)
    return ngettext(
        "%(count)s urgent or high ticket open",
        "%(count)s urgent or high tickets open",
        count,
    ) % {"count": count}


PHRASES: dict[str, Callable[[float], str]] = {
    "active_users": lambda raw: (
        _("%(value)s of seats active in 28 days") % {"value": explain.format_raw("ratio", raw)}
    ),
    "usage_trend": _trend,
    "feature_breadth": lambda raw: (
        _("%(value)s of key features used in 30 days") % {"value": explain.format_raw("ratio", raw)}
    ),
    "urgent_tickets": _urgent,
    "ticket_volume": lambda raw: (
        _("%(value)s tickets per seat in 30 days") % {"value": explain.format_raw("score", raw)}
    ),
    "nps": lambda raw: (
        _("NPS answers average %(value)s") % {"value": explain.format_raw("score", raw)}
    ),
    "sentiment": lambda raw: (
        _("CSM sentiment %(value)s") % {"value": explain.format_raw("sentiment", raw)}
    ),
}


def phrase(key: str, raw: float) -> str:
    """A measure and its raw value in plain words; measures of other apps read as
    "label: value"."""
    if key in PHRASES:
        return PHRASES[key](raw)
    measure = MEASURES.get(key)
    return _("%(measure)s: %(value)s") % {
        "measure": measure_label(key),
        "value": explain.format_raw(measure.unit if measure else "", raw),
    }


def pulling_down(components: Mapping[str, Mapping[str, Any]], limit: int = REASONS) -> list[str]:
    """Keys of the measures losing the most points, worst first (ties by key)."""
    losses = []
    for key, part in components.items():
        if part.get("missing") or part.get("score") is None:
            continue
        loss = float(part.get("weight") or 0) * (100 - float(part["score"]))
        if loss >= MIN_LOSS:
            losses.append((-loss, key))
    return [key for _loss, key in sorted(losses)[:limit]]


def summary(band_label: str, components: Mapping[str, Mapping[str, Any]]) -> str:
    """The sentence, or "Green: no measure pulls the score down." when none does."""
    reasons = [phrase(key, components[key]["raw"]) for key in pulling_down(components)]
    if not reasons:
        return _("%(band)s: no measure pulls the score down.") % {"band": band_label}
    return _("%(band)s: %(reasons)s.") % {
        "band": band_label,
        # Translators: separates the reasons in "Red: reason; reason; reason."
        "reasons": _("; ").join(reasons),
    }
