"""The widget's session: the vendor's signed SSO token, exchanged for an hour-long
bearer token of our own.

The vendor's token is checked by the very service ``/sso/`` uses
(:func:`accounts.services.sso_sign_in`): same algorithm, secrets and rotation grace,
the same ``jti`` refused a second time, and the same rules for placing the person in
their account. What comes back is not a cookie but a token signed with
``django.core.signing``, so the widget works inside a vendor page that blocks
third-party cookies and shares nothing with our pages; the page's script keeps it.

An admin's *preview* (the settings page) is a session of its own kind: issued by
:func:`widget_preview_start` to an admin for a contact, never through the vendor's
token (no ``jti`` spent, no contact or portal user made). It reads as that contact
and writes nothing: :func:`widget_session_may_write` refuses it, and the nudge read
does not spend the person's nudge of the day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
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
    #: An admin's read-only preview: ``user`` is an unsaved stand-in, never stored.
    preview: bool = False


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


def widget_preview_start(*, actor: User, email: str, account: str = "") -> tuple[str, Contact]:
    """A preview session for the contact of ``email`` (of the account with external id
    ``account`` when several accounts have that address), for an admin. Raises
    PermissionDenied for anyone else, ValidationError when no one (or more than one
    person) matches. Nothing is written: no ``jti``, no contact, no portal user."""
    if not actor.is_authenticated or actor.role != Role.ADMIN or not actor.is_active:
        raise PermissionDenied(_("Only admins may preview the widget."))
    email = email.strip()
    contacts = Contact.objects.filter(email__iexact=email).select_related("account")
    if account.strip():
        contacts = contacts.filter(account__external_id=account.strip())
    found = list(contacts[:2]) if email else []
    if not found and account.strip():
        message = _("No contact of the account %(account)s has this e-mail address.") % {
            "account": account.strip()
        }
        raise ValidationError({"email": [message]})
    if not found:
        raise ValidationError({"email": [_("No contact has this e-mail address.")]})
    if len(found) > 1:
        raise ValidationError(
            {
                "account": [
                    _(
                        "Contacts of several accounts have this e-mail address: give the "
                        "account's ID."
                    )
                ]
            }
        )
    contact = found[0]
    token = signing.dumps(
        {"preview": True, "by": actor.pk, "c": contact.pk, "a": contact.account_id}, salt=SALT
    )
    logger.info("Widget preview of contact %s by admin %s", contact.pk, actor.pk)
    return token, contact


def widget_session_may_write(*, session: WidgetSession) -> None:
    """The one rule for every write of the widget: a preview saves nothing."""
    if session.preview:
        raise PermissionDenied(_("This is a preview: nothing is saved."))


def _preview_read(claims: dict[str, object]) -> WidgetSession:
    ids = [claims.get(key) for key in ("by", "c", "a")]
    numbers = [value for value in ids if isinstance(value, int)]
    if len(numbers) != 3:
        raise WidgetSessionError(_("This session is not valid."), reason="bad_token")
    admin_id, contact_id, account_id = numbers
    admin_active = User.objects.filter(pk=admin_id, is_active=True, role=Role.ADMIN).exists()
    contact = (
        Contact.objects.filter(pk=contact_id, account_id=account_id)
        .select_related("account")
        .first()
    )
    if not admin_active or contact is None:
        raise WidgetSessionError(_("This session is not valid."), reason="gone")
    # A stand-in for the person, never saved: reads scoped to a customer of this
    # contact answer as for them, and no row of theirs is touched or created.
    stand_in = User(role=Role.CUSTOMER, contact=contact, username="", email=contact.email)
    return WidgetSession(user=stand_in, contact=contact, account=contact.account, preview=True)


def widget_session_read(*, token: str) -> WidgetSession:
    """The session a bearer token carries, checked against the database now: a person
    turned off, or moved to another account, loses the widget at once."""
    try:
        claims = signing.loads(token, salt=SALT, max_age=SESSION_SECONDS)
    except signing.SignatureExpired:
        raise WidgetSessionError(_("Your session has expired."), reason="expired") from None
    except signing.BadSignature:
        raise WidgetSessionError(_("This session is not valid."), reason="bad_token") from None
    if isinstance(claims, dict) and claims.get("preview") is True:
        return _preview_read(claims)
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
