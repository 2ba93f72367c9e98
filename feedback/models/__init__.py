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
from feedback.models.risk import ProductRisk, ProductRiskAccount, RiskRule

__all__ = [
    "Category",
    "Comment",
    "Follow",
    "Idea",
    "IdeaDemand",
    "IdeaQuerySet",
    "IdeaTicket",
    "ProductRisk",
    "ProductRiskAccount",
    "RiskRule",
    "StatusChange",
    "StatusLabel",
    "Tag",
    "Vote",
]
