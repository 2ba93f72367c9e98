"""Alerts on the account timeline (``core.timeline``)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy

from accounts.models import Account, User
from core.timeline import TimelineEntry, TimelineSource, Window
from notifications.models import Alert

TONES = {
    Alert.Severity.CRITICAL: "red",
    Alert.Severity.WARNING: "yellow",
    Alert.Severity.INFO: "grey",
}


def alert_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    """Each alert raised about the account, once.

    One fact alerts several people (the CSM, the admins): each gets a row with the same
    dedupe key. The timeline is about the account, not an inbox, so it shows the first
    row of each fact, whoever it went to. An anti-join rather than a GROUP BY over every
    alert of the account: read newest first, it stops once a page is full.
    """
    earlier_of_same_fact = Alert.objects.filter(
        account=account, dedupe_key=OuterRef("dedupe_key"), pk__lt=OuterRef("pk")
    )
    rows = window.apply(
        Alert.objects.filter(account=account)
        .exclude(Exists(earlier_of_same_fact))
        .annotate(at=F("created_at")),
        kind="alert",
        at="at",
    )
    return [
        TimelineEntry(
            at=alert.created_at,
            kind="alert",
            id=alert.pk,
            title=alert.title,
            detail=alert.body,
            url=alert.url,
            tone=TONES.get(alert.severity, ""),
        )
        for alert in rows
    ]


ALERTS = TimelineSource(kind="alert", label=gettext_lazy("Alerts"), entries=alert_entries, order=20)
