"""Writes of the roadmap: items, their place on the board, and what they do to ideas.

The roadmap speaks to customers through its *public* items only. A draft can be moved,
linked and even shipped without anyone hearing of it; publishing it brings its ideas in
line with its column (and ships them, if it is shipped). Idea statuses only ever move
forward because of the roadmap: moving an item back from "in progress" to "planned" or
out of "shipped" changes the item, not what customers were already told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import i18n
from core.markdown import render_markdown
from feedback.models import Idea, IdeaStatus
from feedback.selectors.audience import audience_size
from feedback.services import idea_status_change, notification_hold
from roadmap.models import Column, RoadmapItem

#: The idea statuses a column moves linked ideas on from (forward only).
ADVANCES_FROM: dict[str, frozenset[str]] = {
    Column.PLANNED: frozenset({IdeaStatus.OPEN, IdeaStatus.UNDER_REVIEW}),
    Column.IN_PROGRESS: frozenset({IdeaStatus.OPEN, IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED}),
    Column.SHIPPED: frozenset(
        {IdeaStatus.OPEN, IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS}
    ),
}
#: Key of the PostgreSQL advisory lock that serialises roadmap writes ("RDMP" in ASCII).
BOARD_LOCK_KEY = 0x52444D50
#: Text fields an editor may change with ``item_update``.
EDITABLE_FIELDS = ("title", "description", "target_quarter")


def changelog_url(item: RoadmapItem) -> str:
    """Where a shipped item is announced: its lasting changelog address."""
    return reverse("roadmap:changelog_entry", args=[item.pk])


# --- Items -----------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    title: str,
    actor: User | None,
    description: str = "",
    column: str = Column.PLANNED,
    target_quarter: str = "",
    is_public: bool = False,
    ideas: Iterable[Idea] = (),
) -> RoadmapItem:
    """Add an item at the end of ``column``; a public one moves its ideas along."""
    lock_board()
    rows = _column_rows([column])
    item = RoadmapItem(
        title=title.strip(),
        description=description,
        description_html=render_markdown(description),
        column=column,
        position=len(rows),
        target_quarter=target_quarter,
        is_public=is_public,
        shipped_on=_today() if column == Column.SHIPPED else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    item.full_clean()
    item.save()
    if ideas:
        item_link_ideas(item=item, ideas=ideas, actor=actor)
    return item


@transaction.atomic
def item_update(
    *,
    item: RoadmapItem,
    actor: User | None,
    column: str | None = None,
    is_public: bool | None = None,
    ideas: Iterable[Idea] | None = None,
    **fields: str,
) -> RoadmapItem:
    """Save the editor's form: text fields, and through the services below the column
    (moved to its end), the public flag and the linked ideas (``None``: leave as is).

    Order matters for the people behind the ideas: links removed first, so those ideas
    are not moved; new links last, so each new idea follows the item's final column in
    one status change rather than two.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"item_update() cannot change {', '.join(sorted(unknown))}")
    lock_board()
    item = RoadmapItem.objects.get(pk=item.pk)
    wanted: set[int] | None = None
    if ideas is not None:
        wanted = {idea.pk for idea in ideas}
        linked = set(item.ideas.values_list("pk", flat=True))
        gone = linked - wanted
        if gone:
            item_unlink_ideas(item=item, ideas=Idea.objects.filter(pk__in=gone))
        wanted -= linked
    for name, value in fields.items():
        setattr(item, name, value)
    if "description" in fields:
        item.description_html = render_markdown(item.description)
    if "title" in fields:
        item.title = item.title.strip()
    item.full_clean()
    item.save()
    if column is not None and column != item.column:
        item = item_move(item=item, column=column, position=None, actor=actor)
    if is_public is not None and is_public != item.is_public:
        item = item_publish(item=item, public=is_public, actor=actor)
    if wanted:
        item_link_ideas(item=item, ideas=Idea.objects.filter(pk__in=wanted), actor=actor)
    return item


@transaction.atomic
def item_delete(*, item: RoadmapItem) -> None:
    """Remove an item; the rest of its column closes the gap. Ideas keep their status."""
    lock_board()
    column = RoadmapItem.objects.get(pk=item.pk).column
    RoadmapItem.objects.filter(pk=item.pk).delete()
    _renumber(list(RoadmapItem.objects.filter(column=column).order_by("position", "pk")))


# --- The board -------------------------------------------------------------------------


@transaction.atomic
def item_move(
    *, item: RoadmapItem, column: str, position: int | None = None, actor: User | None = None
) -> RoadmapItem:
    """Put ``item`` at ``position`` (clamped; ``None`` = last) of ``column``.

    The positions of the column(s) involved are rewritten to 0..n-1 in one go, under the
    board lock, so two editors moving cards at once cannot leave gaps or ties.
    Into "shipped" stamps today's date and ships the item; out of it clears the date.
    """
    if column not in Column.values:
        raise ValueError(f"unknown column {column!r}")
    lock_board()
    item, changed_column = place_item(item=item, column=column, position=position)
    if changed_column:
        _sync_ideas(item=item, ideas=list(item.ideas.all()), actor=actor)
    return item


def place_item(*, item: RoadmapItem, column: str, position: int | None) -> tuple[RoadmapItem, bool]:
    """Put the item at ``position`` of ``column`` without touching its ideas (the move
    itself, and its undo); the caller holds the board lock. Returns the item and whether
    it changed column."""
    item = RoadmapItem.objects.get(pk=item.pk)
    source = item.column
    rows = _column_rows({source, column})
    target = [row for row in rows if row.column == column and row.pk != item.pk]
    index = len(target) if position is None else max(0, min(position, len(target)))
    target.insert(index, item)
    changed_column = source != column
    if changed_column:
        item.column = column
        item.shipped_on = _today() if column == Column.SHIPPED else None
        item.save(update_fields=["column", "shipped_on", "updated_at"])
        _renumber([row for row in rows if row.column == source and row.pk != item.pk])
    _renumber(target)
    item.position = index
    return item, changed_column


@transaction.atomic
def item_publish(*, item: RoadmapItem, public: bool, actor: User | None = None) -> RoadmapItem:
    """Show or hide an item on the public pages. Publishing tells the ideas' people
    what the item means for them, as if it had just arrived in its column."""
    lock_board()
    item = RoadmapItem.objects.get(pk=item.pk)
    if item.is_public == public:
        return item
    item.is_public = public
    item.save(update_fields=["is_public", "updated_at"])
    if public:
        _sync_ideas(item=item, ideas=list(item.ideas.all()), actor=actor)
    return item


# --- What an action would do --------------------------------------------------------


@dataclass(frozen=True)
class Consequence:
    """What moving or publishing an item would do to people, before it is done: the
    confirmation an editor answers before anyone is told or public content goes."""

    #: Linked ideas whose status the action would move on (and announce).
    ideas: int
    #: People who would be told: voters, followers and their CSMs, each once.
    people: int
    #: Whether it takes an item off the public roadmap and changelog.
    hides_public: bool

    @property
    def needs_confirmation(self) -> bool:
        return self.people > 0 or self.hides_public


def item_action_consequence(
    *,
    item: RoadmapItem,
    actor_id: int | None,
    column: str | None = None,
    public: bool | None = None,
) -> Consequence:
    """What ``item_move(column=…)`` or ``item_publish(public=…)`` would do now.

    The same rule as ``_sync_ideas``: only a public item moves its ideas, only forward,
    and only into another column or on being published; so reordering a column or
    moving a draft tells no one and needs no confirmation. ``actor_id`` is who would
    act: not told of their own action, so not counted.
    """
    after_public = item.is_public if public is None else public
    after_column = item.column if column is None else column
    hides_public = item.is_public and not after_public
    changes = (column is not None and column != item.column) or (
        public is True and not item.is_public
    )
    idea_ids: list[int] = []
    if after_public and changes:
        idea_ids = _advancing(item.ideas.all(), column=after_column)
    return Consequence(
        ideas=len(idea_ids),
        people=audience_size(idea_ids, actor_id=actor_id),
        hides_public=hides_public,
    )


def item_link_consequence(
    *, item: RoadmapItem, ideas: Iterable[Idea], actor_id: int | None
) -> Consequence:
    """What ``item_link_ideas(ideas=…)`` would do now: a public item moves the newly
    linked ideas on to its column (``_sync_ideas``) and tells their people, so linking
    is asked like a move. Ideas already on the item, or merged ones (linked as their
    target), are counted as ``item_link_ideas`` would link them."""
    idea_ids: list[int] = []
    if item.is_public:
        pks = {idea.merged_into_id or idea.pk for idea in ideas}
        pks -= set(item.ideas.values_list("pk", flat=True))
        idea_ids = _advancing(Idea.objects.filter(pk__in=pks), column=item.column)
    return Consequence(
        ideas=len(idea_ids),
        people=audience_size(idea_ids, actor_id=actor_id),
        hides_public=False,
    )


def _advancing(ideas: QuerySet[Idea], *, column: str) -> list[int]:
    """The ideas among ``ideas`` that an item in ``column`` would move on (forward only,
    never a merged one): the rule of ``_sync_ideas`` behind every confirmation's count."""
    return list(ideas.filter(status__in=ADVANCES_FROM[column]).values_list("pk", flat=True))


# --- Linked ideas ----------------------------------------------------------------------


@transaction.atomic
def item_link_ideas(
    *, item: RoadmapItem, ideas: Iterable[Idea], actor: User | None = None
) -> list[Idea]:
    """Link ideas to the item; returns the newly linked ones. A merged idea is linked
    as its target (the merge moved its votes and followers there)."""
    lock_board()
    item = RoadmapItem.objects.get(pk=item.pk)
    pks = {idea.merged_into_id or idea.pk for idea in ideas}
    pks -= set(item.ideas.values_list("pk", flat=True))
    new = list(Idea.objects.filter(pk__in=pks).exclude(status=IdeaStatus.MERGED).order_by("pk"))
    if new:
        item.ideas.add(*new)
        _sync_ideas(item=item, ideas=new, actor=actor)
    return new


@transaction.atomic
def item_unlink_ideas(*, item: RoadmapItem, ideas: Iterable[Idea]) -> None:
    """Unlink ideas; their statuses stay what they are (a PM changes them in triage)."""
    lock_board()
    item.ideas.remove(*ideas)


# --- Internals -------------------------------------------------------------------------


def _today() -> date:
    """Ship dates are UTC calendar days, like every date the platform stores."""
    return timezone.now().date()


def lock_board() -> None:
    """Serialise the roadmap's writers until the transaction ends.

    Positions are a property of whole columns (dense 0..n-1), and an item being created
    has no row to lock yet, so row locks cannot protect them; one transaction-scoped
    advisory lock can, and roadmap edits are rare enough that serialising them costs
    nothing. Taking it first in every service also gives one lock order: no deadlocks
    between a move, an edit and a delete of the same item. SQLite serialises writers
    itself. Re-entrant: nested services take it again at no cost.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BOARD_LOCK_KEY])


def _column_rows(columns: Iterable[str]) -> list[RoadmapItem]:
    """The rows of ``columns`` in board order (read under the board lock)."""
    return list(
        RoadmapItem.objects.filter(column__in=list(columns))
        .order_by("position", "pk")
        .only("pk", "column", "position")
    )


def _renumber(rows: list[RoadmapItem]) -> None:
    """Give ``rows`` the positions 0..n-1 in list order, writing only what changed."""
    changed = []
    for index, row in enumerate(rows):
        if row.position != index:
            row.position = index
            changed.append(row)
    if changed:
        RoadmapItem.objects.bulk_update(changed, ["position"])


def _sync_ideas(*, item: RoadmapItem, ideas: list[Idea], actor: User | None) -> None:
    """Bring ``ideas`` up to the item's column, if the item is public."""
    if not item.is_public or not ideas:
        return
    if item.column == Column.SHIPPED:
        _ship(item=item, ideas=ideas, actor=actor)
        return
    statuses = ADVANCES_FROM[item.column]
    target = IdeaStatus.PLANNED if item.column == Column.PLANNED else IdeaStatus.IN_PROGRESS
    if item.column == Column.PLANNED:
        message = _("It is on our roadmap: “%(item)s”.") % {"item": item.title}
    else:
        message = _("We are working on it: “%(item)s”.") % {"item": item.title}
    for idea in _current(ideas):
        if idea.status in statuses:
            idea_status_change(idea=idea, status=target, actor=actor, message=message)


def _ship(*, item: RoadmapItem, ideas: list[Idea], actor: User | None) -> None:
    """Ship the open ideas among ``ideas`` and tell their people once, for the item,
    after the undo window (``notification_hold``).

    One event per item: its key names the item, so a person behind two of its ideas
    (or behind an idea linked after the item shipped) hears of it once, and a retried
    task adds nothing.
    """
    message = _("Shipped with “%(item)s”.") % {"item": item.title}
    shipped = []
    for idea in _current(ideas):
        if idea.status in ADVANCES_FROM[Column.SHIPPED]:
            change = idea_status_change(
                idea=idea, status=IdeaStatus.SHIPPED, actor=actor, message=message, notify=False
            )
            if change is not None:
                shipped.append((idea, change))
    if not shipped:
        return
    notification_hold(
        changes=[change for _idea, change in shipped],
        event_key=f"roadmap-shipped:{item.pk}",
        title=i18n.deferred("Shipped: %(item)s", item=item.title),
        body=i18n.deferred(
            "You asked for it: %(ideas)s",
            ideas=", ".join(f"“{idea.title}”" for idea, _change in shipped),
        ),
        url=changelog_url(item),
        actor_id=getattr(actor, "pk", None),
    )


def _current(ideas: list[Idea]) -> list[Idea]:
    """The ideas as stored now (a caller's instances may be stale), in a stable order."""
    return list(Idea.objects.filter(pk__in=[idea.pk for idea in ideas]).order_by("pk"))


def items_follow_merge(*, source: Idea, target: Idea) -> None:
    """The roadmap items carrying a merged duplicate carry the idea it went into too
    (called by ``idea_merge`` in its transaction). The target's status is left as it
    is: moving it is the PM's call, from triage or the editor."""
    item_ids = list(source.roadmap_items.values_list("pk", flat=True))
    if item_ids:
        target.roadmap_items.add(*item_ids)
