"""The memory of the hourly write limits (``core.limits``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecentWrites(models.Model):
    """When one person last wrote one kind of thing: the times of their writes in the
    last hour, at most as many as the limit.

    A log of times rather than a count of the written rows: edits and follows leave no
    row to count. One row per person and kind, locked while a write is decided, so the
    writes of one person queue and a limit of five lets exactly five through.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    #: What was written: ``idea``, ``comment``, ``edit``, ``follow``.
    action = models.CharField(_("action"), max_length=20)
    #: POSIX timestamps (UTC seconds), oldest first.
    times = models.JSONField(_("times"), default=list)

    class Meta:
        verbose_name = _("recent writes")
        verbose_name_plural = _("recent writes")
        constraints = [
            models.UniqueConstraint(fields=["user", "action"], name="recent_writes_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action}: {len(self.times)}"
