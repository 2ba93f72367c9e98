"""Why a score changed between two days, exactly: Shapley values over the measures.

The score of a day is a function of that day's raw values and scorecard (``scoring``):
each measure with data maps to 0-100 along its thresholds and the weights of the
measures with data are renormalised. Between two days several things can move at once:
raw values, which measures have data (which re-weights all the others) and the
scorecard itself. The difference of contributions, measure by measure, blames the
re-weighting on measures that did not move; so we attribute the change with the Shapley
value of a game whose players are the measures that changed and, when it was edited,
the scorecard:

* the value of a coalition is the score computed with the coalition's raw values (and
  scorecard) taken from the later day, the others from the earlier day;
* a player's effect is its marginal contribution averaged over every order in which the
  players could have changed.

So the effects add up exactly to the change of the score; a measure whose raw value did
not change has no effect (it is not a player); the re-weighting caused by a measure
gaining or losing data is that measure's effect; and a measure whose raw value got
worse never has a positive effect, since it lowers the score in every coalition. With
at most a dozen players the 2^n coalitions are enumerated exactly, in one numpy pass.
Pure: plain data in, plain data out, no database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthscores.scoring import ScorecardConfig, threshold_scores

#: The key of the scorecard-edit player among the effects.
SCORECARD = "scorecard"
#: More players than this would enumerate over a million coalitions; the measure
#: registry holds far fewer measures than this, so it is a guard, not a limit in use.
MAX_PLAYERS = 16
#: Effects are shown to this many decimals, and apportioned so that they add up to the
#: change shown in the header at this precision.
DECIMALS = 1


@dataclass(frozen=True)
class DayInputs:
    """What the score of one day was computed from."""

    config: ScorecardConfig
    #: Raw value per measure key; None (or an absent key) is no data.
    raw: Mapping[str, float | None]


@dataclass(frozen=True)
class Effect:
    #: A measure key, or SCORECARD.
    key: str
    #: Exact Shapley value, in score points.
    exact: float
    #: Rounded for display; the shown effects add up to the shown change.
    shown: float
    raw_then: float | None = None
    raw_now: float | None = None
    #: True when the measure gained (False: lost) data between the days; None otherwise.
    gained_data: bool | None = None


@dataclass(frozen=True)
class Attribution:
    score_then: float | None
    score_now: float | None
    #: Every player's effect, biggest first (by shown, then exact size, then key).
    effects: list[Effect]


def _value(raw: float | None) -> float:
    return np.nan if raw is None else float(raw)


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a == b)


def _weights_and_scores(
    config: ScorecardConfig, keys: Sequence[str], then: Mapping, now: Mapping
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Configured weight of each key (0 when the scorecard does not weigh it) and its
    0-100 score from the earlier and the later raw value under ``config`` (NaN: no data)."""
    weights = np.zeros(len(keys))
    scores_then = np.full(len(keys), np.nan)
    scores_now = np.full(len(keys), np.nan)
    by_kind = {m.kind: m for m in config.measures}
    for index, key in enumerate(keys):
        measure = by_kind.get(key)
        if measure is None:
            continue
        weights[index] = measure.weight
        pair = pd.Series([_value(then.get(key)), _value(now.get(key))])
        scores_then[index], scores_now[index] = threshold_scores(pair, measure.points).to_numpy()
    return weights, scores_then, scores_now


def _scores(weights: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The score of each row (a coalition): renormalised weighted mean over the measures
    with data, NaN when none has data (rules 2 and 3 of ``scoring``)."""
    present = ~np.isnan(scores)
    used = np.where(present, weights, 0.0)
    total = used.sum(axis=1)
    weighted = np.where(present, scores, 0.0) * used
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, weighted.sum(axis=1) / total, np.nan)


def _apportion(values: Sequence[float], total: float, protected: Sequence[int]) -> list[float]:
    """Round ``values`` to DECIMALS so that they add up to ``total`` rounded the same way.

    Each value goes to its nearest step; the steps still missing (or too many) go to
    the values whose rounding lost (or gained) most. A value in ``protected`` (a
    negative effect that must stay so, or a positive one) only moves in the direction
    that keeps its sign, unless nothing else can take the step.
    """
    scale = 10**DECIMALS
    units = np.asarray(values, dtype="float64") * scale
    rounded = np.round(units)
    missing = round(round(total * scale) - float(rounded.sum()))
    signs = np.sign(units)
    for _step in range(abs(missing)):
        step = 1 if missing > 0 else -1
        lost = (units - rounded) * step
        keeps_sign = np.array(
            [i not in protected or signs[i] * (rounded[i] + step) >= 0 for i in range(len(units))]
        )
        candidates = np.flatnonzero(keeps_sign) if keeps_sign.any() else np.arange(len(units))
        if not len(candidates):
            break
        chosen = candidates[np.argmax(lost[candidates])]
        rounded[chosen] += step
    return [float(u) / scale for u in rounded]


def attribute(then: DayInputs, now: DayInputs, *, shown_change: float | None = None) -> Attribution:
    """Each player's exact share of the score change from ``then`` to ``now``.

    ``shown_change`` is the change the page shows beside it (the stored scores, rounded
    to a tenth, differ from the exact ones by a few hundredths); the rounded effects are
    made to add up to it. Without it they add up to the exact change.
    """
    keys = sorted({m.kind for c in (then.config, now.config) for m in c.measures})
    edited = then.config.measures != now.config.measures
    movers = [k for k in keys if not _same(then.raw.get(k), now.raw.get(k))]
    players = movers + ([SCORECARD] if edited else [])
    if len(players) > MAX_PLAYERS:
        raise ValueError(f"{len(players)} players: more than {MAX_PLAYERS} to attribute exactly")

    configs = [_weights_and_scores(c, keys, then.raw, now.raw) for c in (then.config, now.config)]
    n = len(players)
    masks = np.arange(2**n, dtype="int64")
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)  # coalition x player
    # Which measures take the later raw value, and whether the later scorecard applies.
    later = np.zeros((len(masks), len(keys)), dtype=bool)
    for player, key in enumerate(movers):
        later[:, keys.index(key)] = bits[:, player]
    later_config = bits[:, n - 1] if edited else np.zeros(len(masks), dtype=bool)
    weights = np.where(later_config[:, None], configs[1][0], configs[0][0])
    scores_then = np.where(later_config[:, None], configs[1][1], configs[0][1])
    scores_now = np.where(later_config[:, None], configs[1][2], configs[0][2])
    scores = _scores(weights, np.where(later, scores_now, scores_then))
    score_then, score_now = scores[0], scores[-1]
    # A coalition where no measure has data has no score; it counts as 0, which keeps
    # the effects adding up to the change whenever both days have a score.
    values = np.nan_to_num(scores, nan=0.0)

    sizes = bits.sum(axis=1)
    coefficient = np.array(
        [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
    )
    exact = []
    for player in range(n):
        without = masks[~bits[:, player]]
        gain = values[without | (1 << player)] - values[without]
        exact.append(float((coefficient[sizes[without]] * gain).sum()))

    change = float(values[-1] - values[0]) if shown_change is None else shown_change
    protected = [
        i for i, key in enumerate(players) if key != SCORECARD and _kept_data(then, now, key)
    ]
    shown = _apportion(exact, change, protected)
    effects = [
        Effect(
            key=key,
            exact=exact[i],
            shown=shown[i],
            raw_then=then.raw.get(key) if key != SCORECARD else None,
            raw_now=now.raw.get(key) if key != SCORECARD else None,
            gained_data=None
            if key == SCORECARD or _kept_data(then, now, key)
            else now.raw.get(key) is not None,
        )
        for i, key in enumerate(players)
    ]
    effects.sort(key=lambda e: (-abs(e.shown), -abs(e.exact), e.key))
    return Attribution(
        score_then=None if np.isnan(score_then) else float(score_then),
        score_now=float(score_now) if not np.isnan(score_now) else None,
        effects=effects,
    )


def _kept_data(then: DayInputs, now: DayInputs, key: str) -> bool:
    """The measure had data on both days (so its effect has the sign of its change)."""
    return then.raw.get(key) is not None and now.raw.get(key) is not None
