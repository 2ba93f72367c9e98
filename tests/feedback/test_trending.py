"""The stored trending value orders ideas as the decayed sum of their activity would."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from feedback import trending

pytestmark = pytest.mark.any_day
#: The pinned clock (tests/clock.py): trending is checked on every day of `make any-day`.
NOW = datetime.now(UTC)


def decayed(events: list[tuple[datetime, float]], at: datetime) -> float:
    return sum(
        weight * 2 ** (-(at - when).total_seconds() / 86_400 / trending.HALF_LIFE_DAYS)
        for when, weight in events
    )


def stored(events: list[tuple[datetime, float]]) -> float:
    score = None
    for when, weight in events:
        score = trending.score_after(score, when, weight)
    return score


def test_stored_score_is_log2_of_the_decayed_sum_on_the_epoch_scale():
    events = [(NOW - timedelta(days=d), 1.0) for d in (0, 1, 5, 9)]
    expected = math.log2(decayed(events, NOW)) + (
        (NOW - trending.EPOCH).total_seconds() / 86_400 / trending.HALF_LIFE_DAYS
    )
    assert math.isclose(stored(events), expected, rel_tol=1e-9)


def test_recent_votes_outrank_more_old_votes():
    old_burst = [(NOW - timedelta(days=30), 1.0)] * 20
    fresh = [(NOW - timedelta(hours=h), 1.0) for h in (1, 2, 3)]
    assert stored(fresh) > stored(old_burst)


def test_a_comment_weighs_as_two_votes():
    two_votes = [(NOW, trending.WEIGHT_VOTE)] * 2
    one_comment = [(NOW, trending.WEIGHT_COMMENT)]
    assert math.isclose(stored(two_votes), stored(one_comment))


def test_log2_add_does_not_overflow_far_from_the_epoch():
    far = trending.EPOCH + timedelta(days=365 * 300)
    assert math.isfinite(trending.score_after(trending.score_after(None, far, 1), far, 1))
