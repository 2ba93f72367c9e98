"""Reads of time to first value (the dashboard, one account's onboarding)."""

from ttfv.selectors.account import (
    AccountOnboarding,
    TimelineStep,
    account_onboarding,
    milestone_or_404,
)
from ttfv.selectors.dashboard import (
    SORTS,
    DashboardChoices,
    DashboardRow,
    StatusCount,
    dashboard_filter_choices,
    dashboard_rows,
    onboarding_accounts,
    status_counts,
)

__all__ = [
    "SORTS",
    "AccountOnboarding",
    "DashboardChoices",
    "DashboardRow",
    "StatusCount",
    "TimelineStep",
    "account_onboarding",
    "dashboard_filter_choices",
    "dashboard_rows",
    "milestone_or_404",
    "onboarding_accounts",
    "status_counts",
]
