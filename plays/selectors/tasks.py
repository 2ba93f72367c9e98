"""Reads of plays: an account's tasks, the cockpit, the manager view, the timeline hook.

Each runs a constant number of queries, whatever the size of the book.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from accounts.models import Account, User
from core.roles import Role
from healthscores.models import Band, HealthSnapshot
from plays.models import CockpitVisit, Play, Task, TaskComment

#: Rows shown per cockpit section (a day's work, not a report); the count says how many
#: there are, and the filter by kind or account narrows to the rest.
SECTION_ROWS = 20
#: How far back "changed band" looks.
BAND_CHANGE_DAYS = 7
RENEWAL_DAYS = 90
SECTIONS = ("overdue", "today", "week", "plays", "bands", "renewals")


def account_tasks(*, account: Account, user: Any) -> dict[str, Any]:
    """The account page's panel: open tasks first, then the latest closed (2 queries)."""
    tasks = (
        Task.objects.visible_to(user)
        .filter(account=account)
        .select_related("owner", "play__playbook")
    )
    open_tasks = list(tasks.filter(status=Task.Status.OPEN).order_by("due_on", "pk")[:100])
    closed = list(tasks.exclude(status=Task.Status.OPEN).order_by("-closed_at", "-pk")[:10])
    return {"open_tasks": open_tasks, "closed_tasks": closed}


def task_for_user(*, user: Any, task_id: int) -> Task:
    return Task.objects.visible_to(user).select_related("account", "owner").get(pk=task_id)


def task_owners() -> QuerySet[User]:
    """Who a task may go to."""
    return User.objects.filter(role__in=[Role.CSM, Role.ADMIN], is_active=True).order_by(
        "first_name", "last_name", "username"
    )


@dataclass
class Section:
    key: str
    rows: list[Any]
    count: int


@dataclass
class Cockpit:
    today: date
    week_end: date
    last_seen: datetime | None
    sections: dict[str, Section] = field(default_factory=dict)
    segments: list[str] = field(default_factory=list)


def _shown_band() -> Coalesce:
    """The band shown on a snapshot's day: an override, else the computed band."""
    return Coalesce(NullIf(F("override_band"), Value("")), F("band"))


def _book(user: Any, segment: str, account: str) -> QuerySet[Account]:
    accounts = Account.objects.filter(csm_owner=user)
    if segment:
        accounts = accounts.filter(segment=segment)
    if account:
        accounts = accounts.filter(name__icontains=account)
    return accounts


def cockpit(
    *, user: Any, kind: str = "", segment: str = "", account: str = "", mark_seen: bool = True
) -> Cockpit:
    """A CSM's day: their overdue tasks, today's and this week's, plays started on their
    accounts since they last looked, accounts of their book whose band changed in the
    last week, and renewals within 90 days with no open task nor running play.

    Nine queries whatever the book's size (counts in one aggregate, each list capped),
    plus one write recording this look.
    """
    today = timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    visit = CockpitVisit.objects.filter(user_id=user.pk).first()
    last_seen = visit.seen_at if visit else None
    result = Cockpit(today=today, week_end=week_end, last_seen=last_seen)
    book = _book(user, segment, account)
    wanted = {kind} if kind in SECTIONS else set(SECTIONS)

    tasks = (
        Task.objects.filter(owner=user, status=Task.Status.OPEN)
        .select_related("account", "play__playbook")
        .order_by("due_on", "pk")
    )
    if segment or account:
        tasks = tasks.filter(account__in=book)
    counts = tasks.aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        today=Count("pk", filter=Q(due_on=today)),
        week=Count("pk", filter=Q(due_on__gt=today, due_on__lte=week_end)),
    )
    buckets = {
        "overdue": Q(due_on__lt=today),
        "today": Q(due_on=today),
        "week": Q(due_on__gt=today, due_on__lte=week_end),
    }
    for key, bucket in buckets.items():
        if key in wanted:
            rows = list(tasks.filter(bucket)[:SECTION_ROWS])
            result.sections[key] = Section(key, rows, counts[key])

    if "plays" in wanted:
        since = last_seen or (timezone.now() - timedelta(days=7))
        plays = (
            Play.objects.filter(account__in=book, started_at__gt=since)
            .select_related("account", "playbook", "rule")
            .order_by("-started_at", "-pk")
        )
        new_plays = list(plays[: SECTION_ROWS + 1])
        result.sections["plays"] = Section("plays", new_plays[:SECTION_ROWS], len(new_plays))

    if "bands" in wanted:
        before = HealthSnapshot.objects.filter(
            account_id=OuterRef("pk"), day__lte=today - timedelta(days=BAND_CHANGE_DAYS)
        ).order_by("-day")
        changed = (
            book.filter(health__isnull=False)
            .annotate(
                band_before=Subquery(before.annotate(shown=_shown_band()).values("shown")[:1])
            )
            .filter(band_before__isnull=False)
            .exclude(band_before=F("health__effective_band"))
            .select_related("health")
            .order_by("name", "pk")
        )
        moved: list[Any] = list(changed[: SECTION_ROWS + 1])
        labels = dict(Band.choices)
        for account_row in moved:
            account_row.band_before_label = labels.get(account_row.band_before, "")
        result.sections["bands"] = Section("bands", moved[:SECTION_ROWS], len(moved))

    if "renewals" in wanted:
        open_task = Task.objects.filter(account_id=OuterRef("pk"), status=Task.Status.OPEN)
        running = Play.objects.filter(account_id=OuterRef("pk"), state=Play.State.ACTIVE)
        renewals = (
            book.filter(renews_on__gte=today, renews_on__lte=today + timedelta(days=RENEWAL_DAYS))
            .filter(~Exists(open_task), ~Exists(running))
            .select_related("health")
            .order_by("renews_on", "pk")
        )
        unplanned = list(renewals[: SECTION_ROWS + 1])
        result.sections["renewals"] = Section("renewals", unplanned[:SECTION_ROWS], len(unplanned))

    result.segments = list(
        Account.objects.filter(csm_owner=user)
        .exclude(segment="")
        .order_by("segment")
        .values_list("segment", flat=True)
        .distinct()
    )
    if mark_seen:
        CockpitVisit.objects.update_or_create(user_id=user.pk, defaults={"seen_at": timezone.now()})
    return result


@dataclass(frozen=True)
class ManagerRow:
    user: User
    open_tasks: int
    overdue: int
    plays_started: int
    plays_completed: int


def manager_overview(*, days: int = 30) -> list[ManagerRow]:
    """Per CSM: open and overdue tasks, plays started and completed on their accounts in
    the last ``days`` (one query: each count a correlated subquery, so no join
    multiplies another)."""
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=days)

    def count(qs: QuerySet[Any]) -> Subquery:
        return Subquery(qs.order_by().values("k").annotate(n=Count("pk")).values("n")[:1])

    tasks = Task.objects.filter(owner_id=OuterRef("pk"), status=Task.Status.OPEN).annotate(
        k=F("owner_id")
    )
    plays = Play.objects.filter(
        account__csm_owner_id=OuterRef("pk"), started_at__gte=since
    ).annotate(k=F("account__csm_owner_id"))
    users = (
        User.objects.filter(role=Role.CSM, is_active=True)
        .annotate(
            open_n=count(tasks),
            overdue_n=count(tasks.filter(due_on__lt=today)),
            started_n=count(plays),
            completed_n=count(plays.filter(state=Play.State.COMPLETED)),
        )
        .order_by("first_name", "last_name", "username")
    )
    return [
        ManagerRow(
            user=u,
            open_tasks=u.open_n or 0,
            overdue=u.overdue_n or 0,
            plays_started=u.started_n or 0,
            plays_completed=u.completed_n or 0,
        )
        for u in users
    ]


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to an account, as the account's timeline lists them."""

    at: datetime
    kind: str
    title: str
    url: str = ""
    actor: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def timeline_entries(
    *, account: Account, since: datetime | None = None, limit: int = 50
) -> list[TimelineEntry]:
    """Tasks created and closed, task comments, and plays started and finished on an
    account, newest first: what the account's timeline shows of plays (3 queries).

    ``since`` and ``limit`` let a paginated timeline ask for one page's worth.
    """
    tasks = Task.objects.filter(account=account).select_related("created_by", "closed_by")
    plays = Play.objects.filter(account=account).select_related("playbook", "started_by")
    comments = TaskComment.objects.filter(task__account=account).select_related("task", "author")
    if since is not None:
        tasks = tasks.filter(Q(created_at__gte=since) | Q(closed_at__gte=since))
        plays = plays.filter(Q(started_at__gte=since) | Q(finished_at__gte=since))
        comments = comments.filter(created_at__gte=since)
    entries: list[TimelineEntry] = []
    for task in tasks.order_by("-created_at")[:limit]:
        who = task.created_by.get_username() if task.created_by else ""
        entries.append(TimelineEntry(task.created_at, "task.created", task.title, actor=who))
        if task.closed_at:
            entries.append(
                TimelineEntry(
                    task.closed_at,
                    f"task.{task.status}",
                    task.title,
                    actor=task.closed_by.get_username() if task.closed_by else "",
                    extra={"reason": task.skip_reason},
                )
            )
    for play in plays.order_by("-started_at")[:limit]:
        entries.append(
            TimelineEntry(
                play.started_at,
                "play.started",
                play.playbook.name,
                actor=play.started_by.get_username() if play.started_by else "",
                extra={"cause": play.cause},
            )
        )
        if play.finished_at:
            entries.append(
                TimelineEntry(play.finished_at, f"play.{play.state}", play.playbook.name)
            )
    for comment in comments.order_by("-created_at")[:limit]:
        entries.append(
            TimelineEntry(
                comment.created_at,
                "task.comment",
                comment.task.title,
                actor=comment.author.get_username() if comment.author else "",
                extra={"body": comment.body},
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
