"""Reads of health scores, one module per page or concern; import the functions from here."""

from healthscores.selectors.account import (
    HealthPanel,
    account_health_panel,
    active_override,
    scorecard_for,
)

__all__ = ["HealthPanel", "account_health_panel", "active_override", "scorecard_for"]
