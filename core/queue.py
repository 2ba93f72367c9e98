"""Queueing Celery tasks by name, so that services never import the tasks that call them.

A task module imports its app's services at the top (a task is a thin wrapper around a
service); a service that queues follow-up work names the task instead of importing it,
so the two never import each other. The task is looked up in the Celery app's registry,
which keeps ``task_always_eager`` (the embedded mode and the tests) working: the task
then runs in this process, as if a worker had taken it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from celery import Task, current_app
from django.db import transaction


def task_named(name: str) -> Task:
    """The task registered as ``name`` (``"<app>.tasks.<function>"``). A web process
    registers an app's tasks when its tasks module is first imported (workers import
    them all at start), so this imports it by name when needed."""
    if name not in current_app.tasks:
        import_module(name.rpartition(".")[0])
    return current_app.tasks[name]


def queue_task(name: str, *args: Any, countdown: float | None = None, **kwargs: Any) -> None:
    """Queue the task registered as ``name`` now."""
    task_named(name).apply_async(args=args, kwargs=kwargs, countdown=countdown)


def queue_task_on_commit(
    name: str, *args: Any, countdown: float | None = None, **kwargs: Any
) -> None:
    """Queue the task once the current transaction commits, so the worker finds the rows
    it is given (ids, never model instances), and a rolled-back change queues nothing."""
    transaction.on_commit(lambda: queue_task(name, *args, countdown=countdown, **kwargs))
