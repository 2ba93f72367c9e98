"""Trending: recent activity counts most, and its weight halves every few days.

An idea's trending value is the sum over its activity of ``weight * 2**(-age / H)``. Stored
as is, it would have to be decayed for every idea every hour. Instead each idea keeps
``log2(sum(weight * 2**((t - EPOCH) / H)))``: every term decays by the same factor as time
passes, so the order of these stored values is the order of the true trending values at
any moment, and a vote only adds one term — an O(1) update in SQL, with no recount.
Adding in log space (log2(2**a + 2**b)) keeps the number small for centuries.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from django.db.models import F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Abs, Greatest, Log, Power

#: Days after which an activity counts half as much.
HALF_LIFE_DAYS = 3.0
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)

WEIGHT_IDEA = 1.0
WEIGHT_VOTE = 1.0
WEIGHT_COMMENT = 2.0


def activity_term(at: datetime, weight: float) -> float:
    """log2 of one activity's contribution, on the shared epoch scale."""
    days = (at - EPOCH).total_seconds() / 86_400
    return days / HALF_LIFE_DAYS + math.log2(weight)


def log2_add(a: float, b: float) -> float:
    """log2(2**a + 2**b) without overflow."""
    high, low = max(a, b), min(a, b)
    return high + math.log2(1 + 2 ** (low - high))


def score_after(score: float | None, at: datetime, weight: float) -> float:
    term = activity_term(at, weight)
    return term if score is None else log2_add(score, term)


def trend_update(at: datetime, weight: float, field: str = "trend_score") -> Combinable:
    """The SQL expression of ``score_after(field, at, weight)`` for an ``update()``."""
    term = Value(activity_term(at, weight))
    current = F(field)
    return Greatest(current, term) + Log(
        Value(2.0), Value(1.0) + Power(Value(2.0), -Abs(current - term))
    )
