"""The alert inbox: a person's own alerts, and acknowledging them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import alerts as alert_services
from accounts import selectors
from accounts.roles import STAFF_ROLES
from csplatform.access import allow

PAGE_SIZE = 25
#: "open": not acknowledged yet (the default tab); "all": everything.
TABS = ("open", "all")


def _tab(value: str | None) -> str:
    return value if value in TABS else TABS[0]


@allow(STAFF_ROLES)
def alert_list(request: HttpRequest) -> HttpResponse:
    tab = _tab(request.GET.get("tab"))
    alerts = selectors.alert_inbox(user=request.user, only_open=tab == "open")
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/alerts.html", {"page": page, "tab": tab})


@allow(STAFF_ROLES)
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Acknowledge one of your own alerts (404 for anyone else's).

    htmx gets the row back, and the navigation's unread count out of band; a plain form
    post is redirected to the tab and page it came from.
    """
    alert = selectors.alert_for_user(user=request.user, alert_id=alert_id)
    alert_services.alert_acknowledge(alert=alert)
    tab = _tab(request.POST.get("tab"))
    if request.htmx:
        return render(
            request,
            "accounts/_alert_row.html",
            {
                "alert": alert,
                "tab": tab,
                "unread_alerts": selectors.unread_alert_count(request.user),
                "oob_count": True,
            },
        )
    messages.success(request, _("Alert acknowledged."))
    query = {"tab": tab}
    page = request.POST.get("page", "")
    if page.isdigit():
        query["page"] = page
    return redirect(reverse("accounts:alerts") + "?" + urlencode(query))
