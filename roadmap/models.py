"""What the product team plans and ships, as the public sees it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import PRODUCT_ROLES


class Column(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("roadmap column", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("roadmap column", "In progress")
    SHIPPED = "shipped", pgettext_lazy("roadmap column", "Shipped")


#: The years a target quarter may name. A roadmap looks a few years ahead and its
#: history starts with the product: a year outside these is a typo (0000, 2207).
QUARTER_YEARS = range(2000, 2100)
#: ``QUARTER_YEARS`` as a pattern, so that the API schema can state it too.
QUARTER_PATTERN = r"^20\d{2}-Q[1-4]$"

validate_quarter = RegexValidator(
    QUARTER_PATTERN,
    format_lazy(
        _("Write the quarter as YYYY-Qn, for example 2027-Q1, with a year from {first} to {last}."),
        first=QUARTER_YEARS.start,
        last=QUARTER_YEARS.stop - 1,
    ),
)


class RoadmapItemQuerySet(models.QuerySet):
    def public(self) -> RoadmapItemQuerySet:
        return self.filter(is_public=True)

    def visible_to(self, user) -> RoadmapItemQuerySet:
        """Product managers and admins see drafts too; everyone else the public items."""
        if user.is_authenticated and user.role in PRODUCT_ROLES:
            return self
        return self.public()


class RoadmapItem(models.Model):
    Column = Column

    title = models.CharField(_("title"), max_length=160)
    #: Public Markdown; ``description_html`` is its sanitised rendering, made on write.
    description = models.TextField(_("public description"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    column = models.CharField(
        _("column"), max_length=16, choices=Column.choices, default=Column.PLANNED
    )
    #: Order within the column, 0 first; the editor rewrites a column's positions at once.
    position = models.PositiveIntegerField(_("position"), default=0)
    target_quarter = models.CharField(
        _("target quarter"), max_length=7, blank=True, validators=[validate_quarter]
    )
    ideas = models.ManyToManyField(
        "feedback.Idea", verbose_name=_("linked ideas"), blank=True, related_name="roadmap_items"
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public roadmap and changelog.")
    )
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RoadmapItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap items")
        ordering = ["column", "position", "pk"]
        constraints = [
            # Shipped ⇔ has a ship date: the changelog sorts and the feed dates by it.
            models.CheckConstraint(
                condition=(Q(column=Column.SHIPPED) & Q(shipped_on__isnull=False))
                | (~Q(column=Column.SHIPPED) & Q(shipped_on__isnull=True)),
                name="roadmap_item_shipped_has_date",
                violation_error_message=_("A shipped item has a ship date, and only then."),
            ),
        ]
        indexes = [
            models.Index(fields=["column", "position"], name="roadmap_column_idx"),
            # The changelog: public shipped items, newest first.
            models.Index(
                fields=["-shipped_on", "-id"],
                condition=Q(is_public=True, shipped_on__isnull=False),
                name="roadmap_changelog_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemUndo(models.Model):
    """What one roadmap action did, kept while the notification it holds back waits,
    so that its author can take it back before anyone is told.

    The item's place before the action (column, position, public flag) and the idea
    status changes the action made; only an action that tells people gets one.
    """

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(RoadmapItem, on_delete=models.CASCADE, related_name="undos")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    column = models.CharField(_("column"), max_length=16, choices=Column.choices)
    position = models.PositiveIntegerField(_("position"))
    is_public = models.BooleanField(_("public"))
    #: Primary keys of the ``feedback.StatusChange`` rows the action made.
    status_changes = models.JSONField(default=list)
    #: The end of the undo window: the held notification falls due then.
    expires_at = models.DateTimeField(_("undo until"))
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("roadmap undo")
        verbose_name_plural = _("roadmap undos")
        indexes = [
            # The editor's "Undo" panel: an editor's undos still open, newest first.
            models.Index(
                fields=["actor", "-expires_at"],
                condition=Q(undone_at__isnull=True),
                name="roadmap_undo_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} by {self.actor_id} until {self.expires_at:%H:%M:%S}"
