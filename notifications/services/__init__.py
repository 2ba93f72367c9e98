"""Writes of notifications: raising alerts, e-mailing them once, marking them read."""

from notifications.services.alerts import (
    AlertDraft,
    accounts_listing,
    alert_acknowledge,
    alert_emails_send,
    alerts_acknowledge_all,
    alerts_raise,
)

__all__ = [
    "AlertDraft",
    "accounts_listing",
    "alert_acknowledge",
    "alert_emails_send",
    "alerts_acknowledge_all",
    "alerts_raise",
]
