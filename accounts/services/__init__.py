"""Writes of accounts: notes, and a contact's privacy export and erasure."""

from accounts.services.accounts import (
    NOTE_MAX_LENGTH,
    contact_erase,
    contact_export,
    note_create,
)

__all__ = [
    "NOTE_MAX_LENGTH",
    "contact_erase",
    "contact_export",
    "note_create",
]
