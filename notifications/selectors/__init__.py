"""Reads of notifications, scoped to their recipient."""

from notifications.selectors.inbox import alert_for_user, alert_inbox, unread_alert_count

__all__ = ["alert_for_user", "alert_inbox", "unread_alert_count"]
