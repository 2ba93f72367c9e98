"""Exact attribution of a score change: pure, no database.

The property test draws thousands of random pairs of days (measures gaining and losing
data, raw values moving either way, scorecard edits of weights, thresholds and measures)
from a seeded generator, so a failure names the case that broke and replays the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from healthscores.attribution import SCORECARD, DayInputs, attribute
from healthscores.measures import MEASURES
from healthscores.scoring import MeasureConfig, ScorecardConfig, score_accounts

KINDS = list(MEASURES)


def config(version: int = 1, **weights: float) -> ScorecardConfig:
    return ScorecardConfig(
        id=1,
        version=version,
        red_below=40,
        green_from=70,
        measures=tuple(
            MeasureConfig(kind=kind, weight=weight, points=MEASURES[kind].points)
            for kind, weight in weights.items()
        ),
    )


def engine_score(day: DayInputs) -> float:
    """The engine's own score for these inputs: the attribution must agree with it."""
    raw = pd.DataFrame({k: [np.nan if v is None else v] for k, v in day.raw.items()}, index=[7])
    scored = score_accounts(raw, pd.Series([1], index=[7]), {1: day.config})
    return float(scored.components["contribution"].sum())


def test_a_csm_setting_red_sentiment_is_the_only_cause_and_carries_the_reweighting():
    weights = {"active_users": 25, "urgent_tickets": 10, "sentiment": 10}
    then = DayInputs(config(**weights), {"active_users": 0.57, "urgent_tickets": 0})
    now = DayInputs(config(**weights), {"active_users": 0.57, "urgent_tickets": 0, "sentiment": 0})
    result = attribute(then, now)
    [effect] = result.effects
    assert effect.key == "sentiment"
    assert effect.gained_data is True
    assert effect.exact == pytest.approx(engine_score(now) - engine_score(then))
    assert effect.exact < 0


def test_a_scorecard_edit_is_named_with_its_share():
    raw = {"active_users": 0.5, "nps": 9.0}
    then = DayInputs(config(1, active_users=25, nps=10), raw)
    now = DayInputs(config(2, active_users=10, nps=25), raw)
    [effect] = attribute(then, now).effects
    assert effect.key == SCORECARD
    assert effect.exact == pytest.approx(engine_score(now) - engine_score(then))


def test_unchanged_measures_have_no_line_and_effects_are_biggest_first():
    weights = {"active_users": 25, "usage_trend": 20, "nps": 10}
    then = DayInputs(config(**weights), {"active_users": 0.8, "usage_trend": 0, "nps": 8})
    now = DayInputs(config(**weights), {"active_users": 0.2, "usage_trend": -10, "nps": 8})
    effects = attribute(then, now).effects
    assert [e.key for e in effects] == ["active_users", "usage_trend"]
    assert all(e.shown < 0 for e in effects)


def test_shown_effects_add_up_to_the_change_the_page_shows():
    weights = {"active_users": 25, "usage_trend": 20, "nps": 10}
    then = DayInputs(config(**weights), {"active_users": 0.61, "usage_trend": 3.3, "nps": 7.7})
    now = DayInputs(config(**weights), {"active_users": 0.43, "usage_trend": -12.1, "nps": 6.1})
    exact = engine_score(now) - engine_score(then)
    header = round(round(engine_score(now), 1) - round(engine_score(then), 1), 1)
    result = attribute(then, now, shown_change=header)
    assert sum(e.exact for e in result.effects) == pytest.approx(exact)
    assert round(sum(e.shown for e in result.effects), 1) == header


def test_nothing_changed_means_no_effects():
    day = DayInputs(config(active_users=1), {"active_users": 0.3})
    assert attribute(day, day).effects == []


def _random_config(rng: np.random.Generator, version: int) -> ScorecardConfig:
    kinds = rng.choice(KINDS, size=int(rng.integers(1, len(KINDS) + 1)), replace=False)
    measures = []
    for kind in kinds:
        points = MEASURES[kind].points
        if rng.random() < 0.3:  # an edited threshold: same direction, scores shifted
            shift = float(rng.uniform(-20, 20))
            points = tuple((x, float(np.clip(y + shift, 0, 100))) for x, y in points)
        weight = float(rng.choice([0.0, 1.0, 5.0, 10.0, 25.0, rng.uniform(0, 30)]))
        measures.append(MeasureConfig(kind=str(kind), weight=weight, points=points))
    return ScorecardConfig(
        id=1, version=version, red_below=40, green_from=70, measures=tuple(measures)
    )


def _random_raw(rng: np.random.Generator) -> dict[str, float | None]:
    raw: dict[str, float | None] = {}
    for kind in KINDS:
        xs = [x for x, _y in MEASURES[kind].points]
        if rng.random() < 0.25:
            raw[kind] = None
        else:
            raw[kind] = float(np.round(rng.uniform(xs[0] - 1, xs[-1] + 1), 4))
    return raw


def _next_raw(rng: np.random.Generator, raw: dict[str, float | None]) -> dict[str, float | None]:
    """The later day: most values stay, some move, some gain or lose data."""
    later = dict(raw)
    fresh = _random_raw(rng)
    for kind in KINDS:
        if rng.random() < 0.4:
            later[kind] = fresh[kind]
    return later


def _worse(kind: str, before: float, after: float) -> bool:
    higher_is_better = MEASURES[kind].points[0][1] < MEASURES[kind].points[-1][1]
    return after < before if higher_is_better else after > before


def test_effects_add_up_exactly_and_keep_their_signs_on_thousands_of_random_cases():
    rng = np.random.default_rng(13)
    for case in range(2000):
        config_then = _random_config(rng, 1)
        config_now = _random_config(rng, 2) if rng.random() < 0.3 else config_then
        then = DayInputs(config_then, _random_raw(rng))
        now = DayInputs(config_now, _next_raw(rng, then.raw))
        score_then, score_now = engine_score(then), engine_score(now)
        header = round(round(score_now, 1) - round(score_then, 1), 1)
        result = attribute(then, now, shown_change=header)
        exact = sum(e.exact for e in result.effects)
        if result.score_then is not None and result.score_now is not None:
            assert exact == pytest.approx(score_now - score_then, abs=1e-9), case
            assert (
                round(sum(e.shown for e in result.effects), 1) == pytest.approx(header, abs=1e-9)
                or not result.effects
            ), case
            assert abs(sum(e.shown for e in result.effects) - exact) <= 0.1 + 1e-9, case
        keys = {e.key for e in result.effects}
        for kind in KINDS:
            if then.raw[kind] == now.raw[kind]:
                assert kind not in keys, case
        for effect in result.effects:
            if effect.key == SCORECARD or effect.gained_data is not None:
                continue
            if _worse(effect.key, effect.raw_then, effect.raw_now):
                assert effect.exact <= 1e-9, case
                assert effect.shown <= 0, case
            else:
                assert effect.exact >= -1e-9, case
                assert effect.shown >= 0, case
