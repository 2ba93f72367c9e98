"""Writes on accounts with their business rules."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account, Note, User

NOTE_MAX_LENGTH = 5000


@transaction.atomic
def note_create(*, account: Account, author: User, body: str) -> Note:
    """Add a note to an account's timeline.

    The rules live here, not only in the form, so the API or a script cannot store an
    empty or oversized note either.
    """
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something before saving the note.")})
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("A note can be at most %(limit)d characters long.")
                % {"limit": NOTE_MAX_LENGTH}
            }
        )
    return Note.objects.create(account=account, author=author, body=body)
