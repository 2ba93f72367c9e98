"""Writes of accounts: notes, renewal outcomes, and a contact's privacy export and erasure."""

from accounts.services.accounts import (
    NOTE_MAX_LENGTH,
    contact_erase,
    contact_export,
    note_create,
)
from accounts.services.renewals import renewal_outcome_record

__all__ = [
    "NOTE_MAX_LENGTH",
    "contact_erase",
    "contact_export",
    "note_create",
    "renewal_outcome_record",
]
