"""Input parsing of the roadmap editor."""

from roadmap.forms.roadmap import (
    RoadmapItemForm,
)

__all__ = [
    "RoadmapItemForm",
]
