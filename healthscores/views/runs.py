"""The recompute jobs page (admin): every run with its progress, and "recompute all"."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import allow
from core.roles import Role
from healthscores import services

PAGE_SIZE = 25


@allow(Role.ADMIN)
def runs(request: HttpRequest) -> HttpResponse:
    """The job list; htmx polls the live part every 2 s while a run is queued or running."""
    page = Paginator(services.recompute_runs(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "active": services.recompute_active()}
    template = "healthscores/runs_live.html" if request.htmx else "healthscores/runs.html"
    return render(request, template, context)


@allow(Role.ADMIN)
@require_POST
def runs_recompute_all(request: HttpRequest) -> HttpResponse:
    result = services.recompute_all_request()
    if result.queued:
        messages.success(
            request, _("Recompute #%(id)d of every account queued.") % {"id": result.run.pk}
        )
    else:
        messages.info(
            request,
            _("Recompute #%(id)d of every account is already %(status)s; no second one queued.")
            % {"id": result.run.pk, "status": result.run.get_status_display().lower()},
        )
    return redirect("healthscores:runs")
