"""The recompute jobs page (admin): every job of every kind with its progress, live while
one runs, and "recompute all" per kind."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs as job_services
from core.access import allow
from core.http import HtmxHttpRequest
from core.roles import Role

PAGE_SIZE = 25


@allow(Role.ADMIN)
def jobs(request: HtmxHttpRequest) -> HttpResponse:
    """The job list; htmx polls the live part every 2 s while a job is queued or running."""
    page = Paginator(job_services.job_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = {kind.key: kind.label for kind in job_services.job_kinds()}
    page.object_list = list(page.object_list)
    for job in page.object_list:
        # Read by the template only; Job declares no such attribute.
        job.kind_label = kinds.get(job.kind, job.kind)  # type: ignore[attr-defined]
    context = {"page": page, "active": job_services.jobs_active(), "kinds": kinds}
    template = "core/jobs_live.html" if request.htmx else "core/jobs.html"
    return render(request, template, context)


@allow(Role.ADMIN)
@require_POST
def jobs_recompute_all(request: HttpRequest) -> HttpResponse:
    kinds = {kind.key: kind for kind in job_services.job_kinds()}
    kind = kinds.get(request.POST.get("kind", ""))
    if kind is None:
        raise Http404
    result = job_services.full_job_request(kind.key)
    if result.queued:
        messages.success(
            request,
            _("Recompute #%(id)d (%(kind)s) of every account queued.")
            % {"id": result.job.pk, "kind": kind.label},
        )
    else:
        messages.info(
            request,
            _("Recompute #%(id)d (%(kind)s) is already %(status)s; no second one queued.")
            % {
                "id": result.job.pk,
                "kind": kind.label,
                "status": result.job.get_status_display().lower(),
            },
        )
    return redirect("core:jobs")
