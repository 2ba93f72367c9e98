"""The pure scoring engine: thresholds, missing data, weights and bands, no database."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from healthscores.scoring import (
    INSUFFICIENT,
    MeasureConfig,
    ScorecardConfig,
    components_by_account,
    score_accounts,
    threshold_scores,
)

RISING = ((0, 0), (0.2, 40), (0.5, 70), (0.8, 100))
FALLING = ((0, 100), (1, 70), (3, 40), (6, 0))


def card(*measures: MeasureConfig, pk: int = 1, red: float = 40, green: float = 70):
    return ScorecardConfig(id=pk, version=3, red_below=red, green_from=green, measures=measures)


def score(raw: dict[str, list], *measures: MeasureConfig, **bands):
    frame = pd.DataFrame(raw, index=range(1, len(next(iter(raw.values()))) + 1), dtype="float64")
    config = card(*measures, **bands)
    return score_accounts(frame, pd.Series(config.id, index=frame.index), {config.id: config})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(-5, 0), (0, 0), (0.1, 20), (0.2, 40), (0.35, 55), (0.8, 100), (12, 100)],
)
def test_thresholds_are_linear_between_points_and_flat_beyond(raw, expected):
    assert threshold_scores(pd.Series([raw]), RISING).iloc[0] == pytest.approx(expected)


def test_lower_is_better_thresholds_fall_with_the_raw_value():
    scores = threshold_scores(pd.Series([0, 1, 2, 3, 10]), FALLING)
    assert scores.tolist() == pytest.approx([100, 70, 55, 40, 0])


def test_equal_thresholds_make_a_step_taking_the_later_score():
    scores = threshold_scores(pd.Series([0.99, 1.0, 1.01]), ((1, 0), (1, 100)))
    assert scores.tolist() == [0, 100, 100]


def test_missing_raw_values_stay_missing():
    assert threshold_scores(pd.Series([np.nan, 0.5]), RISING).isna().tolist() == [True, False]


def test_weights_are_renormalised_over_the_measures_with_data():
    result = score(
        {"a": [0.5, 0.5], "b": [10, np.nan]},
        MeasureConfig("a", 3, ((0, 0), (1, 100))),
        MeasureConfig("b", 1, ((0, 0), (10, 100))),
    )
    first, second = result.summary.loc[1], result.summary.loc[2]
    assert first.score == pytest.approx(0.75 * 50 + 0.25 * 100)
    assert first.missing_weight == 0
    # b is missing for account 2: a carries all the weight, a quarter is missing.
    assert second.score == pytest.approx(50)
    assert second.missing_weight == pytest.approx(0.25)
    components = result.components.set_index(["account_id", "measure"])
    assert components.loc[(2, "a"), "weight"] == pytest.approx(1)
    assert components.loc[(2, "b"), "missing"]
    assert components.loc[(2, "b"), "contribution"] == 0


def test_contributions_add_up_to_the_score():
    result = score(
        {"a": [0.1, 0.9, 0.4], "b": [2, 5, 0], "c": [np.nan, 1, 0.3]},
        MeasureConfig("a", 25, RISING),
        MeasureConfig("b", 10, FALLING),
        MeasureConfig("c", 15, RISING),
    )
    totals = result.components.groupby("account_id")["contribution"].sum()
    assert totals.to_numpy() == pytest.approx(result.summary["score"].to_numpy(), abs=0.06)


@pytest.mark.parametrize(
    ("value", "band"), [(0.39, "red"), (0.40, "yellow"), (0.69, "yellow"), (0.70, "green")]
)
def test_band_edges_red_below_green_from(value, band):
    result = score({"a": [value]}, MeasureConfig("a", 1, ((0, 0), (1, 100))))
    assert result.summary.loc[1, "band"] == band


def test_editable_bands_move_the_edges():
    result = score({"a": [0.5]}, MeasureConfig("a", 1, ((0, 0), (1, 100))), red=60, green=90)
    assert result.summary.loc[1, "band"] == "red"


def test_all_data_missing_gives_no_score_and_insufficient_data():
    result = score({"a": [np.nan]}, MeasureConfig("a", 1, RISING), MeasureConfig("b", 1, RISING))
    assert np.isnan(result.summary.loc[1, "score"])
    assert result.summary.loc[1, "band"] == INSUFFICIENT
    assert result.summary.loc[1, "missing_weight"] == 1


def test_more_than_half_the_weight_missing_is_never_green():
    result = score(
        {"a": [1.0], "b": [np.nan]},
        MeasureConfig("a", 40, RISING),
        MeasureConfig("b", 60, RISING),
    )
    assert result.summary.loc[1, "score"] == 100
    assert result.summary.loc[1, "band"] == INSUFFICIENT


def test_exactly_half_the_weight_missing_still_gets_a_band():
    result = score(
        {"a": [1.0], "b": [np.nan]}, MeasureConfig("a", 1, RISING), MeasureConfig("b", 1, RISING)
    )
    assert result.summary.loc[1, "band"] == "green"


def test_a_single_measure_decides_alone():
    result = score({"a": [0.35]}, MeasureConfig("a", 7, RISING))
    assert result.summary.loc[1, "score"] == pytest.approx(55)
    assert result.summary.loc[1, "band"] == "yellow"


def test_zero_weights_score_nothing():
    result = score({"a": [0.8]}, MeasureConfig("a", 0, RISING))
    assert np.isnan(result.summary.loc[1, "score"])
    assert result.summary.loc[1, "band"] == INSUFFICIENT


def test_a_zero_weight_measure_is_shown_but_does_not_count():
    result = score(
        {"a": [0.8], "b": [0.0]}, MeasureConfig("a", 1, RISING), MeasureConfig("b", 0, RISING)
    )
    assert result.summary.loc[1, "score"] == 100
    b = result.components.set_index("measure").loc["b"]
    assert (b.score, b.weight, b.missing) == (0, 0, False)


def test_an_unknown_column_counts_as_missing():
    result = score({"a": [0.8]}, MeasureConfig("a", 1, RISING), MeasureConfig("zzz", 3, RISING))
    assert result.summary.loc[1, "band"] == INSUFFICIENT


def test_each_account_uses_its_own_scorecard():
    raw = pd.DataFrame({"a": [0.5, 0.5]}, index=[10, 20])
    strict = card(MeasureConfig("a", 1, ((0, 0), (1, 100))), pk=1, red=60, green=90)
    lenient = card(MeasureConfig("a", 1, ((0, 0), (1, 100))), pk=2, red=20, green=40)
    result = score_accounts(raw, pd.Series([1, 2], index=[10, 20]), {1: strict, 2: lenient})
    assert result.summary["band"].tolist() == ["red", "green"]


def test_accounts_of_a_scorecard_without_measures_are_insufficient():
    raw = pd.DataFrame({"a": [0.5]}, index=[10])
    result = score_accounts(raw, pd.Series([1], index=[10]), {1: card(pk=1)})
    assert result.summary.loc[10, "band"] == INSUFFICIENT


def test_components_serialise_for_the_snapshot():
    result = score(
        {"a": [0.35], "b": [np.nan]}, MeasureConfig("a", 1, RISING), MeasureConfig("b", 1, RISING)
    )
    assert components_by_account(result.components) == {
        1: {
            "a": {
                "raw": 0.35,
                "score": 55.0,
                "weight": 1.0,
                "contribution": 55.0,
                "missing": False,
            },
            "b": {"raw": None, "score": None, "weight": 0.0, "contribution": 0.0, "missing": True},
        }
    }
