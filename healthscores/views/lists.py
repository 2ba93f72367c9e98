"""Lists of accounts by health for the team: where CSM sentiment and data disagree."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import allow
from core.roles import STAFF_ROLES
from healthscores import selectors

PAGE_SIZE = 50


@allow(STAFF_ROLES)
def divergence(request: HttpRequest) -> HttpResponse:
    """Accounts whose CSM calls green while the data says red, or the reverse: either
    the CSM knows something the data misses, or the sentiment needs a second look."""
    page = Paginator(selectors.divergent_accounts(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "healthscores/divergence.html", {"page": page})
