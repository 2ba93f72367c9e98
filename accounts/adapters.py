"""How django-allauth fits our people: no open sign-up, our messages, staff SSO roles."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.sso_roles import role_from_claims
from core.roles import STAFF_ROLES

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """Customers join by invitation or domain sign-up (accounts.services.access), staff
    are created by an admin or by single sign-on: allauth's own sign-up form stays shut."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Worded so the person knows the other ways in without learning whether the
        # address exists.
        "username_password_mismatch": _(
            "Please enter a correct username and password, or sign in with a code sent by e-mail."
        ),
        "email_password_mismatch": _(
            "Please enter a correct username and password, or sign in with a code sent by e-mail."
        ),
        "too_many_login_attempts": _(
            "Too many wrong passwords for this address: password sign-in is paused for a "
            "while. Sign in with a code sent by e-mail, or reset your password."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class StaffSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Staff single sign-on with OpenID Connect.

    A person is let in when they are one of our staff users (matched by the e-mail the
    provider vouches for) or when the provider's role claim maps to a staff role; their
    role then follows the claim, or stays as an admin set it when the claim maps to
    nothing. Customers and deactivated users are refused: customers get in through
    invitations and links, not the vendor's identity provider.
    """

    def _refuse(self, request: HttpRequest, reason: str) -> None:
        logger.warning("Single sign-on refused: %s", reason)
        raise ImmediateHttpResponse(
            render(request, "account/sso_refused.html", {"reason": reason}, status=403)
        )

    @staticmethod
    def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
        """What the provider said about the person: the ID token's claims, overlaid with
        userinfo's.

        allauth keeps the two apart (``extra_data = {"id_token": …, "userinfo": …}``);
        read at the top level, every claim looked missing, so no role ever mapped and
        no staff member was ever matched. Both are read because providers differ:
        Entra ID puts "groups" in the ID token only, others only in userinfo.
        """
        data = sociallogin.account.extra_data or {}
        if "id_token" not in data and "userinfo" not in data:
            return dict(data)  # Stored by allauth before 65.11: the claims themselves.
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}

    def _claimed_role(self, sociallogin: SocialLogin) -> str:
        return role_from_claims(
            self._claims(sociallogin),
            claim=settings.OIDC_ROLE_CLAIM,
            mapping=settings.OIDC_ROLE_MAP,
        )

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        role = self._claimed_role(sociallogin)
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            claims = self._claims(sociallogin)
            email = claims.get("email", "")
            verified = claims.get("email_verified", True)
            user = (
                User.objects.filter(email__iexact=email, role__in=STAFF_ROLES).first()
                if email and verified
                else None
            )
            if user is None:
                if not role:
                    self._refuse(request, "no staff user and no role claim")
                return  # A new staff member: populate_user sets them up.
            sociallogin.connect(request, user)
        if user.role not in STAFF_ROLES:
            self._refuse(request, "not a staff user")
        if not user.is_active:
            self._refuse(request, "deactivated user")
        if role and user.role != role:
            user.role = role
            user.is_staff = role == "admin"
            user.save(update_fields=["role", "is_staff"])

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return bool(self._claimed_role(sociallogin))

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> Any:
        user = super().populate_user(request, sociallogin, data)
        role = self._claimed_role(sociallogin)
        user.role = role
        user.is_staff = role == "admin"
        user.username = (data.get("email") or sociallogin.account.uid)[:150]
        return user
