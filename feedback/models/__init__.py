from feedback.models.demand import IdeaDemand
from feedback.models.ideas import (
    Category,
    Comment,
    Follow,
    Idea,
    IdeaQuerySet,
    IdeaTicket,
    StatusChange,
    StatusLabel,
    Tag,
    Vote,
)

__all__ = [
    "Category",
    "Comment",
    "Follow",
    "Idea",
    "IdeaDemand",
    "IdeaQuerySet",
    "IdeaTicket",
    "StatusChange",
    "StatusLabel",
    "Tag",
    "Vote",
]
