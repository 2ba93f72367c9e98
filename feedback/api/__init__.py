"""REST endpoints of the feedback board, one module per resource."""

from feedback.api.ideas import IdeaViewSet

__all__ = ["IdeaViewSet"]
