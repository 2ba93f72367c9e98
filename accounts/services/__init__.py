"""Writes of accounts: notes, renewal outcomes, a contact's privacy export and erasure,
saved portfolio views, bulk changes, a person's own settings, and sign-in from the
vendor's product (SSO token)."""

from accounts.services.access import (
    account_domain_add,
    can_invite,
    free_mail_domains,
    invitation_accept,
    invitation_resend,
    invitation_revoke,
    invitations_send,
    portal_access_end,
    signup_approve,
    signup_request,
)
from accounts.services.accounts import (
    NOTE_MAX_LENGTH,
    contact_erase,
    contact_export,
    note_create,
)
from accounts.services.bulk import MAX_SELECTION, accounts_reassign, accounts_set_stage
from accounts.services.people import user_language_set, user_settings_update
from accounts.services.portfolio_views import (
    BUILTIN_COLUMNS,
    column_keys,
    portfolio_view_delete,
    portfolio_view_save,
    portfolio_view_set_default,
    portfolio_view_update,
)
from accounts.services.renewals import renewal_outcome_record
from accounts.services.sso import (
    SsoClaims,
    SsoError,
    SsoSignIn,
    sso_secret_current,
    sso_secret_rotate,
    sso_secrets_in_grace,
    sso_sign_in,
    sso_token_issue,
    sso_token_uses_prune,
    sso_token_verify,
)

__all__ = [
    "BUILTIN_COLUMNS",
    "MAX_SELECTION",
    "NOTE_MAX_LENGTH",
    "SsoClaims",
    "SsoError",
    "SsoSignIn",
    "account_domain_add",
    "accounts_reassign",
    "accounts_set_stage",
    "can_invite",
    "column_keys",
    "contact_erase",
    "contact_export",
    "free_mail_domains",
    "invitation_accept",
    "invitation_resend",
    "invitation_revoke",
    "invitations_send",
    "note_create",
    "portal_access_end",
    "portfolio_view_delete",
    "portfolio_view_save",
    "portfolio_view_set_default",
    "portfolio_view_update",
    "renewal_outcome_record",
    "signup_approve",
    "signup_request",
    "sso_secret_current",
    "sso_secret_rotate",
    "sso_secrets_in_grace",
    "sso_sign_in",
    "sso_token_issue",
    "sso_token_uses_prune",
    "sso_token_verify",
    "user_language_set",
    "user_settings_update",
]
