"""The notification inbox, read as its owner: nobody reads someone else's alerts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from notifications.models import Alert


def alert_inbox(*, user: User, only_open: bool) -> QuerySet[Alert]:
    """The user's own alerts, newest first, with their accounts (one query a page)."""
    alerts = Alert.objects.for_user(user).select_related("account")
    if only_open:
        alerts = alerts.unacknowledged()
    return alerts.order_by("-created_at", "-pk")


def alert_for_user(*, user: User, alert_id: int) -> Alert:
    """One of the user's own alerts, or 404: nobody acts on someone else's alert."""
    return get_object_or_404(Alert.objects.for_user(user).select_related("account"), pk=alert_id)


def unread_alert_count(user: User) -> int:
    """The navigation's badge: one COUNT served by the partial index of open alerts."""
    return Alert.objects.for_user(user).unacknowledged().count()
