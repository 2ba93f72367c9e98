"""Plays and tasks on the account timeline (``core.timeline``).

A play is an entry when it starts; a task when it is closed (done, skipped or no longer
needed), or when someone adds it by hand. The open steps of a play are not entries of
their own: the play's start already says they exist, and a play of five steps would
otherwise bury everything else on the page.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, User
from accounts.selectors.timeline import person
from core.timeline import TimelineEntry, TimelineSource, Window
from plays.models import Play, Task


def play_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    rows = window.apply(
        Play.objects.filter(account=account)
        .select_related("playbook", "started_by")
        .annotate(at=F("started_at")),
        kind="play",
        at="at",
    )
    url = reverse("accounts:detail", args=[account.pk]) + "#tasks"
    return [
        TimelineEntry(
            at=play.started_at,
            kind="play",
            id=play.pk,
            title=_("Play started: %(playbook)s") % {"playbook": play.playbook.name},
            detail=play.cause,
            actor=person(play.started_by),
            url=url,
        )
        for play in rows
    ]


def _task_title(task: Task) -> str:
    if task.status == Task.Status.DONE:
        return _("Task done: %(title)s") % {"title": task.title}
    if task.status == Task.Status.SKIPPED:
        return _("Task skipped: %(title)s") % {"title": task.title}
    return _("Task added: %(title)s") % {"title": task.title}


def task_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    rows = window.apply(
        Task.objects.filter(account=account)
        .filter(Q(closed_at__isnull=False) | Q(play__isnull=True))
        .select_related("closed_by", "created_by")
        .annotate(at=Coalesce("closed_at", "created_at")),
        kind="task",
        at="at",
    )
    return [
        TimelineEntry(
            at=task.at,
            kind="task",
            id=task.pk,
            title=_task_title(task),
            detail=task.skip_reason,
            actor=person(task.closed_by if task.closed_at else task.created_by),
            url=reverse("plays:task", args=[task.pk]),
            tone="green" if task.status == Task.Status.DONE else "",
        )
        for task in rows
    ]


PLAYS = TimelineSource(kind="play", label=gettext_lazy("Plays"), entries=play_entries, order=35)
TASKS = TimelineSource(kind="task", label=gettext_lazy("Tasks"), entries=task_entries, order=36)
