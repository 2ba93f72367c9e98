"""The public roadmap and changelog: the only product pages open to anonymous visitors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from csplatform.access import public
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
