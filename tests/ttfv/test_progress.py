"""Milestone states and days left: pure date math, no database."""

from __future__ import annotations

from datetime import date

import pytest

from ttfv import progress

TODAY = date(2025, 3, 31)
START = date(2025, 3, 1)  # 30 days ago


def state(offset: int, achieved_on: date | None = None, started_on: date | None = START):
    return progress.milestone_state(
        started_on=started_on, offset_days=offset, achieved_on=achieved_on, today=TODAY
    )


def test_target_day_is_start_plus_offset():
    assert progress.target_day(START, 14) == date(2025, 3, 15)
    assert progress.target_day(None, 14) is None


def test_a_reached_milestone_keeps_its_date_and_says_if_it_was_late():
    on_time = state(14, achieved_on=date(2025, 3, 15))
    late = state(14, achieved_on=date(2025, 3, 16))
    assert (on_time.state, on_time.achieved_on, on_time.reached_late) == (
        "reached",
        date(2025, 3, 15),
        False,
    )
    assert (late.state, late.reached_late) == ("reached", True)


def test_a_reached_milestone_counts_even_past_its_target_day():
    assert state(1, achieved_on=date(2025, 3, 20)).state == "reached"


def test_a_milestone_past_its_target_day_is_overdue_by_the_days_since():
    overdue = state(20)  # due 2025-03-21
    assert (overdue.state, overdue.days, overdue.target_on) == ("overdue", 10, date(2025, 3, 21))


@pytest.mark.parametrize(
    ("offset", "expected", "days"),
    [
        (30, "due", 0),  # target day is today: due, not overdue
        (37, "due", 7),  # the last day of the due-soon window
        (38, "pending", 8),
        (29, "overdue", 1),
    ],
)
def test_due_soon_window_edges(offset, expected, days):
    result = state(offset)
    assert (result.state, result.days) == (expected, days)


def test_without_a_start_an_unreached_milestone_is_pending_with_no_target_day():
    result = state(5, started_on=None)
    assert (result.state, result.target_on) == ("pending", None)


def test_days_left_counts_to_the_target_and_goes_negative_when_late():
    assert progress.days_left(started_on=START, target_days=60, today=TODAY) == 30
    assert progress.days_left(started_on=START, target_days=30, today=TODAY) == 0
    assert progress.days_left(started_on=START, target_days=20, today=TODAY) == -10
    assert progress.days_left(started_on=None, target_days=20, today=TODAY) is None


@pytest.mark.parametrize(
    ("days", "label"),
    [
        (None, "No start date"),
        (0, "Target is today"),
        (1, "1 day left"),
        (12, "12 days left"),
        (-1, "1 day late"),
        (-9, "9 days late"),
    ],
)
def test_days_left_label(days, label):
    assert progress.days_left_label(days) == label


def test_rule_summaries():
    assert progress.rule_summary(rule="manual", event="", min_events=None, min_contacts=None) == (
        "Rule: checked off by hand"
    )
    assert (
        progress.rule_summary(rule="usage", event="report.shared", min_events=8, min_contacts=None)
        == "Rule: report.shared at least 8 times"
    )
    assert (
        progress.rule_summary(rule="usage", event="report.shared", min_events=8, min_contacts=3)
        == "Rule: report.shared at least 8 times by at least 3 people"
    )


def test_every_status_has_a_badge():
    from ttfv.models import Onboarding

    assert set(progress.STATUS_BADGES) == set(Onboarding.Status.values)
