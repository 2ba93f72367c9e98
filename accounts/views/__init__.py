"""Account pages for the vendor's staff."""

from accounts.views.accounts import (
    PAGE_SIZE,
    SORT_FIRST_DIRECTION,
    account_detail,
    add_note,
    contact_erase,
    contact_export,
    getting_started,
    portfolio,
    portfolio_export,
)
from accounts.views.renewals import add_renewal

__all__ = [
    "PAGE_SIZE",
    "SORT_FIRST_DIRECTION",
    "account_detail",
    "add_note",
    "add_renewal",
    "contact_erase",
    "contact_export",
    "getting_started",
    "portfolio",
    "portfolio_export",
]
