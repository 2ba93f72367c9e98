"""The in-app alert inbox shared by every app: a health band drop, a late onboarding, a
product-risk flag. Apps raise alerts through ``notifications.services.alerts``; the inbox, the
acknowledge button and the e-mail are the same whatever raised them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import i18n, text


class AlertQuerySet(models.QuerySet):
    def for_user(self, user) -> AlertQuerySet:
        """A person sees the alerts addressed to them, nobody else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unacknowledged(self) -> AlertQuerySet:
        return self.filter(acknowledged_at__isnull=True)


class Alert(models.Model):
    class Severity(models.TextChoices):
        INFO = "info", _("Info")
        WARNING = "warning", _("Warning")
        CRITICAL = "critical", _("Critical")

    class EmailState(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        #: The recipient takes this kind as one daily digest: sent with the others.
        DIGEST = "digest", _("Waiting for the daily digest")
        #: Digested kind, digest e-mail turned off: the inbox only.
        SKIPPED = "skipped", _("Not sent: the recipient reads it in the inbox only")
        SENT = "sent", _("Sent")
        NO_ADDRESS = "no_address", _("Not sent: the recipient has no e-mail address")
        FAILED = "failed", _("Not sent: the mail server refused it")

    #: What raised it, e.g. ``health.band_drop``; apps register a label for their kinds.
    kind = models.CharField(_("kind"), max_length=40)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.WARNING
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    #: In English, for the admin; people read ``shown_title`` and ``shown_body``.
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    #: ``{"title": …, "body": …}`` as ``core.i18n`` deferred texts: translated into the
    #: reader's language when shown or e-mailed, whoever raised the alert. Empty for
    #: alerts whose text is not ours to translate.
    message = models.JSONField(_("message"), default=dict, db_default={}, blank=True)
    #: Where "Open" leads: the page that explains the alert.
    url = models.CharField(_("link"), max_length=300, blank=True)
    #: One alert per fact: raising the same key again (a recompute, a retried task) is a
    #: no-op, enforced by the unique constraint rather than by a read-then-write race.
    dedupe_key = models.CharField(_("dedupe key"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: Set only once the mail server accepted the e-mail: never a claim or an attempt.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=12, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    #: The last refusal, for the admin: why this alert's e-mail has not gone out.
    email_error = models.CharField(_("e-mail error"), max_length=300, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        # The table kept its name when the model moved here from accounts: no data moved.
        db_table = "accounts_alert"
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="alert_once_per_recipient"
            ),
        ]
        indexes = [
            # The inbox and the unread count in the navigation: a person's open alerts.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="alert_inbox_open_idx",
            ),
            # The account timeline (notifications.selectors.timeline): an account's
            # alerts newest first, and whether an older row of the same fact exists.
            models.Index(fields=["account", "-created_at"], name="alert_account_time_idx"),
            models.Index(fields=["account", "dedupe_key"], name="alert_account_fact_idx"),
            # The mailer's queue: small however many alerts were ever sent.
            models.Index(
                fields=["id"],
                condition=Q(email_state="pending"),
                name="alert_email_pending_idx",
            ),
            # The digest's queue: whose alerts wait for a digest, then one person's.
            models.Index(
                fields=["recipient", "id"],
                condition=Q(email_state="digest"),
                name="alert_digest_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def shown_title(self) -> str:
        """The title in the active language (the reader's page, the recipient's e-mail)."""
        # One line even for a title stored before titles refused control characters:
        # it becomes an e-mail's subject.
        title = i18n.render(self.message["title"]) if "title" in self.message else self.title
        return text.one_line(title)[:200]

    def shown_body(self) -> str:
        return i18n.render(self.message["body"]) if "body" in self.message else self.body
