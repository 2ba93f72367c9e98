"""The measure registry: every kind of measure a scorecard can weigh.

A measure names the raw-value family that computes it (one SQL aggregate for a whole
chunk of accounts), the column it reads from that family's frame, and the defaults a new
scorecard starts from. Adding a measure is one ``register_measure`` call, plus a
``register_family`` if its raw value needs a new query; the TTFV app adds its own this
way from its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    import pandas as pd

    from healthscores.raw_values import RawContext

HIGHER = "higher"
LOWER = "lower"

#: What the scorecard editor shows for a unit: the key itself is also the API's value.
UNIT_LABELS: dict[str, str | Promise] = {
    "ratio": pgettext_lazy("measure unit", "ratio"),
    "percent": pgettext_lazy("measure unit", "percent"),
    "count": pgettext_lazy("measure unit", "count"),
    "score": pgettext_lazy("measure unit", "score"),
    "sentiment": pgettext_lazy("measure unit", "sentiment"),
}


@dataclass(frozen=True)
class MeasureType:
    key: str
    label: str | Promise
    #: One sentence shown in the measure table and the editor: what the raw value is.
    description: str | Promise
    family: str
    column: str
    #: How the raw value reads: ratio (0.42 → 42%), percent, count, score, sentiment.
    unit: str
    direction: str
    points: tuple[tuple[float, float], ...]
    weight: float
    #: Which data the account page links to when this measure moved: a key of EVIDENCE.
    evidence: str

    @property
    def unit_label(self) -> str | Promise:
        """The unit in the reader's language; a unit with no label shows its key."""
        return UNIT_LABELS.get(self.unit, self.unit)


@dataclass(frozen=True)
class Family:
    key: str
    #: Raw values of every account of the context, indexed by account ID; accounts with
    #: no row, or NaN in a column, have no data for that measure.
    load: Callable[[RawContext], pd.DataFrame]


@dataclass(frozen=True)
class Evidence:
    """Where the Customer 360 page shows the data behind a measure."""

    #: The HTML id of that part of the account page.
    anchor: str
    #: What "See …" links to, e.g. "usage".
    label: str | Promise


MEASURES: dict[str, MeasureType] = {}
FAMILIES: dict[str, Family] = {}
EVIDENCE: dict[str, Evidence] = {}


def register_measure(measure: MeasureType) -> None:
    MEASURES[measure.key] = measure


def register_family(family: Family) -> None:
    FAMILIES[family.key] = family


def register_evidence(key: str, evidence: Evidence) -> None:
    EVIDENCE[key] = evidence


def measure_label(key: str) -> str:
    measure = MEASURES.get(key)
    return str(measure.label) if measure else key


def registry_order(keys: Iterable[str]) -> list[str]:
    """Measure keys in the registry's order, unknown ones last by key: the order of the
    measure tables and the API (a snapshot's jsonb does not keep key order)."""
    order = {key: index for index, key in enumerate(MEASURES)}
    return sorted(keys, key=lambda key: (order.get(key, len(order)), key))


def _builtin() -> None:
    """The built-in measures. Their families of raw values (``raw_values``, which reads
    the models) are registered by the app's ``ready``, once the models are loaded."""
    register_evidence("usage", Evidence("usage-heading", _("usage")))
    register_evidence("tickets", Evidence("tickets-heading", _("tickets")))
    register_evidence("surveys", Evidence("surveys-heading", _("survey answers")))
    register_evidence("sentiment", Evidence("health-sentiment-heading", _("sentiment history")))
    for measure in (
        MeasureType(
            key="active_users",
            label=_("Active user ratio"),
            description=_("Distinct active contacts in the last 28 days per licensed seat."),
            family="activity",
            column="active_users",
            unit="ratio",
            direction=HIGHER,
            points=((0, 0), (0.2, 40), (0.5, 70), (0.8, 100)),
            weight=25,
            evidence="usage",
        ),
        MeasureType(
            key="usage_trend",
            label=_("Usage trend"),
            description=_("Change in events over the last 30 days against the 30 before."),
            family="usage",
            column="usage_trend",
            unit="percent",
            direction=HIGHER,
            points=((-50, 0), (-20, 40), (0, 70), (25, 100)),
            weight=20,
            evidence="usage",
        ),
        MeasureType(
            key="feature_breadth",
            label=_("Feature breadth"),
            description=_("Share of the scorecard's key events used in the last 30 days."),
            family="breadth",
            column="feature_breadth",
            unit="ratio",
            direction=HIGHER,
            points=((0, 0), (0.3, 40), (0.6, 70), (0.9, 100)),
            weight=15,
            evidence="usage",
        ),
        MeasureType(
            key="urgent_tickets",
            label=_("Open urgent and high tickets"),
            description=_("Tickets of urgent or high priority still open at the end of the day."),
            family="tickets",
            column="urgent_tickets",
            unit="count",
            direction=LOWER,
            points=((0, 100), (1, 70), (3, 40), (6, 0)),
            weight=10,
            evidence="tickets",
        ),
        MeasureType(
            key="ticket_volume",
            label=_("Ticket volume per seat"),
            description=_("Tickets opened in the last 30 days per licensed seat."),
            family="tickets",
            column="ticket_volume",
            unit="ratio",
            direction=LOWER,
            points=((0, 100), (0.1, 70), (0.3, 40), (1, 0)),
            weight=10,
            evidence="tickets",
        ),
        MeasureType(
            key="nps",
            label=_("NPS answers"),
            description=_("Average NPS score (0-10) answered in the last 90 days."),
            family="surveys",
            column="nps",
            unit="score",
            direction=HIGHER,
            points=((0, 0), (6, 40), (8, 70), (10, 100)),
            weight=10,
            evidence="surveys",
        ),
        MeasureType(
            key="sentiment",
            label=_("CSM sentiment"),
            description=_("The CSM's latest green, yellow or red call, until it goes stale."),
            family="sentiment",
            column="sentiment",
            unit="sentiment",
            direction=HIGHER,
            points=((0, 10), (1, 55), (2, 100)),
            weight=10,
            evidence="sentiment",
        ),
    ):
        register_measure(measure)


_builtin()
