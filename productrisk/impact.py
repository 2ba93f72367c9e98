"""Impact after shipping: did the health of the accounts that asked for a product gap
improve once it shipped, compared with the accounts that did not ask?

Pure computation on plain data and DataFrames, no ORM: the selector aggregates health
snapshots in SQL (sum and count of scores per flag and calendar day, and per calendar
day over every account) and hands the small result here.

How it is counted (shown on the pages too):

- The ship date D of a resolved flag is the ship date of the roadmap item linked to its
  idea when there is one, else the (UTC) day the flag was resolved.
- Day offset = snapshot day - D, from -90 to +90. For each offset we take the mean
  score of the affected accounts, and of the baseline: every other account with a score
  that day (the accounts that did not ask). Several flags pool by summing scores and
  counts per offset, so each account-day weighs the same.
- For a window of W days, "before" is the mean of the daily means over offsets -W..-1
  and "after" over +1..+W; the ship day itself is left out, as it is neither. A side
  needs scores on at least half of its days, else it is unknown (not enough history —
  a flag shipped last week has no 90-day "after").
- Delta = after - before. Difference-in-differences = affected delta - baseline delta:
  the change the affected accounts saw beyond what every account saw over the same
  days (a seasonal dip or a scorecard change moves both).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import cast

import pandas as pd

SPAN_DAYS = 90
WINDOWS = (30, 60, 90)
#: Share of a window side's days that need a score for its mean to be shown.
MIN_COVERAGE = 0.5

AFFECTED_COLUMNS = ["risk_id", "day", "score_sum", "score_n"]
TOTAL_COLUMNS = ["day", "score_sum", "score_n"]
SERIES_COLUMNS = ["affected_mean", "baseline_mean", "affected_n", "baseline_n"]


def ship_date(*, resolved_at: datetime | None, shipped_on: date | None) -> date | None:
    """The day a gap shipped: the roadmap item's ship date, else the UTC resolve day."""
    if shipped_on is not None:
        return shipped_on
    if resolved_at is None:
        return None
    return resolved_at.astimezone(UTC).date()


def empty_series(span: int = SPAN_DAYS) -> pd.DataFrame:
    index = pd.RangeIndex(-span, span + 1, name="offset")
    return pd.DataFrame({column: float("nan") for column in SERIES_COLUMNS}, index=index)


def _flag_days(
    affected: pd.DataFrame, totals: pd.DataFrame, ship_dates: Mapping[int, date], *, span: int
) -> pd.DataFrame:
    """One row per flag and day with a score within its ±span: the offset, the affected
    accounts' sum and count, and the baseline's (that day's total minus the flag's own).
    At most flags x days rows, built by one cross join and one merge."""
    ships = pd.DataFrame(
        {"risk_id": list(ship_dates), "ship": pd.to_datetime(list(ship_dates.values()))}
    )
    totals = totals.assign(day=pd.to_datetime(totals["day"]))
    affected = affected.reindex(columns=AFFECTED_COLUMNS).assign(
        day=lambda frame: pd.to_datetime(frame["day"])
    )
    frame = ships.merge(totals, how="cross")
    frame["offset"] = (frame["day"] - frame["ship"]).dt.days
    frame = frame[frame["offset"].abs() <= span]
    frame = frame.merge(
        affected, on=["risk_id", "day"], how="left", suffixes=("_total", "_affected")
    ).fillna({"score_sum_affected": 0.0, "score_n_affected": 0})
    frame["baseline_sum"] = frame["score_sum_total"] - frame["score_sum_affected"]
    frame["baseline_n"] = frame["score_n_total"] - frame["score_n_affected"]
    return frame


def offset_series(
    affected: pd.DataFrame,
    totals: pd.DataFrame,
    ship_dates: Mapping[int, date],
    *,
    span: int = SPAN_DAYS,
) -> pd.DataFrame:
    """Mean score per day offset from the ship date, affected accounts against baseline.

    ``affected``: risk_id, day, score_sum, score_n — the affected accounts' scores per
    flag and calendar day. ``totals``: day, score_sum, score_n — every account's scores
    per calendar day. ``ship_dates``: risk_id → D. The baseline of a flag on a day is
    that day's total minus the flag's own affected accounts.

    Returns one row per offset -span..+span (NaN means where nobody had a score).
    """
    if not ship_dates or totals.empty:
        return empty_series(span)
    frame = _flag_days(affected, totals, ship_dates, span=span)
    pooled = frame.groupby("offset")[
        ["score_sum_affected", "score_n_affected", "baseline_sum", "baseline_n"]
    ].sum()
    series = empty_series(span)
    affected_n = pooled["score_n_affected"].astype(float)
    baseline_n = pooled["baseline_n"].astype(float)
    series.loc[pooled.index, "affected_n"] = affected_n
    series.loc[pooled.index, "baseline_n"] = baseline_n
    series.loc[pooled.index, "affected_mean"] = pooled["score_sum_affected"] / affected_n.where(
        affected_n > 0
    )
    series.loc[pooled.index, "baseline_mean"] = pooled["baseline_sum"] / baseline_n.where(
        baseline_n > 0
    )
    return series


@dataclass(frozen=True)
class WindowSummary:
    """Before/after means of one window (None: not enough history on that side)."""

    days: int
    affected_before: float | None
    affected_after: float | None
    baseline_before: float | None
    baseline_after: float | None

    @staticmethod
    def _delta(before: float | None, after: float | None) -> float | None:
        return None if before is None or after is None else after - before

    @property
    def affected_delta(self) -> float | None:
        return self._delta(self.affected_before, self.affected_after)

    @property
    def baseline_delta(self) -> float | None:
        return self._delta(self.baseline_before, self.baseline_after)

    @property
    def did(self) -> float | None:
        """Difference-in-differences: the affected accounts' change beyond the baseline's."""
        return self._delta(self.baseline_delta, self.affected_delta)

    @property
    def known(self) -> bool:
        return self.affected_delta is not None


def _side_mean(means: pd.Series, *, days: int, min_coverage: float) -> float | None:
    present = means.dropna()
    if present.empty or len(present) < days * min_coverage:
        return None
    return float(present.mean())


def window_summaries(
    series: pd.DataFrame,
    *,
    windows: tuple[int, ...] = WINDOWS,
    min_coverage: float = MIN_COVERAGE,
) -> list[WindowSummary]:
    """Mean before vs after the ship date over each window, for affected and baseline."""
    summaries = []
    for days in windows:
        before = series.loc[-days:-1]
        after = series.loc[1:days]
        values = {
            f"{group}_{side}": _side_mean(
                frame[f"{group}_mean"], days=days, min_coverage=min_coverage
            )
            for group in ("affected", "baseline")
            for side, frame in (("before", before), ("after", after))
        }
        summaries.append(WindowSummary(days=days, **values))
    return summaries


def per_flag_summaries(
    affected: pd.DataFrame,
    totals: pd.DataFrame,
    ship_dates: Mapping[int, date],
    *,
    span: int = SPAN_DAYS,
    windows: tuple[int, ...] = WINDOWS,
    min_coverage: float = MIN_COVERAGE,
) -> dict[int, list[WindowSummary]]:
    """Each flag's own window table (a flag with no ship date is left out).

    The same figures as ``window_summaries(offset_series(…one flag…))`` for every flag,
    computed for all flags at once: one frame of flag x day, and per window one group-by
    of (flag, side) — not a frame, a merge and a dozen slices per flag, which made this
    the slow part of the impact page with 50 flags.
    """
    if not ship_dates:
        return {}
    if totals.empty:
        return {risk_id: window_summaries(empty_series(span)) for risk_id in ship_dates}
    frame = _flag_days(affected, totals, ship_dates, span=span)
    # One flag has at most one row a day, so its daily means are the rows' own.
    means = pd.DataFrame(
        {
            "risk_id": frame["risk_id"],
            "offset": frame["offset"],
            "affected": frame["score_sum_affected"]
            / frame["score_n_affected"].where(frame["score_n_affected"] > 0),
            "baseline": frame["baseline_sum"] / frame["baseline_n"].where(frame["baseline_n"] > 0),
        }
    )
    sides: dict[tuple[int, str, int], float | None] = {}
    for days in windows:
        side = pd.Series(pd.NA, index=means.index, dtype="object")
        side[means["offset"].between(-days, -1)] = "before"
        side[means["offset"].between(1, days)] = "after"
        within = means.assign(side=side).dropna(subset=["side"])
        grouped = within.groupby(["risk_id", "side"])[["affected", "baseline"]].agg(
            ["mean", "count"]
        )
        needed = days * min_coverage
        for group in ("affected", "baseline"):
            shown = grouped[(group, "mean")].where(
                (grouped[(group, "count")] >= needed) & (grouped[(group, "count")] > 0)
            )
            for key, value in shown.items():
                risk_id, where = cast(tuple[int, str], key)
                sides[(days, f"{group}_{where}", risk_id)] = (
                    None if pd.isna(value) else float(value)
                )
    keys = ("affected_before", "affected_after", "baseline_before", "baseline_after")
    return {
        risk_id: [
            WindowSummary(days=days, **{key: sides.get((days, key, risk_id)) for key in keys})
            for days in windows
        ]
        for risk_id in ship_dates
    }


def frame_of(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows from the ORM's ``values()`` as a frame with exactly ``columns``."""
    return pd.DataFrame.from_records(rows, columns=columns)
