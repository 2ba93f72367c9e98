"""Reads of the roadmap that depend on who asks: the public board, the changelog, the
editor's board and the ideas an editor can link. Each page is a fixed number of queries:
vote totals are summed in SQL and linked ideas are prefetched in one query."""

from roadmap.selectors.roadmap import (
    IDEA_SEARCH_LIMIT,
    SHIPPED_RECENT_DAYS,
    SHIPPED_RECENT_LIMIT,
    BoardColumn,
    changelog_items,
    changelog_position,
    editor_board,
    editor_item,
    feed_items,
    idea_roadmap,
    idea_to_link,
    linkable_ideas,
    open_undos,
    public_board,
    put_on_roadmap_url,
    with_cards,
)

__all__ = [
    "IDEA_SEARCH_LIMIT",
    "SHIPPED_RECENT_DAYS",
    "SHIPPED_RECENT_LIMIT",
    "BoardColumn",
    "changelog_items",
    "changelog_position",
    "editor_board",
    "editor_item",
    "feed_items",
    "idea_roadmap",
    "idea_to_link",
    "linkable_ideas",
    "open_undos",
    "public_board",
    "put_on_roadmap_url",
    "with_cards",
]
