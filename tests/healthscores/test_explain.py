"""Why a score changed, and how raw values read: pure functions, no database."""

from __future__ import annotations

from core.formats import MINUS
from healthscores.explain import format_raw, movers, signed


def part(contribution: float, raw: float | None = 1.0, missing: bool = False) -> dict:
    return {
        "raw": None if missing else raw,
        "score": None if missing else 50.0,
        "weight": 0.0 if missing else 0.25,
        "contribution": 0.0 if missing else contribution,
        "missing": missing,
    }


def test_movers_are_the_three_biggest_changes_by_absolute_value_with_their_sign():
    then = {"a": part(10), "b": part(20), "c": part(5), "d": part(30), "e": part(1)}
    now = {"a": part(12), "b": part(8), "c": part(11), "d": part(30), "e": part(0)}
    result = movers(now, then)
    assert [(m.measure, m.change) for m in result] == [("b", -12.0), ("c", 6.0), ("a", 2.0)]


def test_unmoved_measures_and_rounding_noise_are_not_reasons():
    then = {"a": part(10.0), "b": part(20.0)}
    now = {"a": part(10.0), "b": part(20.04)}
    assert movers(now, then) == []


def test_a_measure_that_lost_its_data_moved_to_zero_and_keeps_its_raw_values():
    then = {"nps": part(8.0, raw=7.5)}
    now = {"nps": part(0, missing=True)}
    [mover] = movers(now, then)
    assert mover.change == -8.0
    assert (mover.raw_then, mover.raw_now) == (7.5, None)
    assert (mover.contribution_then, mover.contribution_now) == (8.0, 0.0)


def test_a_measure_only_in_one_snapshot_counts_from_zero():
    [mover] = movers({"sentiment": part(9.0, raw=2)}, {})
    assert mover.change == 9.0
    assert mover.raw_then is None


def test_ties_are_ordered_by_measure_key_and_limit_is_respected():
    then = {"b": part(0), "a": part(0), "c": part(0)}
    now = {"b": part(5), "a": part(-5), "c": part(5)}
    assert [m.measure for m in movers(now, then, limit=2)] == ["a", "b"]


def test_raw_values_read_by_unit():
    assert format_raw("ratio", 0.423) == "42%"
    assert format_raw("percent", 12.6) == "+13%"
    assert format_raw("percent", -40) == f"{MINUS}40%"
    assert format_raw("percent", 0) == "±0%"
    assert format_raw("count", 3.0) == "3"
    assert format_raw("score", 7.26) == "7.3"
    assert format_raw("sentiment", 2) == "Green"
    assert format_raw("sentiment", 1) == "Yellow"
    assert format_raw("sentiment", 0) == "Red"
    assert format_raw("ratio", None) == "No data"


def test_signed_changes_carry_a_real_minus_and_zero_has_no_direction():
    assert signed(3.24) == "+3.2"
    assert signed(-3.26) == f"{MINUS}3.3"
    assert signed(0.01) == "±0.0"
