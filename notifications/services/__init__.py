"""Writes of notifications: raising alerts, e-mailing them once or in a daily digest,
marking them read, and each person's preferences."""

from notifications.services.alerts import (
    AlertDraft,
    accounts_listing,
    alert_acknowledge,
    alert_emails_send,
    alerts_acknowledge_all,
    alerts_raise,
)
from notifications.services.digests import digest_send, digests_send
from notifications.services.preferences import (
    deliveries_for,
    preferences_of,
    preferences_update,
    unsubscribe,
    unsubscribe_token,
    unsubscribe_url,
    unsubscription_read,
)

__all__ = [
    "AlertDraft",
    "accounts_listing",
    "alert_acknowledge",
    "alert_emails_send",
    "alerts_acknowledge_all",
    "alerts_raise",
    "deliveries_for",
    "digest_send",
    "digests_send",
    "preferences_of",
    "preferences_update",
    "unsubscribe",
    "unsubscribe_token",
    "unsubscribe_url",
    "unsubscription_read",
]
