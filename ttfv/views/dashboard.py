"""The onboarding dashboard: every account still onboarding, milestone by milestone."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import allow
from core.roles import STAFF_ROLES
from ttfv import selectors
from ttfv.forms import DashboardQueryForm
from ttfv.services import today_utc

PAGE_SIZE = 25


@allow(STAFF_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardQueryForm(
        request.GET, choices=selectors.dashboard_filter_choices(user=request.user)
    )
    params = form.values()
    # UTC days, like the rollups and the engine that set the statuses shown.
    today = today_utc()
    accounts = selectors.onboarding_accounts(
        user=request.user,
        today=today,
        csm_id=params["csm"],
        segment=params["segment"],
        status=params["status"],
        sort=params["sort"],
    )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ttfv/dashboard.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.dashboard_rows(list(page.object_list), today=today),
            "counts": selectors.status_counts(
                user=request.user, today=today, csm_id=params["csm"], segment=params["segment"]
            ),
            "status": params["status"],
            "has_filters": form.has_filters,
        },
    )
