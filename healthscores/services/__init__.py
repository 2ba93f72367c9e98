"""Writes of health scores, one module per concern; import the functions from here."""

from healthscores.services.inputs import override_end, override_set, sentiment_set
from healthscores.services.recompute import (
    recompute_chunk,
    recompute_chunk_fail,
    recompute_create,
    recompute_now,
    recompute_request,
    recompute_run,
    today_utc,
)

__all__ = [
    "override_end",
    "override_set",
    "recompute_chunk",
    "recompute_chunk_fail",
    "recompute_create",
    "recompute_now",
    "recompute_request",
    "recompute_run",
    "sentiment_set",
    "today_utc",
]
