"""Raising alerts into the shared inbox, and e-mailing them once.

Any app raises alerts here with a dedupe key that names the fact (say "the health of
account 7 dropped to red on 2026-11-23"); raising it again is a no-op, so recomputes and
retried tasks never duplicate an alert or its e-mail.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import text
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
            title=text.one_line(draft.title)[:200],
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
#: Refusals after which an alert's e-mail is given up (state ``failed``, error kept).
EMAIL_MAX_ATTEMPTS = 5


def alert_emails_send() -> int:
    """E-mail every alert still waiting; returns how many were sent.

    Each alert is sent inside its own short transaction that holds its row locked
    (``skip_locked``), so two workers never send the same one, and it is marked sent
    only after the mail server accepted it: a worker killed mid-send leaves it waiting,
    never marked. One bad alert is recorded and skipped; the others still go out. When
    the server itself is unreachable the run stops, the rest wait for the next one.
    """
    sent = 0
    last_pk = 0
    while True:
        pks = list(
            Alert.objects.filter(email_state=Alert.EmailState.PENDING, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:EMAIL_BATCH]
        )
        if not pks:
            return sent
        last_pk = pks[-1]
        for pk in pks:
            try:
                sent += _send_one(pk)
            except _ServerDown:
                return sent


def alert_emails_retry(alerts: QuerySet[Alert]) -> int:
    """Put given-up and address-less e-mails of ``alerts`` back in the queue, attempts
    reset, and queue a send; returns how many. Sent ones are never sent twice."""
    count = alerts.filter(
        email_state__in=[Alert.EmailState.FAILED, Alert.EmailState.NO_ADDRESS]
    ).update(email_state=Alert.EmailState.PENDING, email_attempts=0, email_error="")
    if count:
        queue_task_on_commit("notifications.tasks.send_alert_emails")
    return count


class _ServerDown(Exception):
    """The mail server cannot be reached: every other alert would fail the same way."""


def _send_one(pk: int) -> int:
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=pk, email_state=Alert.EmailState.PENDING)
            .first()
        )
        if alert is None:  # sent meanwhile, or another worker holds it
            return 0
        if not alert.recipient.email:
            alert.email_state = Alert.EmailState.NO_ADDRESS
            alert.save(update_fields=["email_state"])
            return 0
        try:
            send_mail(
                subject=text.one_line(alert.title),
                message=_alert_text(alert),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[alert.recipient.email],
            )
        except _UNREACHABLE as exc:
            # Not this alert's fault: it keeps its attempts, and the run stops here.
            logger.warning("The mail server is unreachable (%s); alerts wait.", exc)
            raise _ServerDown from exc
        except Exception as exc:  # one bad alert never blocks the others
            _record_refusal(alert, exc)
            return 0
        alert.email_state = Alert.EmailState.SENT
        alert.emailed_at = timezone.now()
        alert.save(update_fields=["email_state", "emailed_at"])
        return 1


#: Errors that say the server is away, not that this alert is wrong.
_UNREACHABLE = (
    ConnectionError,
    TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)


def _record_refusal(alert: Alert, exc: Exception) -> None:
    """Count the attempt and keep the reason; a refusal that no retry can cure (a header
    the mail library rejects) or the last allowed attempt gives the e-mail up."""
    alert.email_attempts += 1
    alert.email_error = f"{type(exc).__name__}: {exc}"[:300]
    if isinstance(exc, ValueError) or alert.email_attempts >= EMAIL_MAX_ATTEMPTS:
        alert.email_state = Alert.EmailState.FAILED
    logger.warning(
        "Could not e-mail alert %s (attempt %s, now %s): %s",
        alert.pk,
        alert.email_attempts,
        alert.email_state,
        alert.email_error,
    )
    alert.save(update_fields=["email_attempts", "email_error", "email_state"])


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
