"""The pure comparison behind the scorecard editor's preview: no database."""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthscores.preview import Transition, compare


def _summary(rows: dict[int, tuple[float | None, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "score": [np.nan if s is None else s for s, _band in rows.values()],
            "band": [band for _score, band in rows.values()],
            "missing_weight": 0.0,
        },
        index=pd.Index(list(rows), name="account_id"),
    )


def _names(ids) -> pd.Series:
    return pd.Series({pk: f"Account {pk}" for pk in ids})


def test_no_band_moves_when_only_scores_change():
    before = _summary({1: (80, "green"), 2: (50, "yellow")})
    after = _summary({1: (75, "green"), 2: (55, "yellow")})
    result = compare(before, after, _names([1, 2]))
    assert (result.accounts, result.changed, result.transitions, result.rows) == (2, 0, (), ())
    assert not result.truncated


def test_counts_each_transition_most_frequent_first():
    before = _summary({1: (80, "green"), 2: (72, "green"), 3: (50, "yellow"), 4: (30, "red")})
    after = _summary({1: (60, "yellow"), 2: (65, "yellow"), 3: (35, "red"), 4: (30, "red")})
    result = compare(before, after, _names(range(1, 5)))
    assert result.changed == 3
    assert result.transitions == (
        Transition("green", "yellow", 2),
        Transition("yellow", "red", 1),
    )


def test_lists_biggest_score_changes_first_with_names_and_both_scores():
    before = _summary({1: (71, "green"), 2: (90, "green"), 3: (45, "yellow")})
    after = _summary({1: (69, "yellow"), 2: (30, "red"), 3: (39, "red")})
    result = compare(before, after, _names([1, 2, 3]))
    assert [row.account_id for row in result.rows] == [2, 3, 1]
    first = result.rows[0]
    assert (first.name, first.before_band, first.before_score) == ("Account 2", "green", 90.0)
    assert (first.after_band, first.after_score) == ("red", 30.0)


def test_caps_the_list_but_not_the_counts():
    ids = range(1, 121)
    before = _summary(dict.fromkeys(ids, (80, "green")))
    after = _summary({pk: (80 - pk / 10, "yellow") for pk in ids})
    result = compare(before, after, _names(ids), limit=50)
    assert result.changed == 120
    assert result.transitions == (Transition("green", "yellow", 120),)
    assert len(result.rows) == 50
    assert result.truncated
    assert result.rows[0].account_id == 120  # the biggest drop


def test_moves_to_insufficient_data_have_no_score_and_sort_last():
    before = _summary({1: (80, "green"), 2: (65, "yellow")})
    after = _summary({1: (None, "grey"), 2: (75, "green")})
    result = compare(before, after, _names([1, 2]))
    assert [row.account_id for row in result.rows] == [2, 1]
    assert result.rows[1].after_score is None
    assert result.rows[1].after_band == "grey"


def test_ties_sort_by_name_and_accounts_missing_from_the_draft_are_not_compared():
    before = _summary({1: (80, "green"), 2: (80, "green"), 3: (80, "green")})
    after = _summary({1: (60, "yellow"), 2: (60, "yellow")})
    names = pd.Series({1: "Zeta", 2: "Alpha", 3: "Mid"})
    result = compare(before, after, names)
    assert result.accounts == 2
    assert [row.name for row in result.rows] == ["Alpha", "Zeta"]


def test_no_accounts_compare_to_nothing():
    empty = _summary({})
    result = compare(empty, empty, pd.Series(dtype="object"))
    assert (result.accounts, result.changed, result.rows) == (0, 0, ())
