"""Typed readers for environment variables that fail loudly.

Settings are read once at start-up. A wrong or missing value must stop the process
with one line that names the variable, not a traceback from deep inside Django, so
every reader raises :class:`ConfigError` (a ``SystemExit``) with such a line.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Mapping, Sequence
from typing import Any

import environ
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING: Any = object()


class ConfigError(SystemExit):
    """A configuration problem, printed as one line by the interpreter on exit."""

    def __init__(self, message: str) -> None:
        super().__init__(f"csplatform: configuration error: {message}")


class Env:
    """Reads typed values from a mapping (``os.environ`` by default)."""

    def __init__(self, environ_: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ_ is None else environ_

    def is_set(self, name: str) -> bool:
        return bool(self._environ.get(name, "").strip())

    def _raw(self, name: str, default: Any, required_because: str | None) -> Any:
        value = self._environ.get(name)
        if value is None or not value.strip():
            if default is _MISSING:
                why = f" ({required_because})" if required_because else ""
                raise ConfigError(f"environment variable {name} is required{why}.")
            return default
        return value.strip()

    def str(self, name: str, default: Any = _MISSING, *, required_because: str | None = None):
        return self._raw(name, default, required_because)

    def secret_key(
        self, name: builtins.str, *, required_because: builtins.str | None = None
    ) -> builtins.str:
        """A signing key strong enough for production.

        The rule is Django's own (security.W009, the same constants), but there it is a
        warning of ``check --deploy`` that nobody has to run: a guessable key lets anyone
        forge sessions and password-reset links, so production refuses to start instead.
        """
        value: builtins.str = self._raw(name, _MISSING, required_because)
        if (
            len(value) < SECRET_KEY_MIN_LENGTH
            or len(set(value)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
            or value.startswith(SECRET_KEY_INSECURE_PREFIX)
        ):
            raise ConfigError(
                f"{name} is too weak for production: it needs {SECRET_KEY_MIN_LENGTH} or more "
                f"characters, {SECRET_KEY_MIN_UNIQUE_CHARACTERS} or more of them different, and "
                f"no {SECRET_KEY_INSECURE_PREFIX!r} prefix. Generate one with: "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return value

    def bool(self, name: str, default: bool) -> bool:
        value = self._raw(name, default, None)
        if isinstance(value, bool):
            return value
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{name}={value!r} is not a boolean (use true or false).")

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name, default, None)
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ConfigError(f"{name}={number} must be at least {minimum}.")
        return number

    def list(
        self,
        name: str,
        default: Sequence[str] | Any = _MISSING,
        *,
        required_because: str | None = None,
    ) -> list[str]:
        value = self._raw(name, default, required_because)
        if isinstance(value, list | tuple):
            return list(value)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, choices: Sequence[str], default: str) -> str:
        value = self._raw(name, default, None).lower()
        if value not in choices:
            raise ConfigError(f"{name}={value!r} must be one of: {', '.join(choices)}.")
        return value

    def database(self, name: str, default: Any = _MISSING, *, required_because=None) -> dict:
        url = self._raw(name, default, required_because)
        try:
            config = environ.Env.db_url_config(url)
        except Exception as exc:  # django-environ raises several types for a bad URL
            raise ConfigError(f"{name} is not a valid database URL ({exc}).") from None
        if "." not in config["ENGINE"]:  # an unknown scheme comes back unmapped
            raise ConfigError(f"{name} has an unknown database scheme {config['ENGINE']!r}.")
        return config

    def email(self, name: str, default: str) -> dict:
        url = self._raw(name, default, None)
        try:
            config = environ.Env.email_url_config(url)
        except Exception as exc:
            raise ConfigError(f"{name} is not a valid email URL ({exc}).") from None
        # filemail: each e-mail is written to a file in the URL's directory. django-environ
        # drops the path's first slash, so an absolute one takes four: filemail:////dir.
        if config["EMAIL_BACKEND"].endswith(".filebased.EmailBackend") and not os.path.isabs(
            config.get("EMAIL_FILE_PATH") or ""
        ):
            raise ConfigError(
                f"{name} must name an absolute directory for filemail, "
                "e.g. filemail:////var/mail/csplatform."
            )
        return config


env = Env()
