"""Saving how a person wants to hear of each category, and the one-click unsubscribe.

The rules (which deliveries a category takes, what an unsubscribe token may change)
live here once; the settings page, the API and the unsubscribe page only translate
the ``ValidationError`` they raise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from notifications import categories
from notifications.models import Category, Delivery, NotificationPreference

#: Keeps unsubscribe tokens from being valid as any other signed value of the site.
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def preferences_of(user: User) -> dict[str, str]:
    """Every category's delivery for ``user``: saved, else the role's default."""
    saved = dict(
        NotificationPreference.objects.filter(user=user).values_list("category", "delivery")
    )
    return categories.effective(user.role, saved)


def deliveries_for(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Everyone's deliveries at once (two queries however many people): the raise path
    of a recompute that alerts thousands."""
    ids = set(user_ids)
    if not ids:
        return {}
    roles = dict(User.objects.filter(pk__in=ids).values_list("pk", "role"))
    saved: dict[int, dict[str, str]] = {pk: {} for pk in roles}
    rows = NotificationPreference.objects.filter(user_id__in=roles).values_list(
        "user_id", "category", "delivery"
    )
    for user_id, category, delivery in rows:
        saved[user_id][category] = delivery
    return {pk: categories.effective(role, saved[pk]) for pk, role in roles.items()}


def preferences_update(*, user: User, choices: Mapping[str, str]) -> dict[str, str]:
    """Save some or all of ``user``'s choices; returns every category's delivery.

    Raises ValidationError (by category) for an unknown category or a delivery that the
    category does not take, and saves nothing then.
    """
    errors: dict[str, str] = {}
    for category, delivery in choices.items():
        if category not in categories.CHOOSABLE:
            errors[category] = _("There is no such kind of notification.")
        elif delivery not in categories.allowed(category):
            errors[category] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(categories.allowed(category))
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user=user, category=category, delivery=delivery)
                for category, delivery in choices.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "category"],
            update_fields=["delivery", "updated_at"],
        )
    return preferences_of(user)


@dataclass(frozen=True)
class Unsubscription:
    user: User
    category: str

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)


def unsubscribe_token(*, user_id: int, category: str) -> str:
    """A token that turns ``category`` off for this person, for a link in their e-mail.

    Signed, not stored, and without expiry: an unsubscribe link has to work in a months-old
    e-mail, signed out, and it can only ever turn one category of one person off.
    """
    return signing.dumps({"u": user_id, "c": category}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user_id: int, category: str) -> str:
    token = unsubscribe_token(user_id=user_id, category=category)
    path = reverse("notifications:unsubscribe", args=[token])
    return settings.SITE_URL.rstrip("/") + path


def unsubscription_read(token: str) -> Unsubscription:
    """Who and what a token unsubscribes; ValidationError if it is not one of ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        category = str(data["c"])
        user = User.objects.get(pk=int(data["u"]), is_active=True)
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
        raise ValidationError(
            _("This unsubscribe link is not valid. Change your notifications from your settings.")
        ) from None
    if category not in categories.CHOOSABLE:
        raise ValidationError(_("This unsubscribe link is not valid."))
    return Unsubscription(user=user, category=category)


def unsubscribe(*, token: str) -> Unsubscription:
    """Turn off the category a token names (RFC 8058 one-click, or the confirm page).

    Repeating it changes nothing: the category simply stays off.
    """
    unsubscription = unsubscription_read(token)
    preferences_update(user=unsubscription.user, choices={unsubscription.category: Delivery.OFF})
    return unsubscription
