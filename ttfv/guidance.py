"""Does the in-app guidance work? Nudged accounts against comparable ones, per milestone.

Pure pandas, no ORM: the selector (``ttfv.selectors.guidance``) counts the accounts in
one SQL aggregate, and this module turns the counts into rates, so the numbers are
tested against hand-computed examples without a database.

Definitions, per milestone (the widget's NUDGE_SHOWN events carry its id):

- **nudged accounts**: accounts on the milestone's template with at least one nudge
  shown for it, whose milestone was not reached before the day of their first nudge.
  Their **day 0** is the day (UTC) of that first nudge; the report's date range picks
  accounts by it.
- **comparison accounts**: for each ISO week (Monday to Sunday) in which some account
  was first nudged for the milestone, the accounts on the same template whose
  onboarding had started by that Monday, that were never shown a nudge for the
  milestone, and had not reached it before that Monday. Their day 0 is the Monday. An
  account can be in the comparison of several weeks: its n counts account-weeks.
- **reached within 7 (14) days**: the milestone was reached on day 0 up to day 7 (14).
- **decided**: reached within the window, or the window is over (more than 7 or 14 days
  since day 0). An account still inside its window could go either way, so the rate
  leaves it out rather than counting a miss, as the cohort reports do with targets.
- **rate**: reached over decided, in percent (None when nothing is decided yet).
  The comparison's rate is **weighted to the nudged accounts' weeks**: each week's
  comparison rate counts as often as that week has decided nudged accounts, so both
  groups are compared over the same mix of weeks (a week of many nudges and a slow
  season cannot tilt one side only). Weeks without decided comparison accounts drop out
  of the weighting; the comparison's counts (n, decided, reached) stay plain sums.
- **lift**: nudged rate minus comparison rate, in percentage points (None when either
  rate is missing). It is an observed difference, not a proven effect: nudges are not
  randomised.

Input columns (one row per milestone, group and day 0): ``milestone_id``,
``milestone`` (name), ``template`` (name), ``position``, ``group`` ("nudged" or
``"comparison"``), ``day0`` (date), ``n`` (accounts), ``reached_7`` and ``reached_14``
(of them, how many reached the milestone on day 0 to day 7 / 14).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ttfv.cohorts import records

WINDOWS = (7, 14)
GROUPS = ("nudged", "comparison")
INPUT_COLUMNS = [
    "milestone_id",
    "milestone",
    "template",
    "position",
    "group",
    "day0",
    "n",
    "reached_7",
    "reached_14",
]
RESULT_COLUMNS = [
    "milestone_id",
    "milestone",
    "template",
    *(
        f"{group}_{measure}"
        for group in GROUPS
        for measure in (
            "n",
            "decided_7",
            "reached_7",
            "pct_7",
            "decided_14",
            "reached_14",
            "pct_14",
        )
    ),
    "lift_7",
    "lift_14",
]


def decided(frame: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """Adds ``decided_7`` and ``decided_14``: every account of a row whose window is
    over, else only those that already reached the milestone."""
    rows = frame.copy()
    elapsed = (pd.Timestamp(today) - pd.to_datetime(rows["day0"])).dt.days
    for days in WINDOWS:
        reached = pd.to_numeric(rows[f"reached_{days}"]).astype("int64")
        rows[f"reached_{days}"] = reached
        rows[f"decided_{days}"] = reached.where(elapsed <= days, rows["n"]).astype("int64")
    rows["n"] = pd.to_numeric(rows["n"]).astype("int64")
    return rows


def guidance_table(frame: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """One row per milestone that has nudged accounts, in template and position order:
    each group's n, decided, reached and rate per window, and the lift (see the module
    docstring). A milestone whose comparison group is empty shows zeros and no rates."""
    if frame.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    rows = decided(frame, today=today)
    keys = ["milestone_id", "milestone", "template", "position"]
    counts = ["n", *(f"{what}_{days}" for days in WINDOWS for what in ("decided", "reached"))]
    summed: pd.DataFrame = rows.groupby([*keys, "group"], sort=False)[counts].sum()
    wide = pd.DataFrame(summed.unstack("group"))
    wide = wide.reindex(columns=pd.MultiIndex.from_product([counts, list(GROUPS)]))
    wide.columns = pd.Index([f"{group}_{measure}" for measure in counts for group in GROUPS])
    totals = wide.fillna(0).astype("int64")
    totals = totals.loc[totals["nudged_n"] > 0]
    rates: dict[tuple[str, int], pd.Series] = {}
    for days in WINDOWS:
        decided_n: pd.Series = totals[f"nudged_decided_{days}"]
        rates["nudged", days] = (
            100 * totals[f"nudged_reached_{days}"] / decided_n.where(decided_n > 0)
        )
        rates["comparison", days] = _weighted_comparison_rate(rows, keys, days).reindex(
            totals.index
        )
        for group in GROUPS:
            totals[f"{group}_pct_{days}"] = rates[group, days].round(1)
    for days in WINDOWS:
        # From the unrounded rates: 66.67 - 33.33 is 33.3, not 66.7 - 33.3.
        totals[f"lift_{days}"] = (rates["nudged", days] - rates["comparison", days]).round(1)
    table = totals.reset_index().sort_values(["template", "position", "milestone_id"])
    return table[RESULT_COLUMNS].reset_index(drop=True)


def _weighted_comparison_rate(rows: pd.DataFrame, keys: list[str], days: int) -> pd.Series:
    """Per milestone, the comparison's rate over ``days`` in percent, each ISO week
    weighted by its decided nudged accounts (see the module docstring); NaN where no
    week has both."""
    day0 = pd.to_datetime(rows["day0"])
    weeks = rows.assign(week=(day0 - pd.to_timedelta(day0.dt.day_of_week, unit="D")).dt.date)
    counts = [f"decided_{days}", f"reached_{days}"]
    summed: pd.DataFrame = weeks.groupby([*keys, "week", "group"], sort=False)[counts].sum()
    by_week = pd.DataFrame(summed.unstack("group"))
    by_week = by_week.reindex(columns=pd.MultiIndex.from_product([counts, list(GROUPS)]))
    by_week = by_week.fillna(0)
    comparison_decided = by_week[f"decided_{days}", "comparison"]
    rate = by_week[f"reached_{days}", "comparison"] / comparison_decided.where(
        comparison_decided > 0
    )
    weight = by_week[f"decided_{days}", "nudged"].where(rate.notna(), 0)
    weighted = (rate.fillna(0) * weight).groupby(level=keys, sort=False).sum()
    total = weight.groupby(level=keys, sort=False).sum()
    return 100 * weighted / total.where(total > 0)


def guidance_rows(frame: pd.DataFrame, *, today: date) -> list[dict[str, Any]]:
    """:func:`guidance_table` as plain dicts for templates and JSON."""
    return records(guidance_table(frame, today=today))
