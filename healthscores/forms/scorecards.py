"""Input of the scorecard editor: the scorecard's settings, one form per measure, and
each measure's thresholds as rows of [raw value → score].

Threshold rows are plain repeated inputs (``<prefix>-raw`` / ``<prefix>-score``) rather
than a nested formset: rows are added and removed freely, a blank row is ignored (the
editor always offers one, so adding works without JavaScript), and every problem is
reported on the row that has it.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthscores.measures import MEASURES, MeasureType
from healthscores.models import Scorecard, ScorecardMeasure
from healthscores.services.scorecards import BACKFILL_MAX_DAYS, MeasureDraft, ScorecardDraft

EVENT_NAME_MAX = 200  # accounts.DailyUsage.event
MEASURE_PREFIX = "measures"
_PREFIX_RE = re.compile(rf"^{MEASURE_PREFIX}-\d+$")
BAND_ERRORS = {
    "min_value": gettext_lazy("Bands are scores from 0 to 100."),
    "max_value": gettext_lazy("Bands are scores from 0 to 100."),
    "required": gettext_lazy("Give a score from 0 to 100."),
    "invalid": gettext_lazy("Enter a number from 0 to 100."),
}


def number_text(value: float) -> str:
    """40.0 → "40", 0.25 → "0.25": thresholds read as people typed them."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def unknown_event_warnings(names: list[str], known: list[str]) -> list[str]:
    """A warning per typed event name that no usage has, with the closest known names:
    a typo in a key event silently lowers every account's feature breadth."""
    lowered = {name.lower(): name for name in known}
    warnings = []
    for name in names:
        if name in known:
            continue
        close = [
            lowered[m] for m in difflib.get_close_matches(name.lower(), lowered, n=3, cutoff=0.6)
        ]
        if close:
            warnings.append(
                _("No usage has the event “%(name)s” yet. Did you mean %(close)s?")
                % {"name": name, "close": ", ".join(f"“{c}”" for c in close)}
            )
        else:
            warnings.append(
                _(
                    "No usage has the event “%(name)s” yet; it counts for feature breadth "
                    "once events with exactly this name arrive."
                )
                % {"name": name}
            )
    return warnings


class ScorecardForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    red_below = forms.FloatField(
        label=gettext_lazy("Red below"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("A score under this is red."),
        error_messages=BAND_ERRORS,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    green_from = forms.FloatField(
        label=gettext_lazy("Green from"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("A score at or above this is green; between the two is yellow."),
        error_messages=BAND_ERRORS,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    key_events = forms.MultipleChoiceField(
        label=gettext_lazy("Key events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Feature breadth is the share of these events an account used in the last 30 days."
        ),
    )
    other_events = forms.CharField(
        label=gettext_lazy("Other key events"),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("Event names not listed, separated by commas."),
    )
    sentiment_stale_days = forms.IntegerField(
        label=gettext_lazy("Sentiment is stale after (days)"),
        min_value=1,
        max_value=3650,
        help_text=gettext_lazy("A CSM sentiment older than this counts as missing."),
    )
    #: The version the editor was opened on; saving over a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, data: QueryDict | None = None, *, known_events: list[str], initial: dict | None = None
    ) -> None:
        super().__init__(data, initial=initial)
        self.known_events = known_events
        self.fields["key_events"].choices = [(event, event) for event in known_events]
        self.key_event_warnings: list[str] = []
        if not self.is_bound and initial:
            others = split_events(initial.get("other_events", ""))
            self.key_event_warnings = unknown_event_warnings(others, known_events)

    @staticmethod
    def initial_for(scorecard: Scorecard, known_events: list[str]) -> dict[str, Any]:
        known = set(known_events)
        events = list(scorecard.key_events or ())
        return {
            "name": scorecard.name,
            "red_below": scorecard.red_below,
            "green_from": scorecard.green_from,
            "key_events": [e for e in events if e in known],
            "other_events": ", ".join(e for e in events if e not in known),
            "sentiment_stale_days": scorecard.sentiment_stale_days,
            "version": scorecard.version,
        }

    def clean_other_events(self) -> list[str]:
        names = split_events(self.cleaned_data["other_events"])
        too_long = [name for name in names if len(name) > EVENT_NAME_MAX]
        if too_long:
            raise forms.ValidationError(
                _("Event names are at most %(max)d characters long.") % {"max": EVENT_NAME_MAX}
            )
        return names

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        red, green = cleaned.get("red_below"), cleaned.get("green_from")
        if red is not None and green is not None and red > green:
            self.add_error(
                "green_from",
                _("Green must start at or above where red ends (%(red)s).")
                % {"red": number_text(red)},
            )
        others = cleaned.get("other_events") or []
        picked = cleaned.get("key_events") or []
        cleaned["events"] = tuple(dict.fromkeys([*picked, *others]))
        self.key_event_warnings = unknown_event_warnings(others, self.known_events)
        return cleaned


def split_events(text: str) -> list[str]:
    names = (name.strip() for name in re.split(r"[,\n]", text or ""))
    return list(dict.fromkeys(name for name in names if name))


@dataclass
class PointRow:
    raw: str = ""
    score: str = ""
    errors: list[str] = field(default_factory=list)


class MeasureForm(forms.Form):
    kind = forms.CharField(max_length=40, widget=forms.HiddenInput)
    enabled = forms.BooleanField(label=gettext_lazy("On this scorecard"), required=False)
    weight = forms.FloatField(
        label=gettext_lazy("Weight"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
        error_messages={"invalid": gettext_lazy("Enter the weight as a number.")},
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"), choices=ScorecardMeasure.Direction.choices
    )
    position = forms.IntegerField(
        label=gettext_lazy("Order"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("Lower first; equal numbers keep their current order."),
        error_messages={"min_value": gettext_lazy("Order from 1 up.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.points: tuple[tuple[float, float], ...] = ()
        self.rows = self._rows()
        self.share: float | None = None

    @property
    def measure(self) -> MeasureType | None:
        return MEASURES.get(str(self["kind"].value() or ""))

    @property
    def label(self) -> str:
        measure = self.measure
        return str(measure.label) if measure else str(self["kind"].value() or "")

    @property
    def raw_name(self) -> str:
        return self.add_prefix("raw")

    @property
    def score_name(self) -> str:
        return self.add_prefix("score")

    def _rows(self) -> list[PointRow]:
        """The rows shown: as submitted, else the saved points, plus one blank row."""
        if self.is_bound:
            raws = self.data.getlist(self.raw_name)
            scores = self.data.getlist(self.score_name)
            rows = [
                PointRow(raw.strip(), score.strip())
                for raw, score in itertools.zip_longest(raws, scores, fillvalue="")
                if raw.strip() or score.strip()
            ]
        else:
            rows = [
                PointRow(number_text(raw), number_text(score))
                for raw, score in self.initial.get("points", ())
            ]
        return [*rows, PointRow()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind", "")
        if not cleaned.get("enabled"):
            return cleaned
        if kind not in MEASURES:
            self.add_error(
                None,
                _("Unknown measure “%(kind)s”: untick it to remove it from the scorecard.")
                % {"kind": kind},
            )
            return cleaned
        weight = cleaned.get("weight")
        if weight is None and "weight" not in self.errors:
            self.add_error("weight", _("Give a weight; 0 keeps the measure without counting it."))
        elif weight is not None and weight < 0:
            self.add_error("weight", _("A weight can't be negative."))
        self.points = self._clean_points(cleaned.get("direction"))
        return cleaned

    def _clean_points(self, direction: str | None) -> tuple[tuple[float, float], ...]:
        points: list[tuple[float, float]] = []
        for row in self.rows[:-1]:
            raw = _number(row.raw)
            score = _number(row.score)
            if raw is None:
                row.errors.append(_("Enter the raw value as a number."))
            if score is None:
                row.errors.append(_("Enter the score as a number."))
            elif not 0 <= score <= 100:
                row.errors.append(
                    _("Scores are between 0 and 100; %(score)s is not.")
                    % {"score": number_text(score)}
                )
            if row.errors or raw is None or score is None:
                continue
            if points:
                problem = _order_problem(direction, (raw, score), points[-1])
                if problem:
                    row.errors.append(problem)
            if not row.errors:
                points.append((raw, score))
        if any(row.errors for row in self.rows):
            self.add_error(None, _("Fix the thresholds marked below."))
        elif len(points) < 2:
            self.add_error(None, _("Give at least two thresholds: raw value and score."))
        return tuple(points)

    def draft(self) -> MeasureDraft:
        return MeasureDraft(
            kind=self.cleaned_data["kind"],
            weight=float(self.cleaned_data["weight"]),
            direction=self.cleaned_data["direction"],
            points=self.points,
        )


def _order_problem(
    direction: str | None, point: tuple[float, float], previous: tuple[float, float]
) -> str:
    """What is wrong with a threshold coming after ``previous``, or ""."""
    (raw, score), (previous_raw, previous_score) = point, previous
    if raw < previous_raw:
        return _("Raw values must go up: %(raw)s comes after %(previous)s.") % {
            "raw": number_text(raw),
            "previous": number_text(previous_raw),
        }
    scores = {"score": number_text(score), "previous": number_text(previous_score)}
    if direction == ScorecardMeasure.Direction.HIGHER_IS_BETTER and score < previous_score:
        return (
            _(
                "Higher is better: the score must not fall as the raw value "
                "rises (%(score)s after %(previous)s)."
            )
            % scores
        )
    if direction == ScorecardMeasure.Direction.LOWER_IS_BETTER and score > previous_score:
        return (
            _(
                "Lower is better: the score must not rise as the raw value "
                "rises (%(score)s after %(previous)s)."
            )
            % scores
        )
    return ""


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


class BaseMeasureFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        enabled = [form for form in self.forms if form.cleaned_data.get("enabled")]
        kinds = [form.cleaned_data["kind"] for form in enabled]
        if len(set(kinds)) != len(kinds):
            raise forms.ValidationError(_("Each measure can be on the scorecard once."))
        if not any(form.cleaned_data["weight"] > 0 for form in enabled):
            raise forms.ValidationError(
                _("Put at least one measure with a weight above 0 on the scorecard.")
            )

    def set_shares(self) -> None:
        """Each enabled measure's share of the total weight, as the editor shows it
        before its script takes over (and without one)."""
        weights = {}
        for form in self.forms:
            enabled = form["enabled"].value()
            weight = _number(str(form["weight"].value() or ""))
            weights[form] = weight if enabled and weight is not None and weight > 0 else 0.0
        total = sum(weights.values())
        for form, weight in weights.items():
            enabled = form["enabled"].value()
            form.share = 100 * weight / total if total and enabled else None


MeasureFormSet = forms.formset_factory(
    MeasureForm, formset=BaseMeasureFormSet, extra=0, max_num=100, absolute_max=100
)


def measure_initial(measures: list[ScorecardMeasure]) -> list[dict[str, Any]]:
    """The scorecard's measures in order, then every registry measure it does not use,
    unticked with the registry's defaults, ready to be added."""
    rows = [
        {
            "kind": m.kind,
            "enabled": True,
            "weight": m.weight,
            "direction": m.direction,
            "position": index,
            "points": [tuple(p) for p in m.points],
        }
        for index, m in enumerate(measures, start=1)
    ]
    used = {m.kind for m in measures}
    for measure in MEASURES.values():
        if measure.key in used:
            continue
        rows.append(
            {
                "kind": measure.key,
                "enabled": False,
                "weight": measure.weight,
                "direction": measure.direction,
                "position": len(rows) + 1,
                "points": list(measure.points),
            }
        )
    return rows


def with_registry_defaults(data: QueryDict, prefix: str) -> QueryDict:
    """The submitted editor with one measure's weight, direction and thresholds put
    back to the registry's defaults ("reset"); everything else as typed."""
    data = data.copy()
    measure = MEASURES.get(data.get(f"{prefix}-kind", ""))
    if not _PREFIX_RE.match(prefix) or measure is None:
        return data
    data[f"{prefix}-weight"] = number_text(measure.weight)
    data[f"{prefix}-direction"] = measure.direction
    data.setlist(f"{prefix}-raw", [number_text(raw) for raw, _score in measure.points])
    data.setlist(f"{prefix}-score", [number_text(score) for _raw, score in measure.points])
    return data


class ScorecardEditor:
    """The scorecard form and its measures, validated and turned into a draft together."""

    def __init__(
        self,
        data: QueryDict | None,
        *,
        scorecard: Scorecard,
        measures: list[ScorecardMeasure],
        known_events: list[str],
    ) -> None:
        unbound = data is None
        self.form = ScorecardForm(
            data,
            known_events=known_events,
            initial=ScorecardForm.initial_for(scorecard, known_events) if unbound else None,
        )
        self.measures = MeasureFormSet(
            data, prefix=MEASURE_PREFIX, initial=measure_initial(measures) if unbound else None
        )
        self.measures.set_shares()

    def is_valid(self) -> bool:
        # Both, always: every error is shown at once.
        return all([self.form.is_valid(), self.measures.is_valid()])

    def draft(self) -> ScorecardDraft:
        enabled = [form for form in self.measures.forms if form.cleaned_data["enabled"]]
        ordered = sorted(
            enumerate(enabled),
            key=lambda item: (item[1].cleaned_data["position"] or len(enabled) + 1, item[0]),
        )
        data = self.form.cleaned_data
        return ScorecardDraft(
            name=data["name"],
            red_below=data["red_below"],
            green_from=data["green_from"],
            key_events=data["events"],
            sentiment_stale_days=data["sentiment_stale_days"],
            measures=tuple(form.draft() for _index, form in ordered),
        )

    @property
    def expected_version(self) -> int:
        return self.form.cleaned_data["version"]


class SegmentScorecardForm(forms.Form):
    segment = forms.ChoiceField(
        label=gettext_lazy("Segment"),
        help_text=gettext_lazy("Segments your accounts have that use the default scorecard."),
        error_messages={
            "invalid_choice": gettext_lazy(
                "%(value)s is not a segment without a scorecard; choose one from the list."
            ),
            "required": gettext_lazy("Choose a segment."),
        },
    )

    def __init__(self, data: QueryDict | None = None, *, segments: list[str]) -> None:
        super().__init__(data)
        self.fields["segment"].choices = [(s, s) for s in segments]


class BackfillForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Days of history"),
        min_value=1,
        max_value=BACKFILL_MAX_DAYS,
        initial=30,
        help_text=gettext_lazy(
            "Recompute the days before today with the saved configuration, without alerts."
        ),
        error_messages={
            "min_value": gettext_lazy("Backfill between 1 and 90 days."),
            "max_value": gettext_lazy("Backfill between 1 and 90 days."),
            "required": gettext_lazy("Give a number of days from 1 to 90."),
        },
    )
