"""Reads of health scores, one module per page or interface; import them from here."""

from healthscores.selectors.account import (
    HealthPanel,
    account_health_panel,
    active_override,
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

__all__ = [
    "DraftBacktest",
    "HealthPanel",
    "account_health_detail",
    "account_health_panel",
    "active_override",
    "at_risk_accounts",
    "divergent_accounts",
    "draft_backtest",
    "filter_by_health",
    "health_list",
    "health_summary",
    "no_health_match",
    "scorecard_backtest",
    "scorecard_for",
    "with_health",
]
