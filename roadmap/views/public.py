"""The public roadmap and changelog: the only product pages open to anonymous visitors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from core.access import public
from roadmap import selectors

#: Shipped items per changelog page.
CHANGELOG_PAGE_SIZE = 20


@public
def public_roadmap(request: HttpRequest) -> HttpResponse:
    columns = selectors.public_board(user=request.user)
    return render(
        request,
        "roadmap/public_roadmap.html",
        {"columns": columns, "is_empty": not any(column.items for column in columns)},
    )


@public
def changelog(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.changelog_items(), CHANGELOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "roadmap/changelog.html", {"page": page})


@public
def changelog_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """A shipped item's lasting address: the changelog page it is on now, at its anchor.
    Notifications and the feed link here, so they stay right as newer entries push it
    to later pages."""
    position = selectors.changelog_position(pk=pk)
    if position is None:
        raise Http404
    page = position // CHANGELOG_PAGE_SIZE + 1
    query = f"?page={page}" if page > 1 else ""
    return redirect(f"{reverse('roadmap:changelog')}{query}#item-{pk}")
