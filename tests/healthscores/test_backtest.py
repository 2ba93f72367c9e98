"""The backtest's arithmetic, without a database: confusion matrix, precision, recall,
lift and ROC AUC checked against hand counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from healthscores.backtest import backtest, empty_rows, replay, roc_auc
from healthscores.scoring import MeasureConfig, ScorecardConfig
from healthscores.suggest import suggest_weights


def _rows(*specs: tuple[str, float, str]) -> pd.DataFrame:
    """(band, score, outcome) per renewal; measure "usage" echoes the score, "noise"
    is the same for everyone."""
    return pd.DataFrame(
        [
            {
                "account_id": n,
                "account_name": f"A{n}",
                "renewed_on": pd.Timestamp("2026-01-01") + pd.Timedelta(days=n),
                "outcome": outcome,
                "band": band,
                "score": score,
                "m:usage": score,
                "m:noise": 50.0,
            }
            for n, (band, score, outcome) in enumerate(specs)
        ]
    )


ROWS = _rows(
    ("red", 20, "churned"),
    ("red", 30, "churned"),
    ("red", 35, "renewed"),
    ("yellow", 50, "churned"),
    ("yellow", 55, "contracted"),
    ("green", 80, "churned"),
    ("green", 85, "renewed"),
    ("green", 90, "expanded"),
)


def test_matrix_precision_recall_and_lift_match_hand_counts():
    report = backtest(ROWS)
    assert report.outcomes == 8
    assert report.churned == 4
    assert report.matrix["red"] == {"renewed": 1, "expanded": 0, "contracted": 0, "churned": 2}
    assert report.matrix["grey"] == {"renewed": 0, "expanded": 0, "contracted": 0, "churned": 0}
    assert report.precision_red == pytest.approx(2 / 3)
    assert report.recall_red == pytest.approx(2 / 4)
    assert report.precision_red_yellow == pytest.approx(3 / 5)
    assert report.recall_red_yellow == pytest.approx(3 / 4)
    assert report.churn_rate == pytest.approx(
        {"red": 2 / 3, "yellow": 1 / 2, "green": 1 / 3, "grey": None}
    )
    assert report.lift_red == pytest.approx((2 / 3) / (4 / 8))


def test_auc_counts_pairs_where_the_churned_account_scored_lower():
    # Churned 20, 30, 50, 80 against stayed 35, 55, 85, 90: 4 + 4 + 3 + 2 of the 16
    # pairs have the churned account lower.
    churned, stayed = [20, 30, 50, 80], [35, 55, 85, 90]
    lower = sum(c < s for c in churned for s in stayed)
    assert lower == 13
    report = backtest(ROWS)
    assert report.auc == pytest.approx(lower / 16)
    by_key = {m.key: m for m in report.measures}
    assert by_key["usage"].auc == pytest.approx(lower / 16)
    assert by_key["noise"].auc == pytest.approx(0.5)
    assert [m.key for m in report.measures] == ["usage", "noise"]
    assert by_key["usage"].churned_mean == pytest.approx(np.mean(churned))


def test_misses_are_green_churners_and_red_renewers():
    report = backtest(ROWS)
    assert report.missed_churn["score"].tolist() == [80]
    assert report.saved_red["score"].tolist() == [35]


def test_no_churn_or_no_rows_gives_no_ratios_instead_of_dividing_by_zero():
    report = backtest(_rows(("red", 20, "renewed"), ("green", 90, "renewed")))
    assert (report.recall_red, report.auc, report.lift_red) == (None, None, None)
    assert report.precision_red == 0
    empty = backtest(empty_rows())
    assert (empty.outcomes, empty.precision_red, empty.overall_churn_rate) == (0, None, None)


def test_roc_auc_counts_ties_as_half_and_skips_unknown_scores():
    risk = pd.Series([1.0, 1.0, np.nan, 0.0])
    positive = pd.Series([True, False, True, False])
    assert roc_auc(risk, positive) == pytest.approx((1 + 0.5) / 2)


def _cohort(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` renewals: "usage" predicts churn, "noise" does not, and the stored score
    gives them equal weight."""
    rng = np.random.default_rng(seed)
    usage = rng.uniform(0, 100, n)
    noise = rng.uniform(0, 100, n)
    churn = rng.uniform(0, 1, n) < 1 / (1 + np.exp((usage - 35) / 8))
    return pd.DataFrame(
        {
            "account_id": np.arange(n),
            "account_name": "",
            "renewed_on": pd.Timestamp("2026-01-01"),
            "outcome": np.where(churn, "churned", "renewed"),
            "band": "yellow",
            "score": (usage + noise) / 2,
            "m:usage": usage,
            "m:noise": noise,
        }
    )


def test_suggested_weights_favour_the_measure_that_predicts_and_beat_the_score():
    suggestion = suggest_weights(_cohort(600))
    assert not suggestion.too_small
    assert suggestion.churned >= 20
    assert list(suggestion.weights) == ["usage", "noise"]
    assert suggestion.weights["usage"] > 85
    assert sum(suggestion.weights.values()) == pytest.approx(100, abs=0.2)
    assert suggestion.auc_suggested > suggestion.auc_current + 0.05


def test_fewer_than_twenty_churned_accounts_is_too_small_a_sample():
    rows = _cohort(600)
    churned = rows.index[rows["outcome"] == "churned"]
    rows.loc[churned[19:], "outcome"] = "renewed"
    suggestion = suggest_weights(rows)
    assert (suggestion.too_small, suggestion.churned, suggestion.weights) == (True, 19, {})


def test_replay_scores_the_stored_raw_values_with_the_draft_of_its_scorecard_only():
    rows = _rows(("green", 80, "churned"), ("green", 80, "churned"), ("green", 90, "renewed"))
    rows["scorecard_id"] = [1, 1, 2]
    rows["r:usage"] = [0.2, 0.9, 0.2]
    draft = ScorecardConfig(
        id=1,
        version=2,
        red_below=40,
        green_from=70,
        measures=(MeasureConfig(kind="usage", weight=1.0, points=((0, 0), (1, 100))),),
    )
    replayed = replay(rows, draft)
    assert replayed["score"].tolist() == [20, 90, 90]
    assert replayed["band"].tolist() == ["red", "green", "green"]
    assert replayed["m:usage"].tolist() == [20, 90, 90]
    assert rows["band"].tolist() == ["green", "green", "green"], "the input is left as it was"
    assert backtest(replayed).recall_red == pytest.approx(0.5)


def test_replay_writes_fractional_scores_over_whole_stored_ones():
    """Scores read back from the database as whole numbers arrive as integers; the
    draft's scores are fractional and must not be refused by that dtype."""
    rows = _rows(("green", 80, "churned"), ("green", 90, "renewed"))
    rows["score"] = rows["score"].astype("int64")
    rows["scorecard_id"] = 1
    rows["r:usage"] = [0.333, 0.5]
    draft = ScorecardConfig(
        id=1,
        version=2,
        red_below=40,
        green_from=70,
        measures=(MeasureConfig(kind="usage", weight=1.0, points=((0, 0), (1, 100))),),
    )
    assert replay(rows, draft)["score"].tolist() == pytest.approx([33.3, 50.0])
