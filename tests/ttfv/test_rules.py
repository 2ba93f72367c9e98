"""Milestone rules and onboarding status, pure: no database."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from ttfv.rules import onboarding_status, time_used, usage_achievements

START = date(2026, 3, 10)


def pairs(*rows):
    return pd.DataFrame(
        [(1, milestone, "e", n, k, START) for milestone, n, k in rows],
        columns=["account_id", "milestone_id", "event", "min_events", "min_contacts", "started_on"],
    )


def daily(*rows):
    return pd.DataFrame(
        [(1, "e", day, count) for day, count in rows],
        columns=["account_id", "event", "day", "events"],
    )


def people(*rows):
    return pd.DataFrame(
        [(1, "e", contact, day) for contact, day in rows],
        columns=["account_id", "event", "contact_id", "first_day"],
    )


def reached(result) -> dict[int, date]:
    return dict(zip(result["milestone_id"], result["achieved_on"], strict=True))


def test_an_event_on_the_start_day_counts_and_one_before_does_not():
    result = usage_achievements(
        pairs((10, 1, np.nan), (11, 2, np.nan)),
        daily((date(2026, 3, 9), 5), (START, 1), (date(2026, 3, 12), 1)),
        people(),
    )
    assert reached(result) == {10: START, 11: date(2026, 3, 12)}


def test_exactly_n_events_reach_the_milestone_on_the_day_the_total_gets_there():
    result = usage_achievements(
        pairs((10, 5, np.nan), (11, 6, np.nan)),
        daily((START, 2), (date(2026, 3, 11), 2), (date(2026, 3, 15), 1)),
        people(),
    )
    assert reached(result) == {10: date(2026, 3, 15)}  # 5 reached; 6 never


def test_k_distinct_people_are_needed_as_well_as_n_events():
    result = usage_achievements(
        pairs((10, 2, 3)),
        daily((START, 10)),
        people((1, START), (2, date(2026, 3, 14)), (3, date(2026, 3, 20)), (4, date(2026, 3, 21))),
    )
    assert reached(result) == {10: date(2026, 3, 20)}


def test_the_later_of_the_two_conditions_decides():
    result = usage_achievements(
        pairs((10, 30, 2)),
        daily((START, 10), (date(2026, 4, 1), 25)),
        people((1, START), (2, date(2026, 3, 11))),
    )
    assert reached(result) == {10: date(2026, 4, 1)}


def test_too_few_people_never_reach_it():
    result = usage_achievements(
        pairs((10, 1, 3)), daily((START, 9)), people((1, START), (2, START))
    )
    assert result.empty


def test_people_before_the_start_do_not_count():
    result = usage_achievements(
        pairs((10, 1, 2)), daily((START, 3)), people((1, date(2026, 3, 1)), (2, START))
    )
    assert result.empty


def test_no_usage_milestones_reach_nothing():
    assert usage_achievements(pairs(), daily(), people()).empty


def status(start, first_value, today, target=60, at_risk=75):
    frame = pd.DataFrame(
        {
            "started_on": [start],
            "first_value_on": [first_value],
            "target_days": [target],
            "at_risk_percent": [at_risk],
        }
    )
    row = onboarding_status(frame, today).iloc[0]
    return row["status"], (None if pd.isna(row["ttfv_days"]) else int(row["ttfv_days"]))


@pytest.mark.parametrize(
    ("start", "first_value", "today", "expected"),
    [
        (None, None, date(2026, 5, 1), ("not_started", None)),
        (date(2026, 6, 1), None, date(2026, 5, 1), ("not_started", None)),
        (START, None, date(2026, 4, 30), ("at_risk", None)),  # day 51
        (START, None, date(2026, 4, 24), ("at_risk", None)),  # day 45 of 60
        (START, None, date(2026, 4, 23), ("on_track", None)),  # day 44
        (START, None, date(2026, 5, 9), ("at_risk", None)),  # day 60: not past the target
        (START, None, date(2026, 5, 10), ("late", None)),  # day 61
        (START, date(2026, 5, 9), date(2026, 6, 1), ("achieved", 60)),
        (START, date(2026, 5, 10), date(2026, 6, 1), ("achieved_late", 61)),
        (START, START, START, ("achieved", 0)),
    ],
)
def test_every_status(start, first_value, today, expected):
    assert status(start, first_value, today) == expected


def test_the_at_risk_share_is_configurable():
    assert status(START, None, date(2026, 4, 1), at_risk=30) == ("at_risk", None)  # day 22 of 60
    assert status(START, None, date(2026, 4, 1), at_risk=50) == ("on_track", None)


def test_time_used_is_missing_outside_onboarding():
    used = time_used(
        pd.Series([START, START, None, date(2026, 6, 1)]),
        pd.Series([None, date(2026, 3, 20), None, None]),
        pd.Series([60, 60, 60, 60]),
        date(2026, 4, 9),
    )
    assert used.iloc[0] == pytest.approx(0.5)
    assert used.iloc[1:].isna().all()
