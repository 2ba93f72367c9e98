"""Why a score changed between two snapshots of an account: the rows the page lists.

The attribution itself is pure (``healthscores.attribution``); this module gives it what
each day's score was computed from (the snapshot's raw values and the scorecard version
it names) and turns its effects into rows people read. The configurations of every
snapshot compared are read in one query (two when a version was never recorded), so the
page's query count does not grow with the number of comparisons.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from healthscores import attribution, explain
from healthscores.attribution import SCORECARD, DayInputs
from healthscores.measures import EVIDENCE, MEASURES, measure_label
from healthscores.models import Band, HealthSnapshot, ScorecardMeasure, ScorecardVersion
from healthscores.scoring import MeasureConfig, ScorecardConfig

ConfigKey = tuple[int, int]


@dataclass(frozen=True)
class EffectRow:
    key: str
    label: str
    change: float
    raw_then: str
    raw_now: str
    #: For a measure that gained or lost data: how it now counts, or counted before.
    note: str
    #: HTML id of the data behind it on the account page; empty: nothing to link.
    anchor: str
    evidence: str

    @property
    def change_display(self) -> str:
        return explain.signed(self.change)

    @property
    def direction(self) -> str:
        return "up" if self.change > 0 else "down" if self.change < 0 else "flat"


@dataclass(frozen=True)
class WhyChanged:
    then_day: date
    now_day: date
    #: False when either day has no snapshot to compare.
    found: bool
    score_then: float | None = None
    score_now: float | None = None
    band_then: str = ""
    band_now: str = ""
    rows: tuple[EffectRow, ...] = ()

    @property
    def change(self) -> float | None:
        if self.score_then is None or self.score_now is None:
            return None
        return round(self.score_now - self.score_then, attribution.DECIMALS)

    @property
    def change_display(self) -> str:
        return "" if self.change is None else explain.signed(self.change)

    @property
    def band_then_label(self) -> str:
        return str(dict(Band.choices).get(self.band_then, ""))

    @property
    def band_now_label(self) -> str:
        return str(dict(Band.choices).get(self.band_now, ""))


def _config_of(scorecard_id: int, version: int, data: Mapping[str, Any]) -> ScorecardConfig:
    return ScorecardConfig(
        id=scorecard_id,
        version=version,
        red_below=float(data.get("red_below", 0)),
        green_from=float(data.get("green_from", 0)),
        measures=tuple(
            MeasureConfig(
                kind=m["kind"],
                weight=float(m["weight"]),
                points=tuple((float(x), float(y)) for x, y in m["points"]),
            )
            for m in data.get("measures", ())
            if m["kind"] in MEASURES
        ),
    )


def snapshot_configs(snapshots: Iterable[HealthSnapshot]) -> dict[ConfigKey, ScorecardConfig]:
    """The scorecard configuration each snapshot was computed with, by (scorecard, version).

    A scorecard whose version was never recorded (one recreated after a database flush)
    is read from its measures when the snapshot names its current version.
    """
    wanted = {(s.scorecard_id, s.scorecard_version): s for s in snapshots}
    if not wanted:
        return {}
    match = Q()
    for scorecard_id, version in wanted:
        match |= Q(scorecard_id=scorecard_id, version=version)
    configs = {
        (v.scorecard_id, v.version): _config_of(v.scorecard_id, v.version, v.config)
        for v in ScorecardVersion.objects.filter(match)
    }
    current = {
        key: snapshot.scorecard_id
        for key, snapshot in wanted.items()
        if key not in configs and snapshot.scorecard.version == key[1]
    }
    if current:
        measures: dict[int, list[dict[str, Any]]] = {}
        for m in ScorecardMeasure.objects.filter(scorecard_id__in=current.values()):
            measures.setdefault(m.scorecard_id, []).append(
                {"kind": m.kind, "weight": m.weight, "points": m.points}
            )
        for key, scorecard_id in current.items():
            configs[key] = _config_of(
                scorecard_id, key[1], {"measures": measures.get(scorecard_id)}
            )
    return configs


def _inputs(snapshot: HealthSnapshot, config: ScorecardConfig) -> DayInputs:
    raw = {
        key: None if part.get("missing") else part.get("raw")
        for key, part in snapshot.components.items()
    }
    return DayInputs(config=config, raw=raw)


def _note(effect: attribution.Effect, then: HealthSnapshot, now: HealthSnapshot) -> str:
    if effect.gained_data is None:
        return ""
    part = (now if effect.gained_data else then).components.get(effect.key) or {}
    values = {
        "score": explain.format_raw("count", part.get("score") or 0),
        "weight": explain.format_raw("count", (part.get("weight") or 0) * 100),
    }
    if effect.gained_data:
        return _("now counts: %(score)s/100 at %(weight)s%% of the weight") % values
    return _("no longer counts: it was %(score)s/100 at %(weight)s%% of the weight") % values


def _row(effect: attribution.Effect, then: HealthSnapshot, now: HealthSnapshot) -> EffectRow:
    if effect.key == SCORECARD:
        return EffectRow(
            key=SCORECARD,
            label=_("Scorecard"),
            change=effect.shown,
            raw_then=_("%(name)s v%(version)s")
            % {"name": then.scorecard.name, "version": then.scorecard_version},
            raw_now=_("%(name)s v%(version)s")
            % {"name": now.scorecard.name, "version": now.scorecard_version},
            note=_("weights or thresholds edited"),
            anchor="",
            evidence="",
        )
    measure = MEASURES.get(effect.key)
    unit = measure.unit if measure else ""
    evidence = EVIDENCE.get(measure.evidence) if measure else None
    return EffectRow(
        key=effect.key,
        label=measure_label(effect.key),
        change=effect.shown,
        raw_then=explain.format_raw(unit, effect.raw_then),
        raw_now=explain.format_raw(unit, effect.raw_now),
        note=_note(effect, then, now),
        anchor=evidence.anchor if evidence else "",
        evidence=str(evidence.label) if evidence else "",
    )


def why_changed(
    *,
    then_day: date,
    now_day: date,
    snapshots: Mapping[date, HealthSnapshot],
    configs: Mapping[ConfigKey, ScorecardConfig],
) -> WhyChanged:
    """Every cause of the score change from ``then_day`` to ``now_day``, biggest first.

    The rows add up to the change of the stored scores shown beside them, to the tenth.
    """
    then, now = snapshots.get(then_day), snapshots.get(now_day)
    if then is None or now is None:
        return WhyChanged(then_day=then_day, now_day=now_day, found=False)
    result = WhyChanged(
        then_day=then_day,
        now_day=now_day,
        found=True,
        score_then=then.score,
        score_now=now.score,
        band_then=then.effective_band,
        band_now=now.effective_band,
    )
    config_then = configs.get((then.scorecard_id, then.scorecard_version))
    config_now = configs.get((now.scorecard_id, now.scorecard_version))
    if result.change is None or config_then is None or config_now is None:
        return result
    attributed = attribution.attribute(
        _inputs(then, config_then), _inputs(now, config_now), shown_change=result.change
    )
    rows = tuple(
        _row(effect, then, now)
        for effect in attributed.effects
        if effect.shown or effect.key == SCORECARD
    )
    return replace(result, rows=rows)
