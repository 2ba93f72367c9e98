"""Models of health scores, one module per concern."""

from healthscores.models.inputs import HealthOverride, Sentiment
from healthscores.models.scorecards import Scorecard, ScorecardMeasure, ScorecardVersion
from healthscores.models.snapshots import AccountHealth, Band, HealthSnapshot

__all__ = [
    "AccountHealth",
    "Band",
    "HealthOverride",
    "HealthSnapshot",
    "Scorecard",
    "ScorecardMeasure",
    "ScorecardVersion",
    "Sentiment",
]
