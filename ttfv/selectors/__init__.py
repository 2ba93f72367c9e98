"""Reads of time to first value, one module per page or report."""

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
    "ReportChoices",
    "ReportFilters",
    "TtfvReport",
    "cohort_rows",
    "onboardings_frame",
    "report_filter_choices",
    "ttfv_report",
]
