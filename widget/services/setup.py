"""Writes of the widget's set-up (admins only): allowed origins and its look."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.roles import Role
from ingest.models import WriteKey
from widget.models import AllowedOrigin, WidgetSettings

#: The write key the widget's events arrive with, named so the import history says so.
WRITE_KEY_NAME = "In-app widget"
DEFAULT_PORTS = {"http": 80, "https": 443}


def _only_admins(actor: User) -> None:
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only admins set up the in-app widget."))


def origin_normalise(value: str) -> str:
    """``scheme://host[:port]`` in the form browsers send in ``Origin``, or a
    ValidationError: no path, query, user name or wildcard, and http only for local
    addresses (a page served over http elsewhere could be anyone's)."""
    text = value.strip()
    message = _("Enter an origin such as https://app.example.com (no path).")
    if not text or any(c.isspace() for c in text) or "*" in text:
        raise ValidationError(message, code="invalid")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValidationError(message, code="invalid") from None
    if (
        parts.scheme not in DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValidationError(message, code="invalid")
    host = parts.hostname.lower()
    if parts.scheme == "http" and not _is_local(host):
        raise ValidationError(
            _("Use https: only a local address (localhost, 127.0.0.1) may use http."),
            code="insecure",
        )
    shown_host = f"[{host}]" if ":" in host else host
    if port is None or port == DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{shown_host}"
    return f"{parts.scheme}://{shown_host}:{port}"


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_add(*, actor: User, origin: str) -> AllowedOrigin:
    _only_admins(actor)
    normalised = origin_normalise(origin)
    try:
        with transaction.atomic():  # a savepoint: the unique index decides a race
            return AllowedOrigin.objects.create(origin=normalised, created_by=actor)
    except IntegrityError:
        raise ValidationError(
            _("%(origin)s is allowed already.") % {"origin": normalised}, code="duplicate"
        ) from None


def origin_remove(*, actor: User, origin_id: int) -> None:
    _only_admins(actor)
    AllowedOrigin.objects.filter(pk=origin_id).delete()


def widget_settings_ensure() -> WidgetSettings:
    settings_row, _created = WidgetSettings.objects.get_or_create(pk=1)
    return settings_row


@transaction.atomic
def widget_settings_save(
    *,
    actor: User,
    accent_colour: str,
    position: str,
    show_checklist: bool,
    show_whats_new: bool,
    show_ideas: bool,
    hide_checklist_after_first_value: bool,
) -> WidgetSettings:
    _only_admins(actor)
    row = widget_settings_ensure()
    row.accent_colour = accent_colour.lower()
    row.position = position
    row.show_checklist = show_checklist
    row.show_whats_new = show_whats_new
    row.show_ideas = show_ideas
    row.hide_checklist_after_first_value = hide_checklist_after_first_value
    row.full_clean()
    row.save()
    return row


def widget_write_key() -> WriteKey:
    """The active write key named for the widget, made on first use. An admin may turn
    it off in the tracking keys like any other: the widget's events are then refused."""
    key = WriteKey.objects.filter(name=WRITE_KEY_NAME).order_by("pk").first()
    if key is None:
        key = WriteKey.objects.create(name=WRITE_KEY_NAME)
    return key
