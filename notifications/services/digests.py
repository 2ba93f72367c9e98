"""The daily digest: one e-mail per person per day with everything they take as a digest.

Set-based: whose alerts wait is one grouped query; a person's digest is one count per
kind and one windowed query for the few listed per category, however many alerts wait
(a first recompute can leave a PM thousands of flags); marking them sent is one UPDATE.
The digest goes out in each recipient's own morning (their time zone), from an hourly
beat task, and each (recipient, local day) is sent once: the ``DigestEmail`` row and the
alerts' new state commit together with the accepted e-mail, and the unique (recipient,
day) makes a retried or duplicated task send nothing twice.
"""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Max, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from notifications import categories
from notifications.models import Alert, Category, DigestEmail
from notifications.services.alerts import _UNREACHABLE, email_message
from notifications.services.preferences import unsubscribe_url

logger = logging.getLogger(__name__)

#: The local hour from which a person's digest goes out (the beat task runs hourly).
DIGEST_HOUR = 7
#: Notifications listed per category; the rest are summed up as "and N more".
DIGEST_LISTED = 10
#: Category order in the e-mail; kinds without a category come last, as "Other".
ORDER = [Category.HEALTH, Category.RISKS, Category.IDEAS, Category.COMMENTS]
OTHER = "other"


@dataclass
class DigestSection:
    category: str
    total: int
    alerts: list[Alert] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.alerts)


def digests_send(*, now: datetime | None = None) -> int:
    """Send every digest that is due now; returns how many e-mails went out."""
    now = now or timezone.now()
    waiting = (
        Alert.objects.filter(email_state=Alert.EmailState.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    people = User.objects.filter(pk__in=waiting).values_list("pk", "time_zone")
    sent = 0
    # One pass per recipient, not per alert: a digest is one e-mail per person.
    for user_id, zone in people:
        local = now.astimezone(_zone(zone))
        if local.hour < DIGEST_HOUR:
            continue
        try:
            sent += digest_send(user_id=user_id, day=local.date())
        except _UNREACHABLE as exc:
            logger.warning("The mail server is unreachable (%s); digests wait.", exc)
            break
    return sent


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def digest_send(*, user_id: int, day: date) -> int:
    """Send ``user_id``'s digest for their local ``day`` if not sent yet; 1 if it went out.

    A failed send rolls the whole transaction back, the day's row with it: the alerts
    wait for the next hourly run, never marked sent without an e-mail.
    """
    with transaction.atomic():
        try:
            # A savepoint lets the unique (recipient, day) decide between two workers:
            # the second waits for the first to commit, then finds the day taken.
            with transaction.atomic():
                digest = DigestEmail.objects.create(recipient_id=user_id, day=day)
        except IntegrityError:
            return 0
        user = User.objects.get(pk=user_id)
        waiting = Alert.objects.filter(recipient_id=user_id, email_state=Alert.EmailState.DIGEST)
        # What this digest covers: alerts raised while it is being written wait for tomorrow.
        last_pk = waiting.aggregate(last=Max("pk"))["last"]
        if last_pk is None:
            transaction.set_rollback(True)
            return 0
        covered = waiting.filter(pk__lte=last_pk)
        if not user.email:
            covered.update(email_state=Alert.EmailState.NO_ADDRESS)
            digest.delete()
            return 0
        sections = _sections(covered)
        total = sum(section.total for section in sections)
        unsubscribe = unsubscribe_url(user_id=user_id, category=Category.DIGEST)
        with translation.override(user.language_or_default):
            subject = ngettext(
                "Your daily digest: %(count)d notification",
                "Your daily digest: %(count)d notifications",
                total,
            ) % {"count": total}
            body = _digest_text(sections, unsubscribe)
        email_message(subject=subject, body=body, to=user.email, unsubscribe=unsubscribe).send()
        covered.update(email_state=Alert.EmailState.SENT, emailed_at=timezone.now())
        digest.alert_count = total
        digest.save(update_fields=["alert_count"])
    return 1


def _category_expression() -> Case:
    """An alert's category, computed by the database from its kind."""
    whens = [
        When(kind__startswith=prefix, then=Value(str(category)))
        # Longest first, so a more specific prefix wins as in ``category_of``.
        for prefix, category in sorted(
            categories.KIND_PREFIXES.items(), key=lambda item: -len(item[0])
        )
    ]
    return Case(*whens, default=Value(OTHER))


def _sections(alerts: QuerySet[Alert]) -> list[DigestSection]:
    """The digest grouped by category: each category's total and its newest few."""
    with_category = alerts.annotate(category=_category_expression())
    totals = dict(
        with_category.values("category").annotate(n=Count("pk")).values_list("category", "n")
    )
    ranked = with_category.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("category")],
            order_by=[F("created_at").desc(), F("pk").desc()],
        )
    ).filter(Q(rank__lte=DIGEST_LISTED))
    listed: dict[str, list[Alert]] = {}
    for alert in ranked.order_by("-created_at", "-pk"):
        listed.setdefault(alert.category, []).append(alert)
    order = [str(c) for c in ORDER] + [OTHER]
    return [
        DigestSection(category=category, total=totals[category], alerts=listed.get(category, []))
        for category in order
        if totals.get(category)
    ]


def _section_label(category: str) -> str:
    return _("Other") if category == OTHER else str(Category(category).label)


def _digest_text(sections: list[DigestSection], unsubscribe: str) -> str:
    site = settings.SITE_URL.rstrip("/")
    lines: list[str] = []
    for section in sections:
        lines.append(f"{_section_label(section.category)} ({section.total})")
        for alert in section.alerts:
            line = f"- {alert.shown_title()}"
            if alert.url:
                line += f" — {site}{alert.url}"
            lines.append(line)
        if section.more > 0:
            lines.append(
                ngettext("…and %(count)d more", "…and %(count)d more", section.more)
                % {"count": section.more}
            )
        lines.append("")
    lines.append(
        _("All your notifications: %(url)s") % {"url": site + reverse("notifications:inbox")}
    )
    lines.append(
        _("Choose what you receive: %(url)s") % {"url": site + reverse("notifications:preferences")}
    )
    lines.append(_("Stop the daily digest: %(url)s") % {"url": unsubscribe})
    return "\n".join(lines)
