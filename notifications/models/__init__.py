"""The notification inbox shared by every app."""

from notifications.models.alerts import Alert, AlertQuerySet

__all__ = ["Alert", "AlertQuerySet"]
