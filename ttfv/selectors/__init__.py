"""Reads of time to first value, one module per page or report; import them from here."""

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
from ttfv.selectors.guidance import (
    GUIDANCE_DEFAULT_DAYS,
    GuidanceChoices,
    GuidanceFilters,
    GuidanceReport,
    guidance_filter_choices,
    guidance_frame,
    guidance_report,
)
from ttfv.selectors.reports import (
    ReportChoices,
    ReportFilters,
    TtfvReport,
    cohort_rows,
    onboardings_frame,
    report_filter_choices,
    ttfv_report,
)

__all__ = [
    "GUIDANCE_DEFAULT_DAYS",
    "SORTS",
    "AccountOnboarding",
    "DashboardChoices",
    "DashboardRow",
    "GuidanceChoices",
    "GuidanceFilters",
    "GuidanceReport",
    "ReportChoices",
    "ReportFilters",
    "StatusCount",
    "TimelineStep",
    "TtfvReport",
    "account_onboarding",
    "cohort_rows",
    "dashboard_filter_choices",
    "dashboard_rows",
    "guidance_filter_choices",
    "guidance_frame",
    "guidance_report",
    "milestone_or_404",
    "onboarding_accounts",
    "onboardings_frame",
    "report_filter_choices",
    "status_counts",
    "ttfv_report",
]
