"""How raw values and changes read: pure functions, no database."""

from __future__ import annotations

from core.formats import MINUS
from healthscores.explain import format_raw, signed


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
