"""Cohort math against a hand-computed example, and its edges. No database."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from ttfv import cohorts

TODAY = date(2026, 6, 30)


def onboarding(start, ttfv=None, *, target=60, segment="SMB", plan="Starter"):
    started_on = date.fromisoformat(start) if start else None
    return {
        "started_on": started_on,
        "first_value_on": started_on + timedelta(days=ttfv) if ttfv is not None else None,
        "ttfv_days": ttfv,
        "target_days": target,
        "segment": segment,
        "plan": plan,
    }


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=cohorts.INPUT_COLUMNS)


@pytest.fixture
def example() -> pd.DataFrame:
    """Eight onboardings; the expected figures below are worked out by hand.

    January (mature: every target day has passed by June 30):
      20 days (on time), 40 (on time), 90 (late), open since Jan 10 (171 days > 60: late).
      achieved 3, median of 20/40/90 = 40, decided 4, within target 2 -> 50.0 %.
    March: nothing started -> zeros.
    May (immature): 10 days (on time), open since May 20 (41 days < 60: undecided),
      open since May 1 (60 days exactly: still undecided, first value on the target day
      is on time). achieved 1, median 10, decided 1, within 1 -> 100.0 %.
    February: 30 days with a 20-day target (late). achieved 1, median 30, decided 1, 0 %.
    Not in any cohort: no start, and a start in the future.
    """
    return frame(
        onboarding("2026-01-05", 20, segment="SMB", plan="Starter"),
        onboarding("2026-01-12", 40, segment="SMB", plan="Growth"),
        onboarding("2026-01-20", 90, segment="Enterprise", plan="Growth"),
        onboarding("2026-01-10", None, segment="Enterprise", plan=""),
        onboarding("2026-02-14", 30, target=20, segment="", plan="Starter"),
        onboarding("2026-05-03", 10, segment="SMB", plan="Starter"),
        onboarding("2026-05-20", None, segment="SMB", plan="Starter"),
        onboarding("2026-05-01", None, segment="Enterprise", plan="Growth"),
        onboarding(None, None),
        onboarding("2026-07-15", None),
    )


def rows_by_group(table):
    return {row["group"]: row for row in cohorts.records(table)}


def test_month_cohorts_match_the_hand_computed_example(example):
    rows = rows_by_group(cohorts.cohorts(example, by="month", today=TODAY))
    assert list(rows) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert rows["2026-01"] == {
        "group": "2026-01", "started": 4, "achieved": 3, "median_ttfv_days": 40.0,
        "decided": 4, "within_target": 2, "within_target_pct": 50.0, "still_open": 1,
        "mature": True,
    }  # fmt: skip
    assert rows["2026-02"]["within_target_pct"] == 0.0
    assert rows["2026-02"]["median_ttfv_days"] == 30.0
    assert rows["2026-03"] == {
        "group": "2026-03", "started": 0, "achieved": 0, "median_ttfv_days": None,
        "decided": 0, "within_target": 0, "within_target_pct": None, "still_open": 0,
        "mature": True,
    }  # fmt: skip
    assert rows["2026-05"] == {
        "group": "2026-05", "started": 3, "achieved": 1, "median_ttfv_days": 10.0,
        "decided": 1, "within_target": 1, "within_target_pct": 100.0, "still_open": 2,
        "mature": False,
    }  # fmt: skip


def test_segment_and_plan_cohorts_match_the_example(example):
    segments = rows_by_group(cohorts.cohorts(example, by="segment", today=TODAY))
    assert list(segments) == ["", "Enterprise", "SMB"]
    # Enterprise: 90 (late), open since Jan 10 (late), open since May 1 (undecided).
    enterprise = segments["Enterprise"]
    assert (enterprise["started"], enterprise["achieved"], enterprise["decided"]) == (3, 1, 2)
    assert (enterprise["median_ttfv_days"], enterprise["within_target_pct"]) == (90.0, 0.0)
    # SMB: 20, 40, 10 on time, open since May 20 undecided -> 3/3; median 20.
    smb = segments["SMB"]
    assert (smb["started"], smb["median_ttfv_days"], smb["within_target_pct"]) == (4, 20.0, 100.0)
    plans = rows_by_group(cohorts.cohorts(example, by="plan", today=TODAY))
    # Growth: 40 (on time), 90 (late), open since May 1 (undecided): median 65, 1 of 2.
    assert plans["Growth"]["median_ttfv_days"] == 65.0
    assert plans["Growth"]["within_target_pct"] == 50.0
    assert plans[""]["started"] == 1


def test_summary_counts_every_started_onboarding(example):
    total = cohorts.summary(example, today=TODAY)
    assert total["started"] == 8
    assert total["achieved"] == 5
    assert total["median_ttfv_days"] == 30.0  # 10, 20, 30, 40, 90
    assert total["decided"] == 6
    assert total["within_target_pct"] == 50.0  # 20, 40, 10 of 6 decided
    assert total["still_open"] == 3
    assert total["mature"] is False


def test_distribution_bins_the_achieved_onboardings(example):
    bins = cohorts.ttfv_distribution(example, today=TODAY, bin_days=14)
    # 10 -> 0-13; 20 -> 14-27; 30 -> 28-41; 40 -> 28-41; 90 -> 84-97.
    assert bins["bin_start"].tolist() == [0, 14, 28, 42, 56, 70, 84]
    assert bins["bin_end"].tolist() == [13, 27, 41, 55, 69, 83, 97]
    assert bins["count"].tolist() == [1, 1, 2, 0, 0, 0, 1]


def test_typical_target_is_the_most_common_one(example):
    assert cohorts.typical_target(example, default=45) == 60
    assert cohorts.typical_target(frame(), default=45) == 45


def test_empty_input_gives_empty_tables_and_a_zero_summary():
    empty = frame()
    for by in cohorts.GROUPINGS:
        table = cohorts.cohorts(empty, by=by, today=TODAY)
        assert table.empty
        assert list(table.columns) == cohorts.COHORT_COLUMNS
    assert cohorts.ttfv_distribution(empty, today=TODAY).empty
    total = cohorts.summary(empty, today=TODAY)
    assert (total["started"], total["median_ttfv_days"], total["within_target_pct"]) == (
        0,
        None,
        None,
    )


def test_only_unstarted_onboardings_make_no_cohort():
    table = cohorts.cohorts(
        frame(onboarding(None), onboarding("2026-09-01")), by="month", today=TODAY
    )
    assert table.empty


def test_one_onboarding():
    rows = cohorts.records(
        cohorts.cohorts(frame(onboarding("2026-02-01", 61)), by="month", today=TODAY)
    )
    assert rows == [
        {
            "group": "2026-02", "started": 1, "achieved": 1, "median_ttfv_days": 61.0,
            "decided": 1, "within_target": 0, "within_target_pct": 0.0, "still_open": 0,
            "mature": True,
        }
    ]  # fmt: skip


def test_none_achieved_has_no_median_and_counts_only_the_late_as_misses():
    rows = cohorts.records(
        cohorts.cohorts(
            frame(onboarding("2026-01-01"), onboarding("2026-06-20")), by="plan", today=TODAY
        )
    )
    assert rows[0]["median_ttfv_days"] is None
    assert (rows[0]["decided"], rows[0]["within_target_pct"], rows[0]["still_open"]) == (1, 0.0, 2)


def test_an_immature_cohort_is_not_judged_on_accounts_still_inside_their_target():
    """Started 10 days ago, nobody there yet: no rate at all rather than 0 %."""
    young = frame(onboarding("2026-06-20"), onboarding("2026-06-21"))
    row = cohorts.records(cohorts.cohorts(young, by="month", today=TODAY))[0]
    assert (row["started"], row["decided"], row["within_target_pct"]) == (2, 0, None)
    assert row["mature"] is False


def test_first_value_on_the_target_day_is_on_time_and_the_day_after_is_late():
    start = TODAY - timedelta(days=60)
    rows = frame(onboarding(start.isoformat(), 60), onboarding(start.isoformat(), 61, target=60))
    row = cohorts.records(cohorts.cohorts(rows, by="month", today=TODAY))[0]
    assert (row["within_target"], row["decided"]) == (1, 2)


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="Unknown grouping"):
        cohorts.cohorts(frame(), by="csm", today=TODAY)
