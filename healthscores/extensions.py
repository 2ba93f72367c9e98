"""Extension points through which the apps built on ``healthscores`` add measures.

A measure is registered with the family of raw values that computes it (one SQL
aggregate for a whole chunk of accounts) and where the account page shows its data; the
TTFV app adds "time to first value" this way from its ``AppConfig.ready``. The registry
itself lives in :mod:`healthscores.measures`; this module is what other apps import.
"""

from healthscores.measures import (
    HIGHER,
    LOWER,
    Evidence,
    Family,
    MeasureType,
    register_evidence,
    register_family,
    register_measure,
)
from healthscores.raw_values import RawContext

__all__ = [
    "HIGHER",
    "LOWER",
    "Evidence",
    "Family",
    "MeasureType",
    "RawContext",
    "register_evidence",
    "register_family",
    "register_measure",
]
