"""Saved portfolio views: a name for a set of filters, a sort and the columns shown."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.roles import STAFF_ROLES


class PortfolioViewQuerySet(models.QuerySet):
    def visible_to(self, user) -> PortfolioViewQuerySet:
        """A person's own views and the ones colleagues shared; staff only."""
        if not user.is_authenticated or user.role not in STAFF_ROLES:
            return self.none()
        return self.filter(models.Q(owner=user) | models.Q(shared=True))


class PortfolioView(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portfolio_views",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=80)
    #: Colleagues may open it (and make it their default); only the owner changes it.
    shared = models.BooleanField(_("shared with the team"), default=False)
    #: The portfolio's query parameters (filters, scope, sort, direction), by name.
    query = models.JSONField(_("filters and sort"), default=dict)
    #: Keys of the optional columns shown; empty means every column.
    columns = models.JSONField(_("columns"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PortfolioViewQuerySet.as_manager()

    class Meta:
        verbose_name = _("portfolio view")
        verbose_name_plural = _("portfolio views")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="portfolio_view_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class PortfolioDefault(models.Model):
    """The view a person's portfolio opens with when the link names none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="portfolio_default",
        verbose_name=_("user"),
    )
    view = models.ForeignKey(
        PortfolioView, on_delete=models.CASCADE, related_name="+", verbose_name=_("view")
    )

    class Meta:
        verbose_name = _("default portfolio view")
        verbose_name_plural = _("default portfolio views")

    def __str__(self) -> str:
        return f"{self.user_id} -> {self.view_id}"
