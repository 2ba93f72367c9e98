"""Writes of a person's own settings: the language and the time zone they read in."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.models.core import validate_time_zone


def user_language_set(*, user: User, language: str) -> User:
    """Save the language a person chose: it then outranks the cookie and the browser on
    every device they sign in from, and their e-mails and notifications follow it.
    Blank clears the choice."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {
                "language": _("%(language)s is not a language of csplatform.")
                % {"language": language}
            }
        )
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def user_settings_update(*, user: User, language: str, time_zone: str) -> User:
    """Save what a person may change about themselves on their settings page."""
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        raise ValidationError({"time_zone": exc.messages}) from None
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    return user_language_set(user=user, language=language)
