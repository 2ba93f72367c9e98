"""Models of health scores, one module per concern."""

from healthscores.models.inputs import HealthOverride, Sentiment
from healthscores.models.runs import RecomputeChunk, RecomputeRun
from healthscores.models.scorecards import Scorecard, ScorecardMeasure, ScorecardVersion
from healthscores.models.snapshots import AccountHealth, Band, HealthSnapshot

__all__ = [
    "AccountHealth",
    "Band",
    "HealthOverride",
    "HealthSnapshot",
    "RecomputeChunk",
    "RecomputeRun",
    "Scorecard",
    "ScorecardMeasure",
    "ScorecardVersion",
    "Sentiment",
]
