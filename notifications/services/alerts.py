"""Raising alerts into the shared inbox, and e-mailing them once.

Any app raises alerts here with a dedupe key that names the fact (say "the health of
account 7 dropped to red on 2026-11-23"); raising it again is a no-op, so recomputes and
retried tasks never duplicate an alert or its e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.queue import queue_task_on_commit
from notifications.models import Alert

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertDraft:
    kind: str
    recipient_id: int
    title: str
    dedupe_key: str
    account_id: int | None = None
    body: str = ""
    url: str = ""
    severity: str = Alert.Severity.WARNING


def alerts_raise(drafts: Iterable[AlertDraft]) -> None:
    """Store the alerts that do not exist yet and e-mail the new ones after commit."""
    rows = [
        Alert(
            kind=draft.kind,
            severity=draft.severity,
            recipient_id=draft.recipient_id,
            account_id=draft.account_id,
            title=draft.title[:200],
            body=draft.body,
            url=draft.url[:300],
            dedupe_key=draft.dedupe_key[:200],
        )
        for draft in drafts
    ]
    if not rows:
        return
    # The unique (recipient, dedupe_key) index decides what is new, also between two
    # workers raising the same alert at the same moment.
    Alert.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    # The mail goes out from a worker, after commit: a page never waits on SMTP, and a
    # rolled-back change e-mails no one.
    queue_task_on_commit("notifications.tasks.send_alert_emails")


#: Alerts read per query while e-mailing; a big fan-out is sent in several batches.
EMAIL_BATCH = 500


def alert_emails_send() -> int:
    """E-mail every alert not e-mailed yet; returns how many were sent.

    Each alert is claimed with a conditional update before its mail goes out, so two
    workers never send the same one; a failed send gives the claim back for next time.
    """
    sent = 0
    last_pk = 0
    while True:
        batch = list(
            Alert.objects.filter(emailed_at__isnull=True, pk__gt=last_pk)
            .select_related("recipient")
            .order_by("pk")[:EMAIL_BATCH]
        )
        if not batch:
            return sent
        last_pk = batch[-1].pk
        sent += _send_batch(batch)


def _send_batch(alerts: list[Alert]) -> int:
    sent = 0
    for alert in alerts:
        claimed = Alert.objects.filter(pk=alert.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed or not alert.recipient.email:
            continue
        try:
            send_mail(
                subject=alert.title,
                message=_alert_text(alert),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[alert.recipient.email],
            )
        except OSError:
            logger.exception("Could not e-mail alert %s; it will be tried again.", alert.pk)
            Alert.objects.filter(pk=alert.pk).update(emailed_at=None)
        else:
            sent += 1
    return sent


def _alert_text(alert: Alert) -> str:
    lines = [alert.title, ""]
    if alert.body:
        lines += [alert.body, ""]
    if alert.url:
        lines.append(_("Open it: %(url)s") % {"url": settings.SITE_URL.rstrip("/") + alert.url})
    lines.append(
        _("All your notifications: %(url)s")
        % {"url": settings.SITE_URL.rstrip("/") + reverse("notifications:inbox")}
    )
    return "\n".join(lines)


def alert_acknowledge(*, alert: Alert) -> Alert:
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_at"])
    return alert


def alerts_acknowledge_all(*, user: User) -> int:
    """Mark all of ``user``'s unread alerts read at once; returns how many.

    One UPDATE over the partial index of open alerts, so it stays cheap however long
    the inbox has grown.
    """
    return Alert.objects.for_user(user).unacknowledged().update(acknowledged_at=timezone.now())


#: Accounts named in one notification; the rest are summed up as "and N more".
ACCOUNTS_LISTED = 20


def accounts_listing(accounts: Sequence[tuple[int, str]]) -> str:
    """ "Your accounts: A, B and 3 more" for a CSM's notification, from (id, name) pairs."""
    names = [name for _pk, name in accounts[:ACCOUNTS_LISTED]]
    listing = ", ".join(names)
    if len(accounts) > len(names):
        listing += " " + _("and %(count)d more") % {"count": len(accounts) - len(names)}
    return _("Your accounts: %(names)s") % {"names": listing}
