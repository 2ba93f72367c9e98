"""The board's own API errors, on top of ``core.api``'s translation of service errors."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from core.api import ServiceErrorsMixin
from feedback.services.errors import IdeaMerged


class IdeaErrorsMixin(ServiceErrorsMixin):
    """The service errors, where an action on a merged idea answers 400 with the idea it
    went into (before the generic ValidationError it also is)."""

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
