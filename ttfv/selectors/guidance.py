"""The usage events the in-app widget records, by name.

They land through the ingest pipeline like any other usage (so they feed health and
time to first value), and the guidance report reads them back; both sides name them
here so a renamed event cannot silently empty the report. Milestone events carry the
milestone's id in ``properties["milestone"]``.
"""

from __future__ import annotations

WIDGET_OPENED = "Widget Opened"
MILESTONE_CLICKED = "Widget Milestone Clicked"
NUDGE_SHOWN = "Widget Nudge Shown"
NUDGE_DISMISSED = "Widget Nudge Dismissed"
NUDGE_CLICKED = "Widget Nudge Clicked"
ENTRY_READ = "Widget Entry Read"

#: Every event the widget sends; the ingest's write key for the widget accepts only these.
WIDGET_EVENTS = frozenset(
    {WIDGET_OPENED, MILESTONE_CLICKED, NUDGE_SHOWN, NUDGE_DISMISSED, NUDGE_CLICKED, ENTRY_READ}
)
