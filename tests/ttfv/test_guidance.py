"""The guidance math (``ttfv.guidance``): rates, decided windows and lift from counts,
without a database."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from ttfv import guidance

TODAY = date(2026, 6, 15)


def frame(*rows: tuple) -> pd.DataFrame:
    """Rows of (milestone_id, group, days before today of day 0, n, reached_7, reached_14)."""
    return pd.DataFrame.from_records(
        [
            (
                milestone,
                f"Milestone {milestone}",
                "Default",
                milestone,
                group,
                TODAY - timedelta(days=ago),
                n,
                r7,
                r14,
            )
            for milestone, group, ago, n, r7, r14 in rows
        ],
        columns=guidance.INPUT_COLUMNS,
    )


def test_rates_and_lift_of_closed_windows():
    rows = guidance.guidance_rows(
        frame(
            (1, "nudged", 30, 4, 2, 3),
            (1, "comparison", 32, 10, 2, 4),
        ),
        today=TODAY,
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["milestone"] == "Milestone 1"
    assert (row["nudged_n"], row["nudged_pct_7"], row["nudged_pct_14"]) == (4, 50.0, 75.0)
    assert (row["comparison_n"], row["comparison_pct_7"], row["comparison_pct_14"]) == (
        10,
        20.0,
        40.0,
    )
    assert row["lift_7"] == 30.0
    assert row["lift_14"] == 35.0


def test_weeks_and_days_add_up_per_milestone():
    rows = guidance.guidance_rows(
        frame(
            (1, "nudged", 30, 1, 1, 1),
            (1, "nudged", 40, 1, 0, 0),
            (1, "comparison", 31, 3, 0, 1),
            (1, "comparison", 45, 3, 0, 2),
        ),
        today=TODAY,
    )
    row = rows[0]
    assert (row["nudged_n"], row["nudged_reached_7"], row["nudged_decided_7"]) == (2, 1, 2)
    assert row["comparison_n"] == 6
    assert (row["comparison_decided_14"], row["comparison_reached_14"]) == (6, 3)
    # Only the week of the nudge 30 days ago has comparison accounts (the one 31 days
    # ago; 45 days ago is an earlier week), so its rate, 1 of 3, is the comparison's.
    assert row["comparison_pct_14"] == 33.3


def test_the_comparison_is_weighted_to_the_weeks_of_the_nudges():
    """Nine nudges in a slow week and one in a fast one: pooled, the comparison would be
    the fast week's 80 % (90 of its 100 accounts are there) and the lift -34 points;
    weighted to the nudges' weeks it is 26 %, and the lift +14."""
    row = guidance.guidance_rows(
        frame(
            (1, "nudged", 28, 9, 1, 3),
            (1, "comparison", 28, 10, 1, 2),
            (1, "nudged", 21, 1, 1, 1),
            (1, "comparison", 21, 90, 50, 72),
        ),
        today=TODAY,
    )[0]
    assert (row["comparison_n"], row["comparison_reached_14"]) == (100, 74)
    assert row["nudged_pct_14"] == 40.0
    assert row["comparison_pct_14"] == 26.0
    assert row["lift_14"] == 14.0
    # Over 7 days: (9 x 10 % + 1 x 55.6 %) / 10 = 14.6 % against the nudged 20 %.
    assert row["comparison_pct_7"] == 14.6
    assert row["lift_7"] == 5.4


def test_an_open_window_counts_only_the_accounts_that_already_reached_it():
    # Day 0 was 10 days ago: the 7-day window is over, the 14-day one is not.
    row = guidance.guidance_rows(frame((1, "nudged", 10, 5, 1, 2)), today=TODAY)[0]
    assert (row["nudged_decided_7"], row["nudged_pct_7"]) == (5, 20.0)
    assert (row["nudged_decided_14"], row["nudged_pct_14"]) == (2, 100.0)
    # On day 7 itself the account could still reach it in time: not decided yet.
    row = guidance.guidance_rows(frame((1, "nudged", 7, 3, 0, 0)), today=TODAY)[0]
    assert row["nudged_decided_7"] == 0
    assert row["nudged_pct_7"] is None
    assert row["lift_7"] is None


def test_no_comparison_accounts_means_no_lift():
    row = guidance.guidance_rows(frame((2, "nudged", 30, 2, 1, 1)), today=TODAY)[0]
    assert row["comparison_n"] == 0
    assert row["comparison_pct_7"] is None
    assert row["lift_14"] is None
    assert row["nudged_pct_14"] == 50.0


def test_milestones_are_ordered_by_template_and_position():
    data = frame((3, "nudged", 30, 1, 0, 0), (1, "nudged", 30, 1, 0, 0))
    data.loc[0, "template"] = "Alpha"
    rows = guidance.guidance_rows(data, today=TODAY)
    assert [row["milestone_id"] for row in rows] == [3, 1]


def test_no_nudges_is_an_empty_table():
    empty = pd.DataFrame(columns=guidance.INPUT_COLUMNS)
    assert guidance.guidance_rows(empty, today=TODAY) == []
    assert list(guidance.guidance_table(empty, today=TODAY).columns) == guidance.RESULT_COLUMNS
