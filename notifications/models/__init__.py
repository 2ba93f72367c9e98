"""The notification inbox shared by every app, and how each person wants to hear of it."""

from notifications.models.alerts import Alert, AlertQuerySet
from notifications.models.preferences import (
    Category,
    Delivery,
    DigestEmail,
    NotificationPreference,
)

__all__ = [
    "Alert",
    "AlertQuerySet",
    "Category",
    "Delivery",
    "DigestEmail",
    "NotificationPreference",
]
