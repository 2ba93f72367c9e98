"""Reads of health scores, one module per page or interface; import them from here."""

from healthscores.selectors.account import (
    HealthPanel,
    account_health_panel,
    active_override,
    picked_comparison,
    scorecard_for,
)
from healthscores.selectors.api import account_health_detail, health_list
from healthscores.selectors.backtest import DraftBacktest, draft_backtest, scorecard_backtest
from healthscores.selectors.portfolio import (
    at_risk_accounts,
    divergent_accounts,
    filter_by_health,
    health_summary,
    no_health_match,
    with_health,
)
from healthscores.selectors.replay import (
    Figures,
    ReplayedBacktest,
    ScorecardReplay,
    scorecard_replay,
)
from healthscores.totals import health_totals_between, scored_snapshots

__all__ = [
    "DraftBacktest",
    "Figures",
    "HealthPanel",
    "ReplayedBacktest",
    "ScorecardReplay",
    "account_health_detail",
    "account_health_panel",
    "active_override",
    "at_risk_accounts",
    "divergent_accounts",
    "draft_backtest",
    "filter_by_health",
    "health_list",
    "health_summary",
    "health_totals_between",
    "no_health_match",
    "picked_comparison",
    "scorecard_backtest",
    "scorecard_for",
    "scorecard_replay",
    "scored_snapshots",
    "with_health",
]
