"""The widget's session: the vendor's signed SSO token, exchanged for an hour-long
bearer token of our own.

The vendor's token is checked by the very service ``/sso/`` uses
(:func:`accounts.services.sso_sign_in`): same algorithm, secrets and rotation grace,
the same ``jti`` refused a second time, and the same rules for placing the person in
their account. What comes back is not a cookie but a token signed with
``django.core.signing``, so the widget works inside a vendor page that blocks
third-party cookies and shares nothing with our pages; the page's script keeps it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, User
from accounts.services import sso_sign_in
from core.roles import Role

logger = logging.getLogger(__name__)

SALT = "widget.session"
#: An hour: long enough for a working session, short enough that a token lifted from
#: a page stops working soon; the vendor's page asks for a new one with a fresh token.
SESSION_SECONDS = 60 * 60


class WidgetSessionError(Exception):
    """A bearer token refused: missing, damaged, expired, or its person gone."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class WidgetSession:
    """Who a widget request is for: one portal user, their contact and account."""

    user: User
    contact: Contact
    account: Account


def widget_session_start(*, vendor_token: str) -> tuple[str, WidgetSession]:
    """Exchange the vendor's token for a widget session token. Raises SsoError (its
    refusals are the sign-in's: expired, replayed, unknown account…)."""
    signed_in = sso_sign_in(token=vendor_token)
    contact = signed_in.contact
    session = WidgetSession(user=signed_in.user, contact=contact, account=contact.account)
    token = signing.dumps(
        {"u": signed_in.user.pk, "c": contact.pk, "a": contact.account_id}, salt=SALT
    )
    logger.info("Widget session for contact %s of account %s", contact.pk, contact.account_id)
    return token, session


def widget_session_read(*, token: str) -> WidgetSession:
    """The session a bearer token carries, checked against the database now: a person
    turned off, or moved to another account, loses the widget at once."""
    try:
        claims = signing.loads(token, salt=SALT, max_age=SESSION_SECONDS)
    except signing.SignatureExpired:
        raise WidgetSessionError(_("Your session has expired."), reason="expired") from None
    except signing.BadSignature:
        raise WidgetSessionError(_("This session is not valid."), reason="bad_token") from None
    ids = [claims.get(key) for key in ("u", "c", "a")] if isinstance(claims, dict) else []
    numbers = [value for value in ids if isinstance(value, int)]
    if len(numbers) != 3:
        raise WidgetSessionError(_("This session is not valid."), reason="bad_token")
    user_id, contact_id, account_id = numbers
    user = (
        User.objects.filter(
            pk=user_id,
            is_active=True,
            role=Role.CUSTOMER,
            contact_id=contact_id,
            contact__account_id=account_id,
        )
        .select_related("contact__account")
        .first()
    )
    if user is None or user.contact is None:
        raise WidgetSessionError(_("This session is not valid."), reason="gone")
    return WidgetSession(user=user, contact=user.contact, account=user.contact.account)
