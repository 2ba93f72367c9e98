"""The hourly write limits: a true sliding hour, exact under concurrency, and a refused
or failed write leaves no trace."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from core.limits import RateLimited, consume, lifted, refusal
from core.models import RecentWrites
from tests.accounts.factories import UserFactory

HOUR = 3600.0


# --- The rule, without the database ------------------------------------------------------


def test_under_the_limit_a_write_goes():
    assert refusal([], now=10_000, limit=1) is None
    assert refusal([9_000, 9_500], now=10_000, limit=3) is None


def test_at_the_limit_the_wait_is_until_the_oldest_leaves_the_hour():
    assert refusal([9_000, 9_500], now=10_000, limit=2) == 9_000 + HOUR - 10_000


def test_times_older_than_an_hour_do_not_count():
    assert refusal([10_000 - HOUR, 9_999], now=10_000, limit=2) is None


def test_after_the_limit_was_lowered_the_wait_frees_just_one_place():
    times = [1_000, 2_000, 3_000, 4_000]  # four writes; the limit is now two
    assert refusal(times, now=4_500, limit=2) == 3_000 + HOUR - 4_500


def test_a_wait_is_never_zero():
    assert refusal([10_000 - HOUR + 0.2], now=10_000, limit=1) == 1


# --- Through the database -----------------------------------------------------------------


def _consume(user, limit=2):
    consume(user=user, action="test", limit=limit, message="Too many.")


@pytest.mark.django_db
def test_a_limit_slides_with_the_clock():
    user = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _consume(user)
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        _consume(user)
        with pytest.raises(RateLimited) as refused:
            _consume(user)
    assert refused.value.retry_after == 30 * 60  # the first leaves the hour then
    with time_machine.travel(start + timedelta(minutes=60, seconds=1), tick=False):
        _consume(user)  # the first one left the window
        with pytest.raises(RateLimited):
            _consume(user)


@pytest.mark.django_db
def test_a_refused_write_and_a_failed_write_are_not_counted():
    user = UserFactory()
    _consume(user, limit=1)
    with pytest.raises(RateLimited):
        _consume(user, limit=1)
    other = UserFactory()

    def failing_write():
        with transaction.atomic():
            _consume(other, limit=1)
            raise ValueError("the write this counted failed")

    with pytest.raises(ValueError, match="failed"):
        failing_write()  # its transaction rolls the count back
    _consume(other, limit=1)
    assert len(RecentWrites.objects.get(user=user).times) == 1
    assert len(RecentWrites.objects.get(user=other).times) == 1


@pytest.mark.django_db
def test_limits_are_per_person_and_per_kind():
    one, two = UserFactory(), UserFactory()
    _consume(one, limit=1)
    _consume(two, limit=1)
    consume(user=one, action="other", limit=1, message="Too many.")
    assert RecentWrites.objects.count() == 3


@pytest.mark.django_db
def test_inside_lifted_nothing_is_limited_or_counted():
    user = UserFactory()
    with lifted():
        for _ in range(5):
            _consume(user, limit=1)
    assert not RecentWrites.objects.exists()
    _consume(user, limit=1)  # outside again: counted and limited
    with pytest.raises(RateLimited):
        _consume(user, limit=1)
