"""REST endpoints of the roadmap."""

from roadmap.api.roadmap import (
    COLUMN_ORDER,
    FORBIDDEN,
    NOT_FOUND,
    EditorsWrite,
    LinkedIdeaSerializer,
    MoveSerializer,
    RoadmapFilter,
    RoadmapItemSerializer,
    RoadmapItemViewSet,
    RoadmapItemWriteSerializer,
)

__all__ = [
    "COLUMN_ORDER",
    "FORBIDDEN",
    "NOT_FOUND",
    "EditorsWrite",
    "LinkedIdeaSerializer",
    "MoveSerializer",
    "RoadmapFilter",
    "RoadmapItemSerializer",
    "RoadmapItemViewSet",
    "RoadmapItemWriteSerializer",
]
