"""How each person wants to hear of each kind of notification, and the daily digests sent.

A preference is per person and per *category* (idea updates, comments, product-risk
flags, health alerts, the digest itself), not per raw alert kind: people think in these
categories, and apps may add kinds without adding a setting. A person without a saved
row gets their role's default (``notifications.categories.ROLE_DEFAULTS``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    IDEAS = "ideas", _("Idea updates")
    COMMENTS = "comments", _("Comments")
    RISKS = "risks", _("Product-risk flags")
    HEALTH = "health", _("Health alerts")
    #: The daily digest e-mail itself: "off" keeps digested kinds in the inbox only.
    DIGEST = "digest", _("Daily digest e-mail")


class Delivery(models.TextChoices):
    INSTANT = "instant", _("Right away")
    DAILY = "daily", _("In the daily digest")
    OFF = "off", _("Off")


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="notification_preference_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.delivery}"


class DigestEmail(models.Model):
    """One daily digest sent to one person for one day of their own calendar.

    The row is written in the same transaction that marks the digested alerts sent, and
    the unique (recipient, day) decides a race between two workers: a retried or
    duplicated digest task finds the day taken and sends nothing twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="digest_emails",
    )
    #: The recipient's local date when it was sent (their time zone, not UTC).
    day = models.DateField(_("day"))
    alert_count = models.PositiveIntegerField(_("notifications"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.day}"
