"""Reads of plays: tasks, the cockpit, the manager view, the report, the timeline hook."""

from plays.selectors.report import PlaybookReport, playbook_report, playbooks_overview
from plays.selectors.tasks import (
    SECTIONS,
    Cockpit,
    ManagerRow,
    TimelineEntry,
    account_tasks,
    cockpit,
    manager_overview,
    task_for_user,
    task_owners,
    timeline_entries,
)

__all__ = [
    "SECTIONS",
    "Cockpit",
    "ManagerRow",
    "PlaybookReport",
    "TimelineEntry",
    "account_tasks",
    "cockpit",
    "manager_overview",
    "playbook_report",
    "playbooks_overview",
    "task_for_user",
    "task_owners",
    "timeline_entries",
]
