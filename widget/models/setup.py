"""How the installation sets the widget up: the pages allowed to embed it, and its look."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # and six hexadecimal digits, e.g. #1d4ed8.")
)


class AllowedOrigin(models.Model):
    """A web origin (scheme, host, port) whose pages may call the widget's API. None by
    default: an installation lets the widget run on the vendor's product explicitly."""

    origin = models.CharField(_("origin"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("allowed origin")
        verbose_name_plural = _("allowed origins")
        ordering = ["origin"]

    def __str__(self) -> str:
        return self.origin


class WidgetSettings(models.Model):
    """One row (pk 1): the widget's look and which tabs it shows."""

    class Position(models.TextChoices):
        BOTTOM_RIGHT = "bottom-right", _("Bottom right")
        BOTTOM_LEFT = "bottom-left", _("Bottom left")

    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#1d4ed8", validators=[colour_validator]
    )
    position = models.CharField(
        _("position"), max_length=12, choices=Position.choices, default=Position.BOTTOM_RIGHT
    )
    show_checklist = models.BooleanField(_("show “Getting started”"), default=True)
    show_whats_new = models.BooleanField(_("show “What's new”"), default=True)
    show_ideas = models.BooleanField(_("show “Ideas”"), default=True)
    hide_checklist_after_first_value = models.BooleanField(
        _("hide the checklist after first value"), default=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("widget settings")
        verbose_name_plural = _("widget settings")

    def __str__(self) -> str:
        return str(_("In-app widget"))
