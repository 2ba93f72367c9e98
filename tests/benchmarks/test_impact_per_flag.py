"""The impact page's per-flag window tables, all flags at once (`make bench`).

50 resolved flags (the page's most), each with its affected accounts' scores on every
day of its ±90 days, against 480 days of every account's totals. Measured: the set-based
``per_flag_summaries``, against the same tables computed flag by flag
(``window_summaries(offset_series(...))`` for each, as the page did before) — the
reference; both must agree exactly. No database: pure computation.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import pandas as pd
import pytest

from productrisk import impact
from tests.benchmarks.report import report

pytestmark = [pytest.mark.benchmark, pytest.mark.timeout(600)]

FLAGS = 50
DAYS = 480
TODAY = date(2026, 12, 1)


def _data():
    days = [TODAY - timedelta(days=d) for d in range(DAYS)]
    totals = pd.DataFrame(
        {
            "day": days,
            "score_sum": [5_000_000.0 + 1_000 * (d % 17) for d in range(DAYS)],
            "score_n": [100_000] * DAYS,
        }
    )
    ships = {risk_id: TODAY - timedelta(days=10 + risk_id * 7) for risk_id in range(1, FLAGS + 1)}
    rows = [
        (risk_id, day, 25 * (50.0 + (risk_id + (day - ship).days) % 20), 25)
        for risk_id, ship in ships.items()
        for day in days
        if abs((day - ship).days) <= impact.SPAN_DAYS and (day.toordinal() + risk_id) % 9
    ]
    return pd.DataFrame(rows, columns=impact.AFFECTED_COLUMNS), totals, ships


def _flag_by_flag(affected, totals, ships):
    groups = dict(tuple(affected.groupby("risk_id")))
    return {
        risk_id: impact.window_summaries(
            impact.offset_series(groups[risk_id], totals, {risk_id: day})
        )
        for risk_id, day in ships.items()
    }


def _best_of(runs: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def test_per_flag_summaries_all_at_once_against_flag_by_flag():
    affected, totals, ships = _data()
    measured, at_once = _best_of(5, lambda: impact.per_flag_summaries(affected, totals, ships))
    reference, by_flag = _best_of(3, lambda: _flag_by_flag(affected, totals, ships))

    assert at_once.keys() == by_flag.keys()
    for risk_id, windows in by_flag.items():
        for mine, theirs in zip(at_once[risk_id], windows, strict=True):
            assert mine.days == theirs.days
            for name in ("affected_before", "affected_after", "baseline_before", "baseline_after"):
                assert getattr(mine, name) == pytest.approx(getattr(theirs, name), nan_ok=True)
    ratio = report(
        f"impact per-flag tables, {FLAGS} flags x {DAYS} days, at once vs flag by flag",
        measured=measured * 1000,
        reference=reference * 1000,
        unit="ms",
    )
    assert ratio < 0.5
