"""Reads of the widget's set-up."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Contact
from core.roles import Role
from widget.models import AllowedOrigin, WidgetSettings


def widget_settings() -> WidgetSettings:
    """The settings row, or the defaults unsaved (reading never writes)."""
    return WidgetSettings.objects.filter(pk=1).first() or WidgetSettings(pk=1)


def allowed_origins() -> list[AllowedOrigin]:
    return list(AllowedOrigin.objects.order_by("origin"))


def origin_is_allowed(origin: str) -> bool:
    """Whether a browser's ``Origin`` header names an allowed origin: compared as sent
    (browsers send it lower-case, without a default port or a slash), so ``null`` and
    anything malformed match nothing."""
    if not origin or len(origin) > 200:
        return False
    return AllowedOrigin.objects.filter(origin=origin).exists()


@dataclass(frozen=True)
class DemoPerson:
    email: str
    account: str


def demo_person(*, email: str = "", account: str = "") -> DemoPerson | None:
    """Who the demo page signs a token for: the one asked for, else the first portal
    customer (the demo's own customer, whom ``seed_demo`` creates first)."""
    if email and account:
        return DemoPerson(email=email, account=account)
    contact = (
        Contact.objects.filter(portal_user__role=Role.CUSTOMER, portal_user__is_active=True)
        .select_related("account")
        .order_by("portal_user__pk")
        .first()
    )
    if contact is None or not contact.email:
        return None
    return DemoPerson(email=contact.email, account=contact.account.external_id)
