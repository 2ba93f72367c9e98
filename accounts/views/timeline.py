"""The account timeline: a section of the Customer 360 page and a page of its own."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import selectors
from accounts.forms import TimelineQueryForm
from accounts.models import Account, User
from core.access import allow
from core.roles import STAFF_ROLES
from core.timeline import timeline_sources

SECTION_TEMPLATE = "accounts/_timeline_section.html"


def section_context(request: HttpRequest, account: Account) -> dict[str, Any]:
    """The newest entries of every kind, for the Customer 360 page."""
    _account, page = selectors.account_timeline_page(
        user=cast(User, request.user), account_id=account.pk, limit=selectors.SECTION_ENTRIES
    )
    return {"account": account, "page": page, "sources": timeline_sources()}


@allow(STAFF_ROLES)
def account_timeline(request: HttpRequest, account_id: int) -> HttpResponse:
    """The whole timeline, a page at a time, filtered by kind.

    A link from an older page (or a hand-edited one) whose cursor does not parse gets
    the form back with the reason and a 400, not a server error.
    """
    form = TimelineQueryForm(request.GET)
    kinds: list[str] = []
    cursor = ""
    if form.is_valid():
        kinds = form.cleaned_data["kind"]
        cursor = form.cleaned_data["after"]
    status = 200 if form.is_valid() else 400
    try:
        account, page = selectors.account_timeline_page(
            user=cast(User, request.user), account_id=account_id, kinds=kinds, cursor=cursor
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        status = 400
        account, page = selectors.account_timeline_page(
            user=cast(User, request.user), account_id=account_id, kinds=kinds
        )
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "accounts/timeline.html",
        {
            "account": account,
            "page": page,
            "form": form,
            "sources": timeline_sources(),
            "filtered": bool(kinds),
            "first_page_query": query.urlencode(),
            "next_query": _with_cursor(query.copy(), page.next_cursor),
        },
        status=status,
    )


def _with_cursor(query: Any, cursor: str) -> str:
    if not cursor:
        return ""
    query["after"] = cursor
    return str(query.urlencode())
