"""The scoring engine: raw measure values in, scores, bands and contributions out.

Pure and vectorised: plain dataclasses and pandas, no ORM and no loop over accounts.
The only Python loops run over the configuration (scorecards x measures, a few dozen
pairs), each handling every account of that scorecard at once.

The rules, in the order they apply:

1. Each measure's raw value maps to 0-100 through its thresholds: [raw, score] points,
   linear in between, flat beyond the first and last point. Two points with the same raw
   value make a step; a value exactly on the step takes the later point's score.
2. A measure without data (NaN) is left out and the remaining weights are renormalised,
   so its share goes to the measures that have data.
3. The score is the sum of the contributions (score x renormalised weight).
4. The band is red below ``red_below``, green from ``green_from``, yellow between; but
   when more than half of the scorecard's weight is missing (or there is no weight at
   all) the band is "insufficient data", whatever the score says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

RED = "red"
YELLOW = "yellow"
GREEN = "green"
INSUFFICIENT = "grey"
#: Missing more than this share of the weight makes the band "insufficient data".
MAX_MISSING_WEIGHT = 0.5
COMPONENT_COLUMNS = ["account_id", "measure", "raw", "score", "weight", "contribution", "missing"]


@dataclass(frozen=True)
class MeasureConfig:
    kind: str
    weight: float
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class ScorecardConfig:
    id: int
    version: int
    red_below: float
    green_from: float
    measures: tuple[MeasureConfig, ...]
    key_events: tuple[str, ...] = ()
    sentiment_stale_days: int = 45


@dataclass(frozen=True)
class Scored:
    #: One row per account and measure of its scorecard (COMPONENT_COLUMNS); ``weight``
    #: is the renormalised share (0-1) and 0 for missing measures.
    components: pd.DataFrame
    #: Indexed by account ID: score (NaN when nothing could be scored), band,
    #: missing_weight (share 0-1 of the configured weight without data).
    summary: pd.DataFrame


def threshold_scores(raw: pd.Series, points: tuple[tuple[float, float], ...]) -> pd.Series:
    """Map raw values to 0-100 along the thresholds; NaN stays NaN."""
    xs = np.array([p[0] for p in points], dtype="float64")
    ys = np.array([p[1] for p in points], dtype="float64")
    values = raw.to_numpy(dtype="float64")
    # np.interp is undefined on repeated xs; searchsorted(side="right") defines a step:
    # a value on a repeated threshold takes the last of its points.
    index = np.clip(np.searchsorted(xs, values, side="right"), 1, len(xs) - 1)
    x0, x1, y0, y1 = xs[index - 1], xs[index], ys[index - 1], ys[index]
    span = x1 - x0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(span > 0, (values - x0) / span, 1.0)
    scores = y0 + np.clip(t, 0, 1) * (y1 - y0)
    scores = np.where(values < xs[0], ys[0], scores)
    scores = np.where(values >= xs[-1], ys[-1], scores)
    return pd.Series(np.where(np.isnan(values), np.nan, scores), index=raw.index)


def band_of(
    score: pd.Series, missing_weight: pd.Series, red_below: pd.Series, green_from: pd.Series
) -> pd.Series:
    """Vectorised band rule (rule 4 of the module docstring)."""
    insufficient = score.isna() | (missing_weight > MAX_MISSING_WEIGHT)
    bands = np.select(
        [insufficient, score < red_below, score < green_from],
        [INSUFFICIENT, RED, YELLOW],
        default=GREEN,
    )
    return pd.Series(bands, index=score.index, dtype="object")


def score_accounts(
    raw: pd.DataFrame, scorecard_ids: pd.Series, scorecards: Mapping[int, ScorecardConfig]
) -> Scored:
    """Score every account of ``scorecard_ids`` (account ID -> scorecard ID).

    ``raw`` is indexed by account ID with one column per measure kind; absent columns
    and absent accounts are missing data.
    """
    pieces = []
    for scorecard_id, config in scorecards.items():
        accounts = scorecard_ids.index[scorecard_ids.to_numpy() == scorecard_id]
        if not len(accounts):
            continue
        for measure in config.measures:
            if measure.kind in raw.columns:
                values = raw[measure.kind].reindex(accounts)
            else:
                values = pd.Series(np.nan, index=accounts, dtype="float64")
            pieces.append(
                pd.DataFrame(
                    {
                        "account_id": accounts,
                        "measure": measure.kind,
                        "raw": values.to_numpy(dtype="float64"),
                        "score": threshold_scores(values, measure.points).to_numpy(),
                        "configured": float(measure.weight),
                    }
                )
            )
    if not pieces:
        empty = pd.DataFrame(columns=COMPONENT_COLUMNS)
        summary = pd.DataFrame(
            {"score": np.nan, "band": INSUFFICIENT, "missing_weight": 1.0},
            index=scorecard_ids.index,
        )
        return Scored(components=empty, summary=summary)

    long = pd.concat(pieces, ignore_index=True)
    long["missing"] = long["raw"].isna()
    present = long["configured"].where(~long["missing"], 0.0)
    by_account = long.groupby("account_id", sort=False)
    present_total = present.groupby(long["account_id"]).transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        long["weight"] = (present / present_total).where(present_total > 0, 0.0)
    long["contribution"] = (long["score"].fillna(0) * long["weight"]).where(~long["missing"], 0.0)

    totals = pd.DataFrame(
        {
            "configured": by_account["configured"].sum(),
            "present": present.groupby(long["account_id"]).sum(),
            "score": by_account["contribution"].sum(),
        }
    ).reindex(scorecard_ids.index)
    totals["present"] = totals["present"].fillna(0)
    totals["configured"] = totals["configured"].fillna(0)
    score = totals["score"].where(totals["present"] > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        missing_weight = (1 - totals["present"] / totals["configured"]).where(
            totals["configured"] > 0, 1.0
        )
    thresholds = pd.DataFrame(
        {pk: (c.red_below, c.green_from) for pk, c in scorecards.items()},
        index=["red_below", "green_from"],
    ).T
    red_below = scorecard_ids.map(thresholds["red_below"]).astype("float64")
    green_from = scorecard_ids.map(thresholds["green_from"]).astype("float64")
    summary = pd.DataFrame(
        {
            "score": score.round(1),
            "band": band_of(score.round(1), missing_weight, red_below, green_from),
            "missing_weight": missing_weight.round(4),
        }
    )
    return Scored(components=long[COMPONENT_COLUMNS], summary=summary)


def _json_numbers(values: pd.Series) -> list[str]:
    """Floats as JSON numbers, exactly as json.dumps writes them (one C call for the
    whole column); NaN and infinities, which JSON cannot hold, as null."""
    numbers = values.to_numpy(dtype="float64")
    boxed = np.where(np.isfinite(numbers), numbers, None).tolist()
    return json.dumps(boxed)[1:-1].split(", ") if boxed else []


def components_json(components: pd.DataFrame) -> pd.Series:
    """The snapshot's components per account as JSON text, indexed by account ID.

    Serialisation of the result: the numbers are formatted a column at a time and each
    account's text is joined once, because one dict and one json.dumps per account cost
    more than the scoring itself. Values are rounded for display and stable comparison.
    """
    if components.empty:
        return pd.Series(dtype="object")
    # Rows of an account next to each other, in measure order.
    order = np.argsort(components["account_id"].to_numpy(), kind="stable")
    rows = components.iloc[order]
    measures = rows["measure"].astype(str)
    keys = measures.map({m: json.dumps(m) for m in measures.unique()}).tolist()
    pieces = [
        f'{key}: {{"raw": {raw}, "score": {score}, "weight": {weight}, '
        f'"contribution": {contribution}, "missing": {missing}}}'
        for key, raw, score, weight, contribution, missing in zip(
            keys,
            _json_numbers(rows["raw"].round(4)),
            _json_numbers(rows["score"].round(1)),
            _json_numbers(rows["weight"].round(4)),
            _json_numbers(rows["contribution"].round(2)),
            np.where(rows["missing"].to_numpy(dtype=bool), "true", "false").tolist(),
            strict=True,
        )
    ]
    accounts = rows["account_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, accounts[1:] != accounts[:-1]])
    ends = np.r_[starts[1:], len(pieces)]
    texts = ["{" + ", ".join(pieces[a:b]) + "}" for a, b in zip(starts, ends, strict=True)]
    return pd.Series(texts, index=accounts[starts], dtype="object")


def components_by_account(components: pd.DataFrame) -> dict[int, dict[str, dict]]:
    """The snapshot's components per account as dicts (what the JSON text reads back as)."""
    return {int(pk): json.loads(text) for pk, text in components_json(components).items()}
