"""Writes of health scores, one module per concern; import the functions from here."""

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
    "recompute_chunk",
    "recompute_chunk_fail",
    "recompute_create",
    "recompute_now",
    "recompute_request",
    "recompute_run",
    "today_utc",
]
