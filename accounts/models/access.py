"""How customers get in: invitations sent by staff, and sign-up by company domain."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(token: str) -> str:
    """Only the digest of a link's token is stored: a copy of the database cannot be
    turned into working sign-in links."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A one-time link e-mailed to a contact that signs them in.

    Sent by a CSM or an admin ("invite"), or asked for by the person through their
    company's verified domain ("signup"). Used once, expires, can be revoked; a resend
    replaces the token so the previous e-mail's link stops working.
    """

    class Kind(models.TextChoices):
        INVITE = "invite", _("Invitation")
        SIGNUP = "signup", _("Domain sign-up")

    class Status(models.TextChoices):
        PENDING = "pending", _("Invited")
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for approval")
        ACCEPTED = "accepted", _("Joined")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INVITE)
    email = models.EmailField(_("email"))
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    expires_at = models.DateTimeField(_("expires"))
    #: A domain sign-up whose account wants a CSM's approval: the address is proven, the
    #: person waits.
    verified_at = models.DateTimeField(_("address verified"), null=True, blank=True)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per contact: a resend reuses it, so two links for the
            # same person never race each other.
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.email}"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.needs_approval and self.verified_at is not None and self.approved_at is None:
            return self.Status.AWAITING_APPROVAL
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class AccountDomain(models.Model):
    """An e-mail domain an admin has checked belongs to the account's company: people
    with a verified address there may join the account when it allows sign-up."""

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="domains",
    )
    # Unique across accounts: an address must lead to exactly one account.
    domain = models.CharField(_("domain"), max_length=253, unique=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("verified domain")
        verbose_name_plural = _("verified domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
