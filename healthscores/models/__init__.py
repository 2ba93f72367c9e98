"""Models of health scores, one module per concern."""

from healthscores.models.inputs import HealthOverride, Sentiment
from healthscores.models.scorecards import Scorecard, ScorecardMeasure, ScorecardVersion
from healthscores.models.snapshots import AccountHealth, Band, HealthSnapshot
from healthscores.models.totals import DailyHealthTotal

__all__ = [
    "AccountHealth",
    "Band",
    "DailyHealthTotal",
    "HealthOverride",
    "HealthSnapshot",
    "Scorecard",
    "ScorecardMeasure",
    "ScorecardVersion",
    "Sentiment",
]
