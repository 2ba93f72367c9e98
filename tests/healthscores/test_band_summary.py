"""The sentence an account page opens with: pure, no database."""

from __future__ import annotations

from healthscores.band_summary import pulling_down, summary


def part(raw: float | None, score: float | None, weight: float) -> dict:
    return {
        "raw": raw,
        "score": score,
        "weight": weight,
        "contribution": (score or 0) * weight,
        "missing": raw is None,
    }


RED = {
    "active_users": part(0.12, 24, 0.3),
    "usage_trend": part(-38, 20, 0.25),
    "urgent_tickets": part(3, 40, 0.15),
    "nps": part(9, 85, 0.15),
    "sentiment": part(None, None, 0.0),
    "ticket_volume": part(0.0, 100, 0.15),
}


def test_the_measures_losing_most_points_are_named_worst_first():
    assert pulling_down(RED) == ["active_users", "usage_trend", "urgent_tickets"]


def test_the_sentence_reads_each_measure_in_plain_words_with_its_raw_value():
    assert summary("Red", RED) == (
        "Red: 12% of seats active in 28 days; usage down 38% in 30 days; "
        "3 urgent or high tickets open."
    )


def test_one_ticket_is_singular_and_rising_usage_reads_up():
    components = {"urgent_tickets": part(1, 70, 0.5), "usage_trend": part(12, 85, 0.5)}
    assert summary("Yellow", components) == (
        "Yellow: 1 urgent or high ticket open; usage up 12% in 30 days."
    )


def test_measures_without_data_or_at_full_score_are_no_reason():
    components = {"nps": part(None, None, 0.0), "ticket_volume": part(0.0, 100, 1.0)}
    assert summary("Green", components) == "Green: no measure pulls the score down."
