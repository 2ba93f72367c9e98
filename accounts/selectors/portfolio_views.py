"""Reads of saved portfolio views, scoped to who asks."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import PortfolioDefault, PortfolioView, User


def portfolio_views_for(*, user: User) -> list[PortfolioView]:
    """The views a person may open (their own, then colleagues' shared ones), one query."""
    views = PortfolioView.objects.visible_to(user).select_related("owner")
    return sorted(views, key=lambda v: (v.owner_id != user.pk, v.name.casefold(), v.pk))


def portfolio_view_for_user(*, user: User, view_id: str | int) -> PortfolioView:
    """A view the person may open, or 404 (also for an id that is not a number)."""
    if not str(view_id).isdigit():
        raise Http404
    return get_object_or_404(PortfolioView.objects.visible_to(user), pk=int(view_id))


def default_portfolio_view(*, user: User) -> PortfolioView | None:
    """The view the person's portfolio opens with, if they chose one they still may see."""
    row = (
        PortfolioDefault.objects.filter(user=user, view__in=PortfolioView.objects.visible_to(user))
        .select_related("view")
        .first()
    )
    return row.view if row else None
