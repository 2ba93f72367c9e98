"""A history written from raw values is scored as the engine scores a day."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from healthscores import services
from healthscores.models import AccountHealth, DailyHealthTotal, HealthSnapshot, Scorecard
from tests.accounts.factories import AccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def _extreme(scorecard: Scorecard, best: bool) -> dict[str, float]:
    """Raw values that each of the scorecard's measures scores its best (or worst)."""
    draft = services.draft_of(scorecard, scorecard.measures.all())
    values = {}
    for measure in draft.measures:
        wanted = (max if best else min)(score for _raw, score in measure.points)
        values[measure.kind] = next(raw for raw, score in measure.points if score == wanted)
    return values


def test_past_days_are_scored_by_the_segments_scorecard_and_totalled():
    default = services.default_scorecard_ensure()
    enterprise = services.scorecard_create(segment="Enterprise", user=None)
    small, large = AccountFactory(segment="SMB"), AccountFactory(segment="Enterprise")
    day = services.today_utc() - timedelta(days=200)
    raw = pd.DataFrame(
        [
            {"account_id": small.pk, "day": day, **_extreme(default, best=True)},
            {"account_id": large.pk, "day": day, **_extreme(enterprise, best=False)},
            {"account_id": large.pk, "day": day + timedelta(days=1)},  # no data at all
        ]
    )

    assert services.history_write(raw) == 3

    green = HealthSnapshot.objects.get(account=small, day=day)
    assert (green.band, green.score, green.scorecard_id) == ("green", 100, default.pk)
    assert green.scorecard_version == default.version
    assert set(green.components) == {m.kind for m in default.measures.all()}
    red = HealthSnapshot.objects.get(account=large, day=day)
    assert (red.band, red.scorecard_id) == ("red", enterprise.pk)
    assert red.score is not None
    assert red.score < 10
    grey = HealthSnapshot.objects.get(account=large, day=day + timedelta(days=1))
    assert (grey.band, grey.score, grey.missing_weight) == ("grey", None, 1.0)
    total = DailyHealthTotal.objects.get(day=day)
    assert (total.score_sum, total.score_n) == (pytest.approx(100 + red.score), 2)
    assert DailyHealthTotal.objects.get(day=day + timedelta(days=1)).score_n == 0
    assert not AccountHealth.objects.exists()  # past days leave current health alone

    # Written again, the rows are replaced, not added.
    assert services.history_write(raw) == 3
    assert HealthSnapshot.objects.count() == 3


def test_nothing_to_write():
    assert services.history_write(pd.DataFrame(columns=["account_id", "day"])) == 0
