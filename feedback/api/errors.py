"""How the services' own errors become API answers, for every endpoint of the board
and the roadmap: a limit is a 429 with Retry-After, a business rule a 400 with JSON."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from feedback import limits


def rate_limited_response(exc: limits.RateLimited) -> Response:
    """The 429 of the board's hourly limits, worded as on the pages, with Retry-After."""
    return Response(
        {"detail": limits.retry_message(exc), "retry_after": exc.retry_after},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(exc.retry_after)},
    )


class IdeaMerged(Exception):
    """An action on a merged idea: answered 400 with the idea it went into."""

    def __init__(self, *, idea_id: int, target_id: int | None) -> None:
        super().__init__(idea_id)
        self.target_id = target_id


def validation_response(exc: DjangoValidationError) -> Response:
    """A model or service ValidationError as DRF words its own: errors by field name,
    and a ``detail`` for what belongs to no field (a closed idea, a merged one)."""
    if hasattr(exc, "error_dict"):
        errors = dict(exc.message_dict)
        non_field = errors.pop(NON_FIELD_ERRORS, None)
        if non_field:
            errors["detail"] = " ".join(non_field)
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


class ServiceErrorsMixin:
    """For viewsets whose actions call services that raise Django's own exceptions."""

    def handle_exception(self, exc):
        if isinstance(exc, limits.RateLimited):
            return rate_limited_response(exc)
        if isinstance(exc, IdeaMerged):
            detail = _("This idea was merged into idea %(target)s; use that one.") % {
                "target": exc.target_id
            }
            return Response(
                {"detail": detail, "merged_into": exc.target_id},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if isinstance(exc, DjangoValidationError):
            return validation_response(exc)
        return super().handle_exception(exc)  # type: ignore[misc]
