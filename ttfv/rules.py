"""Milestone rules and onboarding status: pure pandas, no ORM, no loop over accounts.

A usage milestone is reached on the first day, on or after the onboarding's start, by
which the account has done event E at least N times in total and (optionally) at least
K distinct people have done it. Days are UTC days, like the rollups the inputs come
from, so an event at 23:30 UTC the day before the start never counts.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

NOT_STARTED = "not_started"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
LATE = "late"
ACHIEVED = "achieved"
ACHIEVED_LATE = "achieved_late"

ACHIEVEMENT_COLUMNS = ["account_id", "milestone_id", "achieved_on"]


def usage_achievements(
    pairs: pd.DataFrame, daily: pd.DataFrame, first_days: pd.DataFrame
) -> pd.DataFrame:
    """The day each (account, usage milestone) pair was reached.

    ``pairs``: account_id, milestone_id, event, min_events, min_contacts (NaN: no K),
    started_on. ``daily``: account_id, event, day, events (per-day counts). ``first_days``:
    account_id, event, contact_id, first_day (each person's first day doing the event).
    Rows before each account's start are dropped here, so callers may over-fetch.
    Returns ACHIEVEMENT_COLUMNS, one row per reached pair.
    """
    if pairs.empty:
        return pd.DataFrame(columns=ACHIEVEMENT_COLUMNS)
    starts = pairs[["account_id", "started_on"]].drop_duplicates("account_id")

    counts = daily.astype({"events": "int64"}).merge(starts, on="account_id")
    counts = counts[counts["day"] >= counts["started_on"]].sort_values(
        ["account_id", "event", "day"]
    )
    counts["running"] = counts.groupby(["account_id", "event"])["events"].cumsum()
    by_events = pairs.merge(
        counts[["account_id", "event", "day", "running"]], on=["account_id", "event"]
    )
    by_events = by_events[by_events["running"] >= by_events["min_events"]]
    day_n = by_events.groupby(["account_id", "milestone_id"])["day"].min().rename("day_n")

    people = first_days.merge(starts, on="account_id")
    people = people[people["first_day"] >= people["started_on"]]
    people = people.sort_values(["account_id", "event", "first_day"])
    people["rank"] = people.groupby(["account_id", "event"]).cumcount() + 1
    needs_people = pairs[pairs["min_contacts"].notna()]
    by_people = needs_people.merge(
        people[["account_id", "event", "first_day", "rank"]], on=["account_id", "event"]
    )
    by_people = by_people[by_people["rank"] == by_people["min_contacts"]]
    day_k = by_people.set_index(["account_id", "milestone_id"])["first_day"].rename("day_k")

    reached = (
        pairs.set_index(["account_id", "milestone_id"])[["min_contacts"]].join(day_n).join(day_k)
    )
    needs_k = reached["min_contacts"].notna()
    achieved = reached["day_n"].where(
        ~needs_k, reached[["day_n", "day_k"]].max(axis=1, skipna=False)
    )
    achieved = achieved.dropna().rename("achieved_on").reset_index()
    return achieved[ACHIEVEMENT_COLUMNS]


def onboarding_status(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """Status and TTFV per onboarding.

    ``frame``: started_on (date or NaT), target_days, at_risk_percent, first_value_on
    (date or NaT). Returns status and ttfv_days (NaN without first value).
    """
    start = pd.to_datetime(frame["started_on"])
    first_value = pd.to_datetime(frame["first_value_on"])
    now = pd.Timestamp(today)
    ttfv = (first_value - start).dt.days
    elapsed = (now - start).dt.days
    target = frame["target_days"].astype("float64")
    at_risk_from = target * frame["at_risk_percent"].astype("float64") / 100
    status = np.select(
        [
            start.isna() | (start > now),
            ttfv.notna() & (ttfv <= target),
            ttfv.notna(),
            elapsed > target,
            elapsed >= at_risk_from,
        ],
        [NOT_STARTED, ACHIEVED, ACHIEVED_LATE, LATE, AT_RISK],
        default=ON_TRACK,
    )
    return pd.DataFrame({"status": status, "ttfv_days": ttfv}, index=frame.index)


def time_used(
    started_on: pd.Series, first_value_on: pd.Series, target_days: pd.Series, day: date
) -> pd.Series:
    """Share of the target used by ``day`` without first value (the health measure's raw
    value); NaN when not onboarding on that day (not started, or first value reached)."""
    start = pd.to_datetime(started_on)
    first_value = pd.to_datetime(first_value_on)
    now = pd.Timestamp(day)
    onboarding = start.notna() & (start <= now) & (first_value.isna() | (first_value > now))
    used = (now - start).dt.days / target_days.astype("float64")
    return used.where(onboarding)
