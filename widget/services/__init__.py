"""Writes of the in-app widget; views and the API call these and nothing lower."""

from widget.services.guidance import (
    EventsRecorded,
    Nudge,
    entries_mark_read,
    nudge_dismiss,
    nudge_take,
    widget_events_record,
)
from widget.services.session import (
    SESSION_SECONDS,
    WidgetSession,
    WidgetSessionError,
    widget_preview_start,
    widget_session_may_write,
    widget_session_read,
    widget_session_start,
)
from widget.services.setup import (
    WRITE_KEY_NAME,
    origin_add,
    origin_normalise,
    origin_remove,
    widget_settings_ensure,
    widget_settings_save,
    widget_write_key,
)

__all__ = [
    "SESSION_SECONDS",
    "WRITE_KEY_NAME",
    "EventsRecorded",
    "Nudge",
    "WidgetSession",
    "WidgetSessionError",
    "entries_mark_read",
    "nudge_dismiss",
    "nudge_take",
    "origin_add",
    "origin_normalise",
    "origin_remove",
    "widget_events_record",
    "widget_preview_start",
    "widget_session_may_write",
    "widget_session_read",
    "widget_session_start",
    "widget_settings_ensure",
    "widget_settings_save",
    "widget_write_key",
]
