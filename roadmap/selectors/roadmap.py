"""Reads of the roadmap that depend on who asks: the public board, the changelog, the
editor's board and the ideas an editor can link. Each page is a fixed number of queries:
vote totals are summed in SQL and linked ideas are prefetched in one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from feedback.models import Idea, IdeaStatus
from roadmap.models import Column, ItemUndo, RoadmapItem

#: The public roadmap's "shipped" column shows what shipped in this many recent days…
SHIPPED_RECENT_DAYS = 90
#: …and at most this many items; the changelog has the rest.
SHIPPED_RECENT_LIMIT = 10
#: Ideas offered per search in the editor.
IDEA_SEARCH_LIMIT = 15


@dataclass(frozen=True)
class BoardColumn:
    key: str
    label: str
    items: list[RoadmapItem]


def _linked_ideas() -> Prefetch:
    """The ideas shown on a card: not merged ones (their votes live on in the target)."""
    ideas = (
        Idea.objects.exclude(status=IdeaStatus.MERGED)
        .only("pk", "title", "status", "vote_count")
        .order_by("-vote_count", "pk")
    )
    return Prefetch("ideas", queryset=ideas, to_attr="linked_ideas")


def with_cards(items: QuerySet[RoadmapItem]) -> QuerySet[RoadmapItem]:
    """Items with ``vote_total`` (sum of their linked ideas' votes, in SQL) and
    ``linked_ideas`` (prefetched): two queries for any number of items."""
    return items.annotate(
        vote_total=Coalesce(
            Sum("ideas__vote_count", filter=~Q(ideas__status=IdeaStatus.MERGED)), 0
        ),
        idea_total=Count("ideas", filter=~Q(ideas__status=IdeaStatus.MERGED)),
    ).prefetch_related(_linked_ideas())


def _columns(items: list[RoadmapItem]) -> list[BoardColumn]:
    return [
        BoardColumn(key=key, label=str(label), items=[item for item in items if item.column == key])
        for key, label in Column.choices
    ]


def public_board(*, user) -> list[BoardColumn]:
    """The public roadmap: planned and in-progress items, and what shipped lately.

    Drafts stay out even for product managers, so they see what customers see.
    """
    since = timezone.now().date() - timedelta(days=SHIPPED_RECENT_DAYS)
    base = with_cards(RoadmapItem.objects.public())
    upcoming = list(base.exclude(column=Column.SHIPPED).order_by("column", "position", "pk"))
    shipped = list(
        base.filter(column=Column.SHIPPED, shipped_on__gte=since).order_by("-shipped_on", "-pk")[
            :SHIPPED_RECENT_LIMIT
        ]
    )
    return _columns(upcoming + shipped)


def changelog_items() -> QuerySet[RoadmapItem]:
    """Shipped public items, newest first (served by the changelog's partial index)."""
    return with_cards(
        RoadmapItem.objects.public().filter(column=Column.SHIPPED, shipped_on__isnull=False)
    ).order_by("-shipped_on", "-pk")


def changelog_position(*, pk: int) -> int | None:
    """How many changelog entries come before item ``pk`` (None: not on the changelog)."""
    entries = RoadmapItem.objects.public().filter(column=Column.SHIPPED, shipped_on__isnull=False)
    item = entries.filter(pk=pk).values("shipped_on").first()
    if item is None:
        return None
    newer = Q(shipped_on__gt=item["shipped_on"]) | Q(shipped_on=item["shipped_on"], pk__gt=pk)
    return entries.filter(newer).count()


def feed_items(*, limit: int = 30) -> list[RoadmapItem]:
    return list(
        RoadmapItem.objects.public()
        .filter(column=Column.SHIPPED, shipped_on__isnull=False)
        .prefetch_related(_linked_ideas())
        .order_by("-shipped_on", "-pk")[:limit]
    )


def editor_board(*, user) -> list[BoardColumn]:
    """The editor's board: every item the user may see (drafts included), by position."""
    items = with_cards(RoadmapItem.objects.visible_to(user)).order_by("column", "position", "pk")
    return _columns(list(items))


def editor_item(*, user, pk: int) -> RoadmapItem:
    return get_object_or_404(RoadmapItem.objects.visible_to(user), pk=pk)


def idea_to_link(*, user, value: str | None) -> Idea | None:
    """The idea named by ``?link_idea=`` (from a product-risk flag), if it may be linked."""
    if not value or not value.isdigit():
        return None
    return Idea.objects.visible_to(user).on_board().filter(pk=int(value)).first()


def linkable_ideas(*, user, text: str, exclude: list[int] | None = None) -> list[Idea]:
    """Ideas an editor may link, matching ``text`` (any word), best first."""
    ideas = Idea.objects.visible_to(user).on_board()
    if exclude:
        ideas = ideas.exclude(pk__in=exclude)
    return list(
        ideas.matching(text, any_word=True).only("pk", "title", "status", "vote_count")[
            :IDEA_SEARCH_LIMIT
        ]
    )


def idea_roadmap(*, idea: Idea, user) -> dict[str, object]:
    """The roadmap items carrying ``idea`` that ``user`` may see, for the idea's page:
    its column, target quarter and whether it is public (one query)."""
    items = (
        RoadmapItem.objects.visible_to(user)
        .filter(ideas=idea)
        .only("pk", "title", "column", "target_quarter", "is_public", "shipped_on")
        .order_by("column", "position", "pk")
    )
    return {"roadmap_items": list(items)}


def put_on_roadmap_url(idea_pk: int) -> str:
    """The editor with its panel to put the idea on a new or an existing item."""
    return f"{reverse('roadmap:editor')}?link_idea={idea_pk}"


def open_undos(*, user) -> list[ItemUndo]:
    """The user's roadmap actions that can still be undone, newest first (the editor's
    "Undo" panel; one query)."""
    return list(
        ItemUndo.objects.filter(actor=user, undone_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("item")
        .order_by("-expires_at", "-pk")[:5]
    )
