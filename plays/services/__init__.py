"""Writes of plays: tasks, plays, rules; the rule about who may do what lives here."""

from plays.services.editor import (
    playbook_save,
    rule_save,
)
from plays.services.plays import (
    PLAY_STARTERS,
    RULE_JOB_KINDS,
    RulesOutcome,
    play_cancel,
    play_start,
    rules_after_job,
    rules_evaluate,
    rules_evaluate_for_job,
)
from plays.services.tasks import (
    ALERT_KIND_OVERDUE,
    TASK_EDITORS,
    task_assign,
    task_comment,
    task_complete,
    task_create,
    task_keep,
    task_reschedule,
    task_skip,
    tasks_notify_overdue,
)

__all__ = [
    "ALERT_KIND_OVERDUE",
    "PLAY_STARTERS",
    "RULE_JOB_KINDS",
    "TASK_EDITORS",
    "RulesOutcome",
    "play_cancel",
    "play_start",
    "playbook_save",
    "rule_save",
    "rules_after_job",
    "rules_evaluate",
    "rules_evaluate_for_job",
    "task_assign",
    "task_comment",
    "task_complete",
    "task_create",
    "task_keep",
    "task_reschedule",
    "task_skip",
    "tasks_notify_overdue",
]
