"""Celery entry points of plays: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from plays.services import rules_evaluate_for_job, tasks_notify_overdue


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def evaluate_rules(job_id: int) -> int:
    """The rules over a finished recompute's accounts. Safe to retry: a play starts once
    (unique index) and at most once per rule's cool-down."""
    outcome = rules_evaluate_for_job(job_id=job_id)
    return outcome.started if outcome else 0


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def notify_overdue_tasks() -> int:
    """Tell owners about their overdue tasks, once each."""
    return tasks_notify_overdue()
