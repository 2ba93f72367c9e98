"""Reads of product risk: the dashboard, a flag's page, blocked accounts, impact."""

from productrisk.selectors.flags import (
    IMPACT_FLAGS,
    TABS,
    account_risks,
    blocked_accounts,
    blocked_summary,
    dashboard_summary,
    demand_as_of,
    gaps_by_account,
    impact_report,
    resolved_risks,
    risk_evidence,
    risk_for_page,
    risk_history,
    risk_list,
    roadmap_items_of,
    with_risk_badge,
)

__all__ = [
    "IMPACT_FLAGS",
    "TABS",
    "account_risks",
    "blocked_accounts",
    "blocked_summary",
    "dashboard_summary",
    "demand_as_of",
    "gaps_by_account",
    "impact_report",
    "resolved_risks",
    "risk_evidence",
    "risk_for_page",
    "risk_history",
    "risk_list",
    "roadmap_items_of",
    "with_risk_badge",
]
