"""The health demo shows every feature with true data: history, divergence, an override."""

from __future__ import annotations

import pytest

from demo.cast import DORMANT
from demo.services.accounts import cast_of, seed_demo
from demo.services.health import KEY_EVENTS, seed_health_demo
from healthscores import services
from healthscores.models import AccountHealth, HealthOverride, HealthSnapshot, Scorecard

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def test_health_demo_builds_weeks_of_history_with_its_showcases():
    seed_demo(accounts=20, seed=3)
    summary = seed_health_demo(seed=3, days=10)
    today = services.today_utc()
    assert HealthSnapshot.objects.count() == 20 * 10
    assert AccountHealth.objects.filter(day=today).count() == 20
    assert set(AccountHealth.objects.values_list("effective_band", flat=True)) == {
        "red",
        "yellow",
        "green",
    }
    # Every dormant account is red by its score, whatever the day; one is overridden.
    dormant = [pk for pk, part in cast_of(3).items() if part.usage == DORMANT]
    health = AccountHealth.objects.filter(account__in=dormant)
    assert set(health.values_list("band", flat=True)) == {"red"}
    red = AccountHealth.objects.filter(effective_band="red").count()
    assert red >= 0.1 * 20
    assert health.filter(divergent=True).count() == 1
    assert HealthOverride.objects.count() == summary.overrides == 1
    assert AccountHealth.objects.get(is_override=True).account_id in dormant
    assert Scorecard.objects.get(segment="").key_events == KEY_EVENTS
    assert Scorecard.objects.filter(segment="Enterprise").exists()

    again = seed_health_demo(seed=3, days=10)
    assert again == summary
    assert HealthSnapshot.objects.count() == 20 * 10
