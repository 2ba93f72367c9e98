"""Input parsing of the account pages."""

from accounts.forms.accounts import (
    NoteForm,
    PortfolioQueryForm,
)

__all__ = [
    "NoteForm",
    "PortfolioQueryForm",
]
