"""Impact after shipping, the pure math: known series in, known deltas out (no DB)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from productrisk import impact

SHIP = date(2026, 6, 1)


def day(offset: int) -> date:
    return SHIP + timedelta(days=offset)


def frames(affected_scores, baseline_scores, *, risk_id=1, offsets=range(-90, 91)):
    """Frames as the selector's SQL returns them: affected accounts' scores per flag and
    day, and every account's (affected and baseline) per day."""
    affected, totals = [], []
    for offset in offsets:
        a = [s for s in affected_scores(offset) if s is not None]
        b = [s for s in baseline_scores(offset) if s is not None]
        if a:
            affected.append(
                {"risk_id": risk_id, "day": day(offset), "score_sum": sum(a), "score_n": len(a)}
            )
        if a or b:
            totals.append({"day": day(offset), "score_sum": sum(a) + sum(b), "score_n": len(a + b)})
    return (
        impact.frame_of(affected, impact.AFFECTED_COLUMNS),
        impact.frame_of(totals, impact.TOTAL_COLUMNS),
    )


def test_a_step_up_after_shipping_shows_as_delta_and_difference_in_differences():
    # Affected: two accounts at 40 and 50 before (mean 45), 60 and 70 after (mean 65).
    # Baseline: one account at 50 before, 55 after. So +20 vs +5: DiD +15.
    affected, totals = frames(
        lambda o: [40, 50] if o < 0 else [60, 70], lambda o: [50] if o < 0 else [55]
    )
    series = impact.offset_series(affected, totals, {1: SHIP})
    assert series.loc[-1, "affected_mean"] == 45
    assert series.loc[1, "affected_mean"] == 65
    assert series.loc[1, "baseline_mean"] == 55
    assert series.loc[5, "affected_n"] == 2
    assert list(series.index) == list(range(-90, 91))

    summaries = impact.window_summaries(series)
    assert [s.days for s in summaries] == [30, 60, 90]
    for summary in summaries:
        assert summary.affected_before == pytest.approx(45)
        assert summary.affected_after == pytest.approx(65)
        assert summary.affected_delta == pytest.approx(20)
        assert summary.baseline_delta == pytest.approx(5)
        assert summary.did == pytest.approx(15)


def test_windows_average_daily_means_and_leave_the_ship_day_out():
    # A linear climb: score = 50 + offset/3 for the affected, flat 50 for the baseline.
    affected, totals = frames(lambda o: [50 + o / 3], lambda o: [50])
    series = impact.offset_series(affected, totals, {1: SHIP})
    thirty, sixty, ninety = impact.window_summaries(series)
    # Mean of offsets 1..W is (W+1)/2, of -W..-1 is -(W+1)/2: delta (W+1)/3.
    assert thirty.affected_delta == pytest.approx(31 / 3)
    assert sixty.affected_delta == pytest.approx(61 / 3)
    assert ninety.did == pytest.approx(91 / 3)
    assert ninety.baseline_delta == pytest.approx(0)


def test_a_side_with_less_than_half_its_days_scored_is_unknown():
    # History only from 10 days before the ship date, and 40 days after it.
    affected, totals = frames(lambda o: [50], lambda o: [50], offsets=range(-10, 41))
    thirty, sixty, ninety = impact.window_summaries(
        impact.offset_series(affected, totals, {1: SHIP})
    )
    assert thirty.affected_before is None  # 10 of 30 days
    assert thirty.affected_after == pytest.approx(50)  # 30 of 30
    assert thirty.did is None
    assert not thirty.known
    assert sixty.affected_after == pytest.approx(50)  # 40 of 60 days
    assert ninety.affected_after is None  # 40 of 90


def test_baseline_is_every_other_account_of_the_day():
    affected, totals = frames(lambda o: [10], lambda o: [90, 70])
    series = impact.offset_series(affected, totals, {1: SHIP})
    assert series.loc[0, "baseline_mean"] == 80
    assert series.loc[0, "baseline_n"] == 2
    assert series.loc[0, "affected_mean"] == 10


def test_flags_with_different_ship_dates_pool_by_offset():
    second_ship = SHIP + timedelta(days=200)
    rows = [
        {"risk_id": 1, "day": SHIP - timedelta(days=1), "score_sum": 40.0, "score_n": 1},
        {"risk_id": 2, "day": second_ship - timedelta(days=1), "score_sum": 120.0, "score_n": 2},
    ]
    totals = [
        {"day": SHIP - timedelta(days=1), "score_sum": 40.0 + 50.0, "score_n": 2},
        {"day": second_ship - timedelta(days=1), "score_sum": 120.0 + 30.0, "score_n": 3},
    ]
    series = impact.offset_series(
        impact.frame_of(rows, impact.AFFECTED_COLUMNS),
        impact.frame_of(totals, impact.TOTAL_COLUMNS),
        {1: SHIP, 2: second_ship},
    )
    # (40 + 120) / 3 account-days; baseline (50 + 30) / 2.
    assert series.loc[-1, "affected_mean"] == pytest.approx(160 / 3)
    assert series.loc[-1, "baseline_mean"] == pytest.approx(40)
    assert series["affected_mean"].count() == 1


def test_per_flag_summaries_keep_each_flag_apart():
    a1, totals1 = frames(lambda o: [40] if o < 0 else [60], lambda o: [50], risk_id=1)
    a2, _ = frames(lambda o: [50], lambda o: [50], risk_id=2)
    result = impact.per_flag_summaries(pd.concat([a1, a2]), totals1, {1: SHIP, 2: SHIP, 3: SHIP})
    assert result[1][0].affected_delta == pytest.approx(20)
    assert result[2][0].affected_delta == pytest.approx(0)
    assert result[3][0].affected_before is None  # no affected account has a score


def test_no_history_gives_an_empty_series_and_unknown_windows():
    empty = impact.frame_of([], impact.AFFECTED_COLUMNS)
    series = impact.offset_series(empty, impact.frame_of([], impact.TOTAL_COLUMNS), {1: SHIP})
    assert series["affected_mean"].isna().all()
    assert not any(summary.known for summary in impact.window_summaries(series))


def test_ship_date_prefers_the_roadmap_items_day_then_the_utc_resolve_day():
    resolved = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    assert impact.ship_date(resolved_at=resolved, shipped_on=date(2026, 5, 20)) == date(2026, 5, 20)
    assert impact.ship_date(resolved_at=resolved, shipped_on=None) == date(2026, 6, 1)
    assert impact.ship_date(resolved_at=None, shipped_on=None) is None


def test_impact_figure_has_title_axis_labels_and_breaks_on_missing_days():
    import json

    from productrisk.charts import figure_dict, impact_figure

    affected, totals = frames(lambda o: [50] if o % 2 else [], lambda o: [60])
    figure = figure_dict(impact_figure(impact.offset_series(affected, totals, {1: SHIP})))
    json.dumps(figure)  # embeddable with json_script
    layout = figure["layout"]
    assert layout["title"]["text"] == "Health score before and after shipping"
    assert layout["xaxis"]["title"]["text"] == "Days from ship"
    assert layout["yaxis"]["title"]["text"] == "Mean health score"
    affected_trace, baseline_trace = figure["data"]
    assert affected_trace["x"][0] == -90
    assert affected_trace["x"][-1] == 90
    assert affected_trace["y"][90] is None  # day 0: no affected score
    assert affected_trace["y"][91] == 50
    assert baseline_trace["y"][90] == 60
    assert layout["shapes"][0]["x0"] == 0
