"""Account pages for the vendor's staff, a person's own settings, and sign-in from the
vendor's product."""

from accounts.views.access import (
    contacts_invite,
    invitation_accept,
    invitation_resend,
    invitation_revoke,
    signup,
    signup_approve,
)
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
from accounts.views.bulk import portfolio_bulk
from accounts.views.people import language_set, user_settings
from accounts.views.portfolio_views import (
    portfolio_view_default,
    portfolio_view_delete,
    portfolio_view_save,
    portfolio_view_update,
    portfolio_views,
)
from accounts.views.renewals import add_renewal
from accounts.views.sso import sso_docs, sso_rotate, sso_settings, sso_sign_in
from accounts.views.timeline import account_timeline

__all__ = [
    "PAGE_SIZE",
    "SORT_FIRST_DIRECTION",
    "account_detail",
    "account_timeline",
    "add_note",
    "add_renewal",
    "contact_erase",
    "contact_export",
    "contacts_invite",
    "getting_started",
    "invitation_accept",
    "invitation_resend",
    "invitation_revoke",
    "language_set",
    "portfolio",
    "portfolio_bulk",
    "portfolio_export",
    "portfolio_view_default",
    "portfolio_view_delete",
    "portfolio_view_save",
    "portfolio_view_update",
    "portfolio_views",
    "signup",
    "signup_approve",
    "sso_docs",
    "sso_rotate",
    "sso_settings",
    "sso_sign_in",
    "user_settings",
]
