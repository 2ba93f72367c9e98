"""REST endpoints of health scores."""

from healthscores.api.backtest import BacktestSerializer, BacktestView
from healthscores.api.health import (
    AccountHealthDetailSerializer,
    AccountHealthSummarySerializer,
    AccountHealthView,
    AccountWithHealthSerializer,
    ComponentSerializer,
    CurrentHealthSerializer,
    HealthFilter,
    HealthListView,
    HistoryPointSerializer,
    ScorecardRefSerializer,
)
from healthscores.api.replay import (
    ScorecardPreviewCancelView,
    ScorecardPreviewRequestView,
    ScorecardPreviewView,
)

__all__ = [
    "AccountHealthDetailSerializer",
    "AccountHealthSummarySerializer",
    "AccountHealthView",
    "AccountWithHealthSerializer",
    "BacktestSerializer",
    "BacktestView",
    "ComponentSerializer",
    "CurrentHealthSerializer",
    "HealthFilter",
    "HealthListView",
    "HistoryPointSerializer",
    "ScorecardPreviewCancelView",
    "ScorecardPreviewRequestView",
    "ScorecardPreviewView",
    "ScorecardRefSerializer",
]
