"""How customers get in: invitations, sign-up by company domain, and the end of access
when a contact is erased.

The links are one-time tokens whose digest alone is stored (``token_digest``); using one
is a conditional update, so two clicks on the same link sign in once. Sending happens
after commit, so an invitation that rolled back never reached anyone.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Account, AccountDomain, Contact, Invitation, User, token_digest
from core.roles import Role

FREE_MAIL_FILE = Path(__file__).resolve().parent.parent / "data" / "free_mail_domains.txt"


@functools.cache
def free_mail_domains() -> frozenset[str]:
    """The shipped list of public e-mail providers (accounts/data/free_mail_domains.txt)."""
    lines = FREE_MAIL_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def can_invite(actor: User, account: Account) -> bool:
    """Admins invite anyone; a CSM the contacts of the accounts in their own book."""
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.CSM and account.csm_owner_id == actor.pk


def _check_may_invite(actor: User, account: Account) -> None:
    if not can_invite(actor, account):
        raise PermissionDenied(_("Only an admin or the account's CSM can invite its contacts."))


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def _invitation_message(invitation: Invitation, token: str) -> EmailMessage:
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    # The invitee has no saved language yet: the installation's default.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "account_name": invitation.contact.account.name,
            "link": link,
            "days": settings.INVITATION_DAYS,
        }
        prefix = f"accounts/email/{invitation.kind}"
        subject = render_to_string(f"{prefix}_subject.txt", context).strip()
        body = render_to_string(f"{prefix}_message.txt", context)
    return EmailMessage(subject, body, to=[invitation.email])


def _send_after_commit(messages: list[EmailMessage]) -> None:
    if not messages:
        return

    def send() -> None:
        # One SMTP connection for a whole batch of invitations.
        get_connection().send_messages(messages)

    transaction.on_commit(send)


def _issue(invitation: Invitation) -> str:
    """Give an invitation a fresh token and expiry; the previous link stops working."""
    token, digest = _new_token()
    now = timezone.now()
    invitation.token_digest = digest
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=settings.INVITATION_DAYS)
    return token


@transaction.atomic
def invitations_send(*, actor: User, contacts: Iterable[Contact]) -> list[Invitation]:
    """Invite contacts of one account or several to sign in; an open invitation is sent
    again with a new link instead of a second one.

    Every contact is checked before anything is written, so a list with one contact the
    actor may not invite, or without an address, invites nobody.
    """
    contacts = list(contacts)
    if not contacts:
        raise ValidationError({"contacts": _("Choose at least one contact to invite.")})
    for contact in contacts:
        _check_may_invite(actor, contact.account)
        if not contact.email:
            raise ValidationError(
                {"contacts": _("%(name)s has no e-mail address.") % {"name": contact.name}}
            )
    joined = set(
        User.objects.filter(contact__in=contacts, is_active=True).values_list(
            "contact_id", flat=True
        )
    )
    open_ones = {
        inv.contact_id: inv
        for inv in Invitation.objects.select_for_update().filter(
            contact__in=contacts, accepted_at__isnull=True, revoked_at__isnull=True
        )
    }
    sent: list[Invitation] = []
    messages: list[EmailMessage] = []
    for contact in contacts:
        if contact.pk in joined:
            continue  # Already signs in: nothing to send.
        invitation = open_ones.get(contact.pk)
        if invitation is None:
            invitation = Invitation(
                contact=contact, kind=Invitation.Kind.INVITE, invited_by=actor, send_count=0
            )
        invitation.email = contact.email
        token = _issue(invitation)
        invitation.send_count += 1
        invitation.save()
        sent.append(invitation)
        messages.append(_invitation_message(invitation, token))
    _send_after_commit(messages)
    return sent


def invitation_resend(*, actor: User, invitation: Invitation) -> Invitation:
    """Send an open invitation again, with a new link and a new expiry."""
    if not invitation.is_open:
        raise ValidationError(_("This invitation was already used or revoked."))
    sent = invitations_send(actor=actor, contacts=[invitation.contact])
    if not sent:
        raise ValidationError(_("This contact already signs in."))
    return sent[0]


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Make an invitation's link useless. Revoking twice changes nothing."""
    _check_may_invite(actor, invitation.contact.account)
    Invitation.objects.filter(
        pk=invitation.pk, revoked_at__isnull=True, accepted_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation.refresh_from_db()
    return invitation


def _portal_user_for(contact: Contact) -> User:
    """The contact's portal user, made or re-enabled; customers sign in with links until
    they choose a password."""
    user = User.objects.filter(contact=contact).first()
    if user is None:
        username = contact.email[:150]
        if User.objects.filter(username__iexact=username).exists():
            username = f"{contact.email[:130]}-{contact.pk}"
        user = User(username=username, role=Role.CUSTOMER, contact=contact)
        user.set_unusable_password()
    user.email = contact.email
    user.first_name, _sep, user.last_name = contact.name.partition(" ")
    user.is_active = True
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=contact.email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def invitation_accept(*, token: str) -> tuple[Invitation, User | None]:
    """Use a link: sign-in for an invitation, proof of the address for a domain sign-up.

    Returns the invitation and the user to sign in, or no user when the account wants a
    CSM to approve the person first. The claim is one conditional update, so a link
    works once however many times it is opened at the same moment.
    """
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("contact__account")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise ValidationError(_("This link is not valid. Ask for a new invitation."))
    if invitation.accepted_at is not None or invitation.verified_at is not None:
        raise ValidationError(_("This link was already used. Sign in with a code instead."))
    if invitation.expires_at <= now:
        raise ValidationError(_("This link has expired. Ask for a new invitation."))
    if invitation.needs_approval and invitation.approved_at is None:
        invitation.verified_at = now
        invitation.save(update_fields=["verified_at"])
        return invitation, None
    invitation.accepted_at = now
    invitation.verified_at = invitation.verified_at or now
    invitation.save(update_fields=["accepted_at", "verified_at"])
    return invitation, _portal_user_for(invitation.contact)


@transaction.atomic
def signup_approve(*, actor: User, invitation: Invitation) -> User:
    """A CSM lets a person who signed up by domain in; they are told by e-mail."""
    _check_may_invite(actor, invitation.contact.account)
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        kind=Invitation.Kind.SIGNUP,
        verified_at__isnull=False,
        approved_at__isnull=True,
        revoked_at__isnull=True,
    ).update(approved_at=timezone.now(), accepted_at=timezone.now())
    if not claimed:
        raise ValidationError(_("This sign-up is not waiting for approval."))
    invitation.refresh_from_db()
    user = _portal_user_for(invitation.contact)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "account_name": invitation.contact.account.name,
            "link": settings.SITE_URL.rstrip("/") + reverse("account_request_login_code"),
        }
        message = EmailMessage(
            render_to_string("accounts/email/approved_subject.txt", context).strip(),
            render_to_string("accounts/email/approved_message.txt", context),
            to=[invitation.email],
        )
    _send_after_commit([message])
    return user


def _clean_signup_email(email: str) -> str:
    email = email.strip().lower()
    if email_domain(email) in free_mail_domains():
        raise ValidationError(
            {"email": _("Use your work address: public e-mail providers cannot join an account.")}
        )
    return email


@transaction.atomic
def signup_request(*, email: str, name: str) -> Invitation | None:
    """Someone asks to join through their company's domain.

    Whatever happens, the page says the same thing, so nobody learns which domains or
    addresses are known: a match gets a one-time link that proves the address (and,
    where the account wants it, waits for a CSM's approval); anything else gets nothing.
    """
    email = _clean_signup_email(email)
    name = name.strip()[:200] or email
    domain = (
        AccountDomain.objects.select_related("account")
        .filter(domain=email_domain(email), account__self_signup=True)
        .first()
    )
    if domain is None:
        return None
    account = domain.account
    contact = Contact.objects.filter(account=account, email__iexact=email).first()
    if contact is None:
        contact = Contact.objects.create(account=account, email=email, name=name)
    if User.objects.filter(contact=contact, is_active=True).exists():
        return None  # Already in: a sign-in code is the way, and the page says so.
    invitation = (
        Invitation.objects.select_for_update()
        .filter(contact=contact, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is not None and invitation.verified_at is not None:
        return invitation  # Already waiting for approval.
    if invitation is None:
        invitation = Invitation(contact=contact, kind=Invitation.Kind.SIGNUP, send_count=0)
    invitation.email = email
    invitation.needs_approval = account.signup_needs_approval
    token = _issue(invitation)
    invitation.send_count += 1
    invitation.save()
    _send_after_commit([_invitation_message(invitation, token)])
    return invitation


@transaction.atomic
def account_domain_add(*, actor: User, account: Account, domain: str) -> AccountDomain:
    """An admin vouches that a domain belongs to the account's company."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an admin can add a verified domain."))
    domain = domain.strip().lower().lstrip("@").rstrip(".")
    if "." not in domain or "@" in domain or " " in domain:
        raise ValidationError({"domain": _("Enter a domain such as example.com.")})
    if domain in free_mail_domains():
        raise ValidationError(
            {"domain": _("%(domain)s is a public e-mail provider.") % {"domain": domain}}
        )
    if AccountDomain.objects.filter(domain=domain).exclude(account=account).exists():
        raise ValidationError(
            {"domain": _("%(domain)s belongs to another account.") % {"domain": domain}}
        )
    found, _created = AccountDomain.objects.get_or_create(
        account=account, domain=domain, defaults={"added_by": actor}
    )
    return found


def portal_access_end(*, contact: Contact) -> None:
    """Take away every way in of an erased contact, inside the erasure's transaction.

    The portal user is deactivated and scrubbed of name and address; its password becomes
    unusable, which changes the hash every session of theirs was signed with, so Django
    ends those sessions on their next request; the e-mail addresses and single sign-on
    links allauth kept are deleted, and open invitations revoked.
    """
    Invitation.objects.filter(contact=contact).filter(
        Q(accepted_at__isnull=True) & Q(revoked_at__isnull=True)
    ).update(revoked_at=timezone.now())
    Invitation.objects.filter(contact=contact).update(email="")
    user = User.objects.select_for_update().filter(contact=contact).first()
    if user is None:
        return
    user.username = f"erased-{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    _sessions_end(user)


def _sessions_end(user: User) -> None:
    """Delete the user's stored sessions now, not only at their next request."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return  # Other engines: the changed password hash ends them on next use.
    # Sessions are not indexed by user; the few still alive are decoded in one pass,
    # which is only done when a person is erased.
    stale = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=stale).delete()
