"""Writes of the roadmap: items, their place on the board, and what they do to ideas."""

from roadmap.services.roadmap import (
    ADVANCES_FROM,
    BOARD_LOCK_KEY,
    EDITABLE_FIELDS,
    Consequence,
    changelog_url,
    item_action_consequence,
    item_create,
    item_delete,
    item_link_consequence,
    item_link_ideas,
    item_move,
    item_publish,
    item_unlink_ideas,
    item_update,
    items_follow_merge,
)
from roadmap.services.undo import UndoPoint, item_undo, undoable

__all__ = [
    "ADVANCES_FROM",
    "BOARD_LOCK_KEY",
    "EDITABLE_FIELDS",
    "Consequence",
    "UndoPoint",
    "changelog_url",
    "item_action_consequence",
    "item_create",
    "item_delete",
    "item_link_consequence",
    "item_link_ideas",
    "item_move",
    "item_publish",
    "item_undo",
    "item_unlink_ideas",
    "item_update",
    "items_follow_merge",
    "undoable",
]
