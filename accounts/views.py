"""Account pages for the vendor's staff."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import selectors
from accounts.roles import STAFF_ROLES, Role
from csplatform.access import allow

PAGE_SIZE = 25


@allow(STAFF_ROLES)
def portfolio(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope") or selectors.default_portfolio_scope(request.user)
    if scope not in selectors.PORTFOLIO_SCOPES:
        scope = "all"
    search = request.GET.get("q", "").strip()[:100]
    accounts = selectors.portfolio_accounts(user=request.user, scope=scope, search=search)
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/portfolio.html",
        {"page": page, "scope": scope, "search": search},
    )


@allow(STAFF_ROLES)
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.account_for_user(user=request.user, account_id=account_id)
    contacts = account.contacts.order_by("-is_champion", "name")
    return render(
        request, "accounts/account_detail.html", {"account": account, "contacts": contacts}
    )


@allow(Role.ADMIN)
def getting_started(request: HttpRequest) -> HttpResponse:
    steps = selectors.getting_started_steps()
    return render(
        request,
        "accounts/getting_started.html",
        {"steps": steps, "done_count": sum(step.done for step in steps)},
    )
