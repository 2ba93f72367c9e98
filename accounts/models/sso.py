"""Sign-in from the vendor's product: the shared secrets and the tokens already used.

The secret is kept as it is, not hashed: HS256 is an HMAC, and checking a signature
needs the very secret that made it. Encrypting it with a key from the same settings
would protect only a database dump taken without those settings, while every admin page
that shows it (the vendor's developers must copy it) needs it in the clear anyway. So
the table is reached only through the SSO settings page (admins) and the signing
service; it is not registered in Django's admin and no API lists it. See README,
"Sign-in from your product (SSO token)".
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: Bytes of randomness in a new secret: 256 bits, SHA-256's own block of security.
SECRET_BYTES = 32


def new_sso_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


class SsoSecretQuerySet(models.QuerySet):
    def accepted_at(self, moment: datetime) -> SsoSecretQuerySet:
        """The secrets a token may be signed with at ``moment``: the current one, and the
        ones replaced by a rotation whose grace period has not ended."""
        return self.filter(Q(is_current=True) | Q(accepted_until__gt=moment))


class SsoSecret(models.Model):
    """One signing secret of this installation. A rotation retires the current one and
    keeps accepting it until ``accepted_until``."""

    secret = models.CharField(_("secret"), max_length=100, default=new_sso_secret)
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    retired_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    accepted_until = models.DateTimeField(_("accepted until"), null=True, blank=True)

    objects = SsoSecretQuerySet.as_manager()

    class Meta:
        verbose_name = _("SSO secret")
        verbose_name_plural = _("SSO secrets")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one current secret: two rotations at once cannot leave two.
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="sso_secret_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"SSO secret #{self.pk}"


class SsoTokenUse(models.Model):
    """A token ID (``jti``) already used to sign in: a second use is a replay.

    The unique index decides between two requests racing with the same token. A row is
    needed only while its token could still be accepted, so rows past ``expires_at`` are
    pruned (``accounts.tasks.prune_sso_token_uses``).
    """

    jti = models.CharField(_("token ID"), max_length=200, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"))
    contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("contact"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("used SSO token")
        verbose_name_plural = _("used SSO tokens")
        indexes = [
            # The prune: DELETE ... WHERE expires_at < now.
            models.Index(fields=["expires_at"], name="sso_token_use_expiry_idx"),
        ]

    def __str__(self) -> str:
        return self.jti
