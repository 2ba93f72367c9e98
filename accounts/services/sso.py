"""Sign-in from the vendor's product: a short-lived JWT signed with this installation's
secret (HS256) says who the person is and which account they belong to.

Three steps, each a function so that other doors (the in-app widget) reuse them:

* :func:`sso_token_verify` checks the token alone: algorithm, signature with one of the
  accepted secrets, expiry, lifetime, claims. It writes nothing.
* :func:`sso_sign_in` verifies, spends the token's ``jti`` (a second use is a replay),
  upserts the contact into the token's account and links or creates their portal user.
  The caller signs that user in.
* :func:`sso_secret_rotate` and :func:`sso_token_issue` keep and use the secret (the
  settings page, ``manage.py sso_link``, the demo).

Every refusal is an :class:`SsoError` with a reason code (for logs and tests), a
sentence for the person, and a detail for the log that never contains the token.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, SsoSecret, SsoTokenUse, User
from core.redirects import safe_relative_path
from core.roles import Role

logger = logging.getLogger(__name__)

#: The one algorithm accepted. Named explicitly so that a token whose header asks for
#: ``none`` or RS256 (with our secret posing as a public key) is refused before any key
#: is tried, whatever the library would do with it.
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("email", "account", "exp", "jti")
#: Longest values we store: Contact.name and Account.external_id, SsoTokenUse.jti.
MAX_NAME, MAX_ACCOUNT, MAX_JTI = 200, 100, 200


class SsoError(Exception):
    """A token refused. ``reason`` is a stable code; ``message`` is for the person."""

    def __init__(self, reason: str, message: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail or message}")
        self.reason = reason
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class SsoClaims:
    """What a verified token says."""

    email: str
    name: str
    account_external_id: str
    jti: str
    expires_at: datetime
    #: A path on this site to land on, or "" (an unsafe one is dropped, see verify).
    return_to: str


@dataclass(frozen=True)
class SsoSignIn:
    user: User
    contact: Contact
    return_to: str


# --- The secret ------------------------------------------------------------------


def sso_secret_current() -> SsoSecret | None:
    return SsoSecret.objects.filter(is_current=True).first()


def sso_secrets_in_grace(*, now: datetime | None = None) -> list[SsoSecret]:
    """Replaced secrets still accepted, newest first (the settings page lists them)."""
    moment = now or timezone.now()
    return list(SsoSecret.objects.filter(is_current=False, accepted_until__gt=moment))


@transaction.atomic
def sso_secret_rotate(*, actor: User, end_grace_now: bool = False) -> SsoSecret:
    """Make a new current secret; the one it replaces stays accepted for
    ``SSO_SECRET_GRACE_HOURS`` so the vendor's servers can switch without failures.

    ``end_grace_now`` is for a secret that leaked: every replaced secret stops being
    accepted at once. The first call creates the installation's first secret.
    """
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only admins can change the sign-in secret."))
    now = timezone.now()
    previous = SsoSecret.objects.select_for_update().filter(is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.retired_at = now
        previous.accepted_until = now + timedelta(hours=settings.SSO_SECRET_GRACE_HOURS)
        previous.save(update_fields=["is_current", "retired_at", "accepted_until"])
    if end_grace_now:
        SsoSecret.objects.filter(is_current=False, accepted_until__gt=now).update(
            accepted_until=now
        )
    secret = SsoSecret.objects.create(created_at=now, created_by=actor)
    logger.info("SSO secret rotated by %s (grace %s)", actor, "ended" if end_grace_now else "kept")
    return secret


def sso_token_issue(
    *,
    email: str,
    account_external_id: str,
    name: str = "",
    return_to: str = "",
    lifetime: timedelta = timedelta(minutes=5),
) -> str:
    """A token signed with the current secret, as the vendor's server makes them: for
    ``manage.py sso_link``, the demo and support. Raises SsoError without a secret."""
    secret = sso_secret_current()
    if secret is None:
        raise SsoError(
            "no_secret",
            _("Sign-in from your product is not set up: create a secret first."),
        )
    now = timezone.now()
    claims: dict[str, Any] = {
        "email": email,
        "name": name,
        "account": account_external_id,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": str(uuid.uuid4()),
    }
    if return_to:
        claims["return_to"] = return_to
    return jwt.encode(claims, secret.secret, algorithm=ALGORITHM)


# --- Verifying a token -------------------------------------------------------------


def _malformed(detail: str) -> SsoError:
    return SsoError(
        "malformed",
        _("This sign-in link is damaged or incomplete. Open it again from the product."),
        detail,
    )


def _decode(token: str, secrets: list[str]) -> dict[str, Any]:
    """The payload of ``token`` signed with one of ``secrets``; PyJWT checks the
    signature before any claim, so an expired token with a wrong signature is refused
    for its signature."""
    for secret in secrets:
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                options={"require": list(REQUIRED_CLAIMS)},
                leeway=settings.SSO_CLOCK_SKEW_SECONDS,
            )
            return payload
        except jwt.InvalidSignatureError:
            continue  # perhaps signed with a secret still in its grace period
        except jwt.ExpiredSignatureError:
            raise SsoError(
                "expired",
                _("This sign-in link has expired. Open it again from the product."),
            ) from None
        except jwt.MissingRequiredClaimError as exc:
            raise _malformed(f"missing claim {exc.claim}") from None
        except jwt.ImmatureSignatureError:
            raise SsoError(
                "not_yet_valid",
                _(
                    "This sign-in link is not valid yet. "
                    "Check the clock of the server that made it."
                ),
            ) from None
        except jwt.InvalidTokenError as exc:
            raise _malformed(f"invalid token: {exc}") from None
    raise SsoError(
        "bad_signature",
        _("This sign-in link was not signed with this site's secret."),
        "signature matches no accepted secret",
    )


def _text_claim(payload: dict[str, Any], name: str, *, limit: int, required: bool) -> str:
    value = payload.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _malformed(f"claim {name} is not a string")
    value = value.strip()
    if required and not value:
        raise _malformed(f"claim {name} is empty")
    if len(value) > limit:
        raise _malformed(f"claim {name} is longer than {limit} characters")
    return value


def sso_token_verify(token: str) -> SsoClaims:
    """Check a token and return its claims, or raise SsoError. Writes nothing: whether
    the ``jti`` was used before is the caller's to decide (:func:`sso_sign_in`)."""
    token = token.strip()
    if not token:
        raise _malformed("no token")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise _malformed(f"unreadable header: {exc}") from None
    if header.get("alg") != ALGORITHM:
        raise SsoError(
            "algorithm",
            _("This sign-in link was not signed with this site's secret."),
            f"algorithm {header.get('alg')!r} refused, only {ALGORITHM}",
        )
    now = timezone.now()
    secrets = list(SsoSecret.objects.accepted_at(now).values_list("secret", flat=True))
    if not secrets:
        raise SsoError(
            "no_secret",
            _("Sign-in from the product is not set up on this site yet."),
            "no SSO secret exists",
        )
    payload = _decode(token, secrets)

    expires_at = datetime.fromtimestamp(payload["exp"], tz=UTC)
    longest = settings.SSO_TOKEN_MAX_LIFETIME_SECONDS
    lives = payload["exp"] - now.timestamp()
    issued = payload.get("iat")
    if lives > longest + settings.SSO_CLOCK_SKEW_SECONDS or (
        isinstance(issued, int | float) and payload["exp"] - issued > longest
    ):
        raise SsoError(
            "lifetime",
            _(
                "This sign-in link is valid for too long to be safe. "
                "Ask the product to make a new one."
            ),
            f"lifetime beyond {longest} s",
        )

    email = _text_claim(payload, "email", limit=254, required=True).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise _malformed("claim email is not an e-mail address") from None
    account = _text_claim(payload, "account", limit=MAX_ACCOUNT, required=True)
    jti = _text_claim(payload, "jti", limit=MAX_JTI, required=True)
    name = _text_claim(payload, "name", limit=MAX_NAME, required=False)
    wanted = _text_claim(payload, "return_to", limit=2000, required=False)
    return_to = safe_relative_path(wanted) if wanted else ""
    if wanted and return_to is None:
        # Signed by the vendor, so a mistake of theirs, not an attack on the person:
        # they still get in, on the board, and the vendor finds the reason in the log.
        logger.warning("SSO token's return_to %r is not a path on this site; ignored", wanted)
    return SsoClaims(
        email=email,
        name=name or email.split("@", 1)[0],
        account_external_id=account,
        jti=jti,
        expires_at=expires_at,
        return_to=return_to or "",
    )


# --- Signing in --------------------------------------------------------------------


def _mismatch(detail: str) -> SsoError:
    return SsoError(
        "account_mismatch",
        _(
            "This e-mail address already belongs to another customer account here, so it "
            "cannot sign in for this one. Ask your account manager to help."
        ),
        detail,
    )


def _spend(claims: SsoClaims, now: datetime) -> SsoTokenUse:
    try:
        with transaction.atomic():  # a savepoint: the unique index decides a race
            return SsoTokenUse.objects.create(
                jti=claims.jti, expires_at=claims.expires_at, used_at=now
            )
    except IntegrityError:
        raise SsoError(
            "replayed",
            _("This sign-in link was already used. Open the product and follow it again."),
            f"jti {claims.jti!r} already used",
        ) from None


def _contact_for(claims: SsoClaims, account: Account) -> Contact:
    """The account's contact with this address, updated or created; never one of
    another account (an address tied to account A is not moved into B by a token)."""
    email = claims.email
    same_address = Q(email__iexact=email)
    staff = User.objects.filter(same_address).exclude(role=Role.CUSTOMER)
    if staff.exists():
        # A vendor token signs in customers only: never a member of staff.
        raise _mismatch(f"{email} belongs to a staff user")
    elsewhere = User.objects.filter(
        Q(email__iexact=email) | Q(contact__email__iexact=email), role=Role.CUSTOMER
    ).exclude(contact__account=account)
    if elsewhere.exists():
        raise _mismatch(f"{email} is a portal user of another account")
    own_user = (
        User.objects.filter(same_address, role=Role.CUSTOMER, contact__account=account)
        .select_related("contact")
        .first()
    )
    contact = (
        own_user.contact
        if own_user is not None and own_user.contact is not None
        else account.contacts.filter(same_address).order_by("pk").first()
    )
    if contact is None:
        if Contact.objects.filter(same_address).exists():
            raise _mismatch(f"{email} is a contact of another account")
        return Contact.objects.create(account=account, name=claims.name, email=email)
    if claims.name and contact.name != claims.name:
        contact.name = claims.name
        contact.save(update_fields=["name"])
    return contact


def _username_for(email: str, contact: Contact) -> str:
    limit = User._meta.get_field("username").max_length or 150
    username = email[:limit]
    if User.objects.filter(username__iexact=username).exists():
        username = f"{email[: limit - 20]}-{contact.pk}"
    return username


def _user_for(claims: SsoClaims, contact: Contact) -> User:
    first, _space, last = claims.name.partition(" ")
    try:
        user: User = contact.portal_user
    except User.DoesNotExist:
        user = User(
            username=_username_for(claims.email, contact),
            email=claims.email,
            role=Role.CUSTOMER,
            contact=contact,
            first_name=first[:150],
            last_name=last[:150],
        )
        user.set_unusable_password()  # they get in through the product
        user.save()
        return user
    if not user.is_active:
        raise SsoError(
            "inactive",
            _("Your access to this site was turned off. Ask your account manager to help."),
            f"user {user.pk} is inactive",
        )
    if claims.name and (user.first_name, user.last_name) != (first[:150], last[:150]):
        user.first_name, user.last_name = first[:150], last[:150]
        user.save(update_fields=["first_name", "last_name"])
    return user


def sso_sign_in(*, token: str) -> SsoSignIn:
    """Verify ``token``, spend it, and return the portal user it signs in (created on
    first use, with the contact), or raise SsoError; a refusal changes nothing.

    The token's account row is locked for the rest of the transaction: the first
    sign-ins of one new person (two tabs, a double click) would otherwise both find no
    contact and no user, and the second would fail on a unique index with a 500.
    """
    claims = sso_token_verify(token)
    with transaction.atomic():
        account = (
            Account.objects.select_for_update()
            .filter(external_id=claims.account_external_id)
            .first()
        )
        if account is None:
            raise SsoError(
                "unknown_account",
                _(
                    "The account this link names is not known here. "
                    "Ask your account manager to help."
                ),
                f"no account with external ID {claims.account_external_id!r}",
            )
        now = timezone.now()
        use = _spend(claims, now)
        contact = _contact_for(claims, account)
        user = _user_for(claims, contact)
        use.contact = contact
        use.save(update_fields=["contact"])
    logger.info("SSO sign-in of contact %s of account %s", contact.pk, account.pk)
    return SsoSignIn(user=user, contact=contact, return_to=claims.return_to)


def sso_token_uses_prune(*, now: datetime | None = None) -> int:
    """Forget used token IDs whose token has expired (with the clock skew forgiven):
    such a token is refused for its expiry, so its row no longer guards anything."""
    moment = (now or timezone.now()) - timedelta(seconds=settings.SSO_CLOCK_SKEW_SECONDS)
    deleted, _by_model = SsoTokenUse.objects.filter(expires_at__lt=moment).delete()
    return deleted
