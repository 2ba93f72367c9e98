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
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core import i18n, text
from core.queue import queue_task_on_commit
from notifications import categories
from notifications.models import Alert
from notifications.services.preferences import deliveries_for, unsubscribe_url

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertDraft:
    """One alert to raise. ``title`` and ``body`` are deferred texts (``core.i18n``) so
    each recipient reads them in their own language, or plain strings for text that is
    not ours to translate (an admin's wording)."""

    kind: str
    recipient_id: int
    title: i18n.DeferredText | str
    dedupe_key: str
    account_id: int | None = None
    body: i18n.DeferredText | str = ""
    url: str = ""
    severity: str = Alert.Severity.WARNING


def alerts_raise(drafts: Iterable[AlertDraft]) -> int:
    """Store the alerts that do not exist yet and e-mail the new ones after commit;
    returns how many rows were offered to the database.

    Each recipient's preference for the kind's category decides, for the whole batch at
    once: "off" writes no row at all (a first recompute that opens thousands of flags
    writes nothing for the people who turned flags off), "daily digest" waits for the
    morning's digest, "right away" is e-mailed now.
    """
    drafts = list(drafts)
    if not drafts:
        return 0
    deliveries = deliveries_for({draft.recipient_id for draft in drafts})
    states = {
        (recipient_id, kind): categories.email_state(choices, kind)
        for recipient_id, choices in deliveries.items()
        for kind in {draft.kind for draft in drafts}
    }
    # The stored title and body are the English source, for the admin; readers get
    # ``message`` rendered in their language.
    with translation.override(None):
        rows = [
            Alert(
                kind=draft.kind,
                severity=draft.severity,
                recipient_id=draft.recipient_id,
                account_id=draft.account_id,
                title=text.one_line(i18n.render(draft.title))[:200],
                body=i18n.render(draft.body),
                message=_deferred_parts(draft),
                url=draft.url[:300],
                dedupe_key=draft.dedupe_key[:200],
                email_state=state,
            )
            for draft in drafts
            if (state := states.get((draft.recipient_id, draft.kind))) is not None
        ]
    if not rows:
        return 0
    # The unique (recipient, dedupe_key) index decides what is new, also between two
    # workers raising the same alert at the same moment.
    Alert.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    # The mail goes out from a worker, after commit: a page never waits on SMTP, and a
    # rolled-back change e-mails no one.
    if any(row.email_state == Alert.EmailState.PENDING for row in rows):
        queue_task_on_commit("notifications.tasks.send_alert_emails")
    return len(rows)


def _deferred_parts(draft: AlertDraft) -> dict[str, i18n.DeferredText]:
    parts = {"title": draft.title, "body": draft.body}
    return {name: part for name, part in parts.items() if isinstance(part, dict)}


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
        # In the recipient's language, not that of whoever caused the alert.
        category = categories.category_of(alert.kind)
        unsubscribe = (
            unsubscribe_url(user_id=alert.recipient_id, category=category) if category else ""
        )
        with translation.override(alert.recipient.language_or_default):
            subject, message = alert.shown_title(), _alert_text(alert, unsubscribe)
        try:
            email_message(
                subject=subject, body=message, to=alert.recipient.email, unsubscribe=unsubscribe
            ).send()
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


def email_message(*, subject: str, body: str, to: str, unsubscribe: str) -> EmailMessage:
    """One notification e-mail; with an unsubscribe URL, the RFC 2369 ``List-Unsubscribe``
    header and RFC 8058's ``List-Unsubscribe-Post``, so mail clients offer a one-click
    button that POSTs to that URL without the person signing in."""
    headers = {}
    if unsubscribe:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )


def _alert_text(alert: Alert, unsubscribe: str = "") -> str:
    lines = [alert.shown_title(), ""]
    body = alert.shown_body()
    if body:
        lines += [body, ""]
    if alert.url:
        lines.append(_("Open it: %(url)s") % {"url": settings.SITE_URL.rstrip("/") + alert.url})
    lines.append(
        _("All your notifications: %(url)s")
        % {"url": settings.SITE_URL.rstrip("/") + reverse("notifications:inbox")}
    )
    if unsubscribe:
        lines += ["", _("Stop these e-mails: %(url)s") % {"url": unsubscribe}]
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


def accounts_listing(accounts: Sequence[tuple[int, str]]) -> i18n.DeferredText:
    """ "Your accounts: A, B and 3 more" for a CSM's notification, from (id, name) pairs."""
    names = ", ".join(name for _pk, name in accounts[:ACCOUNTS_LISTED])
    more = len(accounts) - ACCOUNTS_LISTED
    if more > 0:
        return i18n.deferred_plural(
            "Your accounts: %(names)s and %(count)d more",
            "Your accounts: %(names)s and %(count)d more",
            "count",
            names=names,
            count=more,
        )
    return i18n.deferred("Your accounts: %(names)s", names=names)
