"""Reads of the widget's set-up."""

from __future__ import annotations

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
