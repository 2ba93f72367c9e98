"""Queueing Celery tasks by name, so that services never import the tasks that call them.

A task module imports its app's services at the top (a task is a thin wrapper around a
service); a service that queues follow-up work names the task instead of importing it,
so the two never import each other. The task is looked up in the Celery app's registry,
which keeps ``task_always_eager`` (the embedded mode and the tests) working: the task
then runs in this process, as if a worker had taken it.

Sending never raises. The work a message stands for is recorded in the database first
(a queued job row), and a beat task sends again what no worker picked up: a broker that
is away delays work, it never loses it, and it never turns a committed request into an
error. A failed send is logged and reported as False.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import import_module
from typing import Any

from celery import Task, current_app
from django.db import transaction

logger = logging.getLogger(__name__)

#: How hard one send tries before giving up (the outbox sends again later): a request
#: waits about half a second on a broker that is away, not the default's minutes.
PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}


def task_named(name: str) -> Task:
    """The task registered as ``name`` (``"<app>.tasks.<function>"``). A web process
    registers an app's tasks when its tasks module is first imported (workers import
    them all at start), so this imports it by name when needed."""
    if name not in current_app.tasks:
        import_module(name.rpartition(".")[0])
    return current_app.tasks[name]


def queue_task(name: str, *args: Any, countdown: float | None = None, **kwargs: Any) -> bool:
    """Send the task registered as ``name`` now; False (logged) when the broker refused.

    Where tasks run inline (``task_always_eager``) the task runs here and its errors
    propagate, as a worker's would be recorded."""
    task = task_named(name)
    if current_app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
        return True
    try:
        task.apply_async(
            args=args, kwargs=kwargs, countdown=countdown, retry_policy=PUBLISH_RETRY_POLICY
        )
    except Exception as exc:  # the broker is away: the caller's outbox sends it later
        logger.warning("Could not send %s%s to the broker: %s", name, args or kwargs, exc)
        return False
    return True


def queue_task_on_commit(
    name: str,
    *args: Any,
    countdown: float | None = None,
    on_sent: Callable[[], None] | None = None,
    **kwargs: Any,
) -> None:
    """Send the task once the current transaction commits, so the worker finds the rows
    it is given (ids, never model instances), and a rolled-back change queues nothing.
    ``on_sent`` runs once the broker took the message (an outbox marks its row sent)."""

    def send() -> None:
        if queue_task(name, *args, countdown=countdown, **kwargs) and on_sent is not None:
            on_sent()

    transaction.on_commit(send)
