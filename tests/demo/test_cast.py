"""The demo's cast: pure, no database."""

import pytest

from demo.cast import DORMANT, ENGAGED, LATE, STUCK, cast


@pytest.mark.parametrize("seed", [1, 42, 2024])
@pytest.mark.parametrize("count", [1, 5, 20, 60, 300])
def test_the_cast_gives_every_story_a_part_whatever_the_seed(count, seed):
    parts = cast(count, seed)
    assert len(parts) == count
    assert parts[0].usage == ENGAGED  # the demo customer's account
    assert parts == cast(count, seed)
    if count >= 20:
        dormant = sum(part.usage == DORMANT for part in parts)
        # At least 10% red once one of them is overridden to yellow.
        assert dormant - 1 >= 0.1 * count
        assert [part.journey for part in parts].count(LATE) == 1
        assert [part.journey for part in parts].count(STUCK) == 1
        soon = [part for part in parts if part.renews_in is not None and part.renews_in <= 90]
        assert sum(part.usage == DORMANT for part in soon) >= 2
