"""Taking a roadmap action back before anyone is told of it.

An action that tells people (shipping a public item, moving it on, publishing it,
linking an idea to it) holds its notifications for the undo window
(``feedback.services.notification_hold``). Run inside ``undoable``, it also leaves an
``ItemUndo``: the item's place before, and the idea status changes it made. Within the
window its author may call ``item_undo``, which puts the item back, takes the status
changes back and cancels the held notifications, so nobody hears of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.deferral import deferring
from feedback.models import StatusChange
from feedback.services import notifications_still_held, status_changes_take_back
from feedback.services.pending import STATUS_CHANGES, notify_delay
from roadmap.models import ItemUndo, RoadmapItem
from roadmap.services.roadmap import lock_board, place_item


@dataclass
class UndoPoint:
    """Filled by ``undoable``: the undo left by the action, if it told anyone."""

    changes: set[int] = field(default_factory=set)
    undo: ItemUndo | None = None


@contextmanager
def undoable(*, item: RoadmapItem, actor: User) -> Iterator[UndoPoint]:
    """Run a roadmap action on ``item`` so that it can be undone within the window.

    One transaction around the action and its undo record, under the board lock taken
    first, so the place recorded is the one the action started from. Without a window
    (``FEEDBACK_NOTIFY_DELAY_SECONDS=0``) people are told at once and there is no undo.
    """
    point = UndoPoint()
    with transaction.atomic():
        lock_board()
        before = RoadmapItem.objects.get(pk=item.pk)
        with deferring(STATUS_CHANGES, flush=point.changes.update):
            yield point
        if point.changes and notify_delay().total_seconds() > 0:
            point.undo = ItemUndo.objects.create(
                item=before,
                actor=actor,
                column=before.column,
                position=before.position,
                is_public=before.is_public,
                status_changes=sorted(point.changes),
                expires_at=timezone.now() + notify_delay(),
            )


@transaction.atomic
def item_undo(*, token: str, actor: User) -> RoadmapItem:
    """Take back the action that left ``token``: only its author, only once, only
    while none of its people has been told, and only after any later action on the item
    was taken back (else a ValidationError says why)."""
    lock_board()
    undo = (
        ItemUndo.objects.select_for_update()
        .select_related("item")
        .filter(token=token, actor=actor)
        .first()
    )
    if undo is None:
        raise ValidationError(_("There is nothing to undo."), code="missing")
    if undo.undone_at is not None:
        raise ValidationError(_("That change was already undone."), code="undone")
    idea_ids = set(
        StatusChange.objects.filter(pk__in=undo.status_changes).values_list("idea_id", flat=True)
    )
    if undo.expires_at <= timezone.now() or not notifications_still_held(idea_ids):
        raise ValidationError(
            _("It is too late to undo that change: its people have been told."), code="told"
        )
    # Undone out of order, an earlier action would put the item back behind a later one
    # and leave its ideas where the later one took them, and its people would then be
    # told of a status the roadmap no longer shows. (Actions are recorded under the
    # board lock, so a higher id is a later action.)
    if ItemUndo.objects.filter(item=undo.item, undone_at__isnull=True, pk__gt=undo.pk).exists():
        raise ValidationError(_("A later change to this item must be undone first."), code="later")
    item, _moved = place_item(item=undo.item, column=undo.column, position=undo.position)
    if item.is_public != undo.is_public:
        item.is_public = undo.is_public
        item.save(update_fields=["is_public", "updated_at"])
    status_changes_take_back(change_ids=undo.status_changes)
    undo.undone_at = timezone.now()
    undo.save(update_fields=["undone_at"])
    return item
