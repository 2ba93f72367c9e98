"""The in-app widget's rows: where it may run, how it looks, and what each person of a
customer has seen of it."""

from widget.models.people import NudgeDismissal, WidgetPerson
from widget.models.setup import AllowedOrigin, WidgetSettings

__all__ = ["AllowedOrigin", "NudgeDismissal", "WidgetPerson", "WidgetSettings"]
