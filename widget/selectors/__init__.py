"""Reads of the widget, scoped to one widget session (its person and account)."""

from widget.selectors.guidance import (
    Checklist,
    ChecklistStep,
    Entry,
    WhatsNew,
    checklist,
    milestone_of_account,
    unread_count,
    whats_new,
)
from widget.selectors.setup import (
    DemoPerson,
    allowed_origins,
    demo_person,
    origin_is_allowed,
    widget_settings,
)

__all__ = [
    "Checklist",
    "ChecklistStep",
    "DemoPerson",
    "Entry",
    "WhatsNew",
    "allowed_origins",
    "checklist",
    "demo_person",
    "milestone_of_account",
    "origin_is_allowed",
    "unread_count",
    "whats_new",
    "widget_settings",
]
