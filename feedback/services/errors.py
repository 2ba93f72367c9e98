"""Errors the board's services raise besides Django's own."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class IdeaMerged(ValidationError):
    """An action on a merged idea: it lives on only as a redirect to ``target_id``."""

    def __init__(self, *, idea_id: int, target_id: int | None, message: str = "") -> None:
        text = message or _("This idea was merged into another; use that one.")
        super().__init__(text, code="merged")
        self.idea_id = idea_id
        self.target_id = target_id


class VoteClosed(ValidationError):
    """The idea no longer takes votes (shipped or declined)."""
