"""The notifications page (the alert inbox): a person's own alerts and notifications,
and marking them read. Open to every signed-in role: each sees only their own."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import allow
from core.roles import ALL_ROLES, STAFF_ROLES, Role
from notifications import selectors
from notifications.services import alerts as alert_services

PAGE_SIZE = 25
#: "open": not acknowledged yet (the default tab); "all": everything.
TABS = ("open", "all")


def _tab(value: str | None) -> str:
    return value if value in TABS else TABS[0]


def _audience(user) -> str:
    """Whose words the page speaks: the empty states name what this role hears of."""
    if user.role == Role.CUSTOMER:
        return "customer"
    return "csm" if user.role == Role.CSM else "product"


def _shows_accounts(user) -> bool:
    """Staff see which account an alert is about; a customer's notifications are about
    ideas, and the account pages are not theirs to open."""
    return user.role in STAFF_ROLES


@allow(ALL_ROLES)
def alert_list(request: HttpRequest) -> HttpResponse:
    tab = _tab(request.GET.get("tab"))
    alerts = selectors.alert_inbox(user=request.user, only_open=tab == "open")
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "tab": tab,
            # Severity is the staff's triage aid; a customer's news is never "critical".
            "show_account": _shows_accounts(request.user),
            "audience": _audience(request.user),
        },
    )


@allow(ALL_ROLES)
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
            "notifications/_alert_row.html",
            {
                "alert": alert,
                "tab": tab,
                "unread_alerts": selectors.unread_alert_count(request.user),
                "oob_count": True,
                "show_account": _shows_accounts(request.user),
            },
        )
    messages.success(request, _("Marked as read."))
    query = {"tab": tab}
    page = request.POST.get("page", "")
    if page.isdigit():
        query["page"] = page
    return redirect(reverse("notifications:inbox") + "?" + urlencode(query))


@allow(ALL_ROLES)
@require_POST
def alert_acknowledge_all(request: HttpRequest) -> HttpResponse:
    """Mark every one of your unread notifications as read, then back to the list."""
    count = alert_services.alerts_acknowledge_all(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Nothing was unread."))
    return redirect(
        reverse("notifications:inbox") + "?" + urlencode({"tab": _tab(request.POST.get("tab"))})
    )
