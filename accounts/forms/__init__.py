"""Input parsing of the account pages."""

from accounts.forms.accounts import (
    NoteForm,
    PortfolioQueryForm,
)
from accounts.forms.renewals import RenewalOutcomeForm

__all__ = [
    "NoteForm",
    "PortfolioQueryForm",
    "RenewalOutcomeForm",
]
