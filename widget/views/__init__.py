"""The widget's pages: its script's lasting address, the admins' settings, the demo."""

from widget.views.pages import (
    demo_page,
    origin_add,
    origin_remove,
    script,
    settings_look,
    settings_page,
    settings_preview,
)

__all__ = [
    "demo_page",
    "origin_add",
    "origin_remove",
    "script",
    "settings_look",
    "settings_page",
    "settings_preview",
]
