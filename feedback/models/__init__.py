"""Models of the board: ideas, votes, comments, follows, statuses and stored demand."""

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
from feedback.models.pending import PendingNotification
from feedback.statuses import VOTABLE_STATUSES, IdeaStatus

__all__ = [
    "VOTABLE_STATUSES",
    "Category",
    "Comment",
    "Follow",
    "Idea",
    "IdeaDemand",
    "IdeaQuerySet",
    "IdeaStatus",
    "IdeaTicket",
    "PendingNotification",
    "StatusChange",
    "StatusLabel",
    "Tag",
    "Vote",
]
