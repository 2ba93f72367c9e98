"""The board's own API errors, on top of ``core.api``'s translation of service errors."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from core.api import ServiceErrorsMixin


class IdeaMerged(Exception):
    """An action on a merged idea: answered 400 with the idea it went into."""

    def __init__(self, *, idea_id: int, target_id: int | None) -> None:
        super().__init__(idea_id)
        self.target_id = target_id


class IdeaErrorsMixin(ServiceErrorsMixin):
    """The service errors, plus an action on a merged idea (400, with the idea it went
    into)."""

    def handle_exception(self, exc):
        if isinstance(exc, IdeaMerged):
            detail = _("This idea was merged into idea %(target)s; use that one.") % {
                "target": exc.target_id
            }
            return Response(
                {"detail": detail, "merged_into": exc.target_id},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)
