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
    "IdeaQuerySet",
    "IdeaTicket",
    "StatusChange",
    "StatusLabel",
    "Tag",
    "Vote",
]
