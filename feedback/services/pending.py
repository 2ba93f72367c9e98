"""Holding idea notifications for the undo window, and telling people after it.

``notification_hold`` is where every idea event that tells people starts: instead of
queueing the fan-out, it writes (or rewrites) the idea's pending row. The delivery —
a beat task every minute, and a task queued for the end of each window for promptness —
claims the rows that fell due and hands them to ``feedback.notifications``, the one
place that raises the alerts (and their e-mails) downstream.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import i18n
from core.deferral import defer
from core.queue import queue_task_on_commit
from feedback import extensions, notifications
from feedback.models import Idea, PendingNotification, StatusChange
from feedback.selectors import statuses

State = PendingNotification.State

#: The deferral (``core.deferral``) to which ``idea_status_change`` reports the changes
#: it makes: an undoable action (the roadmap's) gathers them to take them back.
STATUS_CHANGES = "feedback.status_changes"
#: Rows claimed per transaction by the delivery.
DELIVERY_BATCH = 200
DELIVERY_TASK = "feedback.tasks.deliver_pending_notifications"
_PAYLOAD = ["event_key", "title", "body", "url", "actor_id", "send_after", "message_only"]


def notify_delay() -> timedelta:
    return timedelta(seconds=settings.FEEDBACK_NOTIFY_DELAY_SECONDS)


def status_event(*, idea: Idea, change: StatusChange) -> dict:
    """What an idea's people are told of ``change``: its key, title, body and link."""
    return {
        "event_key": f"idea-status:{change.pk}",
        "title": i18n.deferred(
            "“%(idea)s” is now %(status)s",
            idea=idea.title,
            status=statuses.label_deferred(change.to_status),
        ),
        "body": change.message,
        "url": reverse("feedback:idea", args=[idea.pk]),
    }


@transaction.atomic
def notification_hold(
    *,
    changes: Sequence[StatusChange],
    event_key: str,
    title: i18n.DeferredText | str,
    body: i18n.DeferredText | str,
    url: str,
    actor_id: int | None,
) -> None:
    """Hold one event's notification to the people of ``changes``' ideas until the
    window passes; a pending row of the same idea takes the new event (the final state
    is what people hear of) and waits a whole window again, so the latest change can
    still be undone.

    Called with the ideas locked (``idea_status_change`` selects them for update), so
    two writers cannot both create an idea's row: the per-idea constraint never fires.
    """
    if not changes:
        return
    send_after = timezone.now() + notify_delay()
    latest = {change.idea_id: change for change in changes}
    held = {
        row.idea_id: row
        for row in PendingNotification.objects.select_for_update().filter(
            idea_id__in=list(latest), state=State.PENDING
        )
    }
    new, rewritten = [], []
    for idea_id, change in latest.items():
        row = held.get(idea_id)
        if row is None:
            row = PendingNotification(idea_id=idea_id, status_before=change.from_status)
            new.append(row)
        else:
            rewritten.append(row)
        row.event_key, row.title, row.body, row.url = event_key, title, body, url
        row.actor_id, row.send_after = actor_id, send_after
        # A message without a new status is news in itself, even in the same status.
        row.message_only = change.from_status == change.to_status
    PendingNotification.objects.bulk_create(new)
    PendingNotification.objects.bulk_update(rewritten, [*_PAYLOAD, "updated_at"])
    queue_task_on_commit(DELIVERY_TASK, countdown=notify_delay().total_seconds())


def pending_notifications_deliver(*, now: datetime | None = None) -> int:
    """Tell people of every held notification that fell due; returns how many drafts
    were offered to the inbox. Idempotent and safe to run on several workers at once.

    Each batch is claimed with ``FOR UPDATE SKIP LOCKED`` — two workers take different
    rows, and an undo (which locks the rows it cancels) is either waited for or wins —
    and closed, told and committed in one transaction: a failure leaves the rows
    pending for the next run, and the inbox's (recipient, event) key makes sure that a
    retry tells no one twice. A row whose idea is back in the status it had when the
    window opened is closed without telling anyone: nothing changed, in the end.
    """
    offered = 0
    while True:
        moment = now or timezone.now()
        with transaction.atomic():
            rows = list(
                PendingNotification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=State.PENDING, send_after__lte=moment)
                .select_related("idea")
                .order_by("send_after", "pk")[:DELIVERY_BATCH]
            )
            if not rows:
                return offered
            events: dict[str, list[PendingNotification]] = {}
            for row in rows:
                changed = row.message_only or row.idea.status != row.status_before
                row.state = State.SENT if changed else State.CANCELLED
                row.closed_at = moment
                if changed:
                    events.setdefault(row.event_key, []).append(row)
            PendingNotification.objects.bulk_update(rows, ["state", "closed_at", "updated_at"])
            for event_key, told in events.items():
                offered += notifications.idea_event_notify(
                    idea_ids=sorted(row.idea_id for row in told),
                    event_key=event_key,
                    title=told[0].title,
                    body=told[0].body,
                    url=told[0].url,
                    actor_id=told[0].actor_id,
                )


def notifications_still_held(idea_ids: Iterable[int]) -> bool:
    """Whether every one of these ideas' notifications still waits (none told yet).
    Locks the rows: a delivery that claimed them is waited for, and then they are sent."""
    wanted = set(idea_ids)
    held = set(
        PendingNotification.objects.select_for_update()
        .filter(idea_id__in=wanted, state=State.PENDING)
        .values_list("idea_id", flat=True)
    )
    return held == wanted


@transaction.atomic
def status_changes_take_back(*, change_ids: Iterable[int]) -> list[int]:
    """Undo status changes nobody has been told of yet: each idea goes back to the
    status it had before them, the changes leave its public history (they never
    happened, as far as its people know), and its held notification is reconsidered.
    Returns the ideas touched. The caller checks ``notifications_still_held`` first."""
    changes = list(StatusChange.objects.filter(pk__in=list(change_ids)).order_by("-pk"))
    if not changes:
        return []
    ideas = Idea.objects.select_for_update().in_bulk({change.idea_id for change in changes})
    for change in changes:  # newest first: each idea ends at its oldest change's "from"
        idea = ideas[change.idea_id]
        if idea.status == change.to_status:
            idea.status = change.from_status
    StatusChange.objects.filter(pk__in=[change.pk for change in changes]).delete()
    Idea.objects.bulk_update(ideas.values(), ["status", "updated_at"])
    for idea in ideas.values():
        extensions.idea_status_changed(idea)
    _reconsider(ideas)
    return sorted(ideas)


def _reconsider(ideas: dict[int, Idea]) -> None:
    """After an undo, a held row tells of the idea's latest remaining change, or of
    nothing if the idea is back where its window started."""
    rows = list(
        PendingNotification.objects.select_for_update().filter(
            idea_id__in=list(ideas), state=State.PENDING
        )
    )
    for row in rows:
        idea = ideas[row.idea_id]
        latest = idea.status_changes.order_by("-created_at", "-pk").first()
        if idea.status == row.status_before or latest is None:
            row.state, row.closed_at = State.CANCELLED, timezone.now()
            row.save(update_fields=["state", "closed_at", "updated_at"])
            continue
        for name, value in status_event(idea=idea, change=latest).items():
            setattr(row, name, value)
        row.message_only = False
        row.save(update_fields=["event_key", "title", "body", "url", "message_only", "updated_at"])


def status_change_recorded(change: StatusChange) -> None:
    """Report a change to an open undoable action, if any (see ``STATUS_CHANGES``)."""
    defer(STATUS_CHANGES, [change.pk])
