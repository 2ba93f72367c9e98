"""The import page: upload a CSV, watch the job, read its errors and the history."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import Source
from core.access import allow
from core.roles import Role
from ingest.columns import SPECS
from ingest.forms import ImportForm
from ingest.models import ImportJob
from ingest.services import imports

IMPORT_ROLES = (Role.CSM, Role.ADMIN)
HISTORY_PAGE_SIZE = 20

STATUS_BADGES = {
    ImportJob.Status.QUEUED: "badge-grey",
    ImportJob.Status.RUNNING: "badge-blue",
    ImportJob.Status.SUCCEEDED: "badge-green",
    ImportJob.Status.REJECTED: "badge-yellow",
    ImportJob.Status.FAILED: "badge-red",
}


def column_docs() -> list[dict]:
    """The documented columns of every kind, with the header aliases each accepts."""
    labels = dict(ImportJob.Kind.choices)
    docs = []
    for kind, spec in SPECS.items():
        aliases: dict[str, list[str]] = {}
        for alias, column in sorted(spec.aliases.items()):
            aliases.setdefault(column, []).append(alias)
        columns = [
            {"name": name, "required": name in spec.required, "aliases": aliases.get(name, [])}
            for name in (*spec.required, *spec.optional)
        ]
        docs.append({"kind": kind, "label": labels.get(kind, kind), "columns": columns})
    return docs


def _start(request: HttpRequest, form: ImportForm) -> ImportJob:
    """Record the job with its file; run small files now, queue big ones on a worker."""
    upload = form.cleaned_data["file"]
    job = imports.import_job_create(
        kind=form.cleaned_data["kind"],
        source=Source.CSV,
        partial=form.cleaned_data["partial"],
        user=request.user,
        file_name=upload.name[:255],
        upload=upload,
    )
    return imports.import_job_start(job=job)


@allow(IMPORT_ROLES)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            job = _start(request, form)
            return redirect("ingest:import_job", job_id=job.pk)
        status = 400  # the form again, with its errors
    # Tracking API batches arrive every few seconds from each source; listing them would
    # bury the files people upload. They stay in /api/import-jobs/?source=segment.
    jobs = ImportJob.objects.exclude(source=Source.SEGMENT).select_related("created_by")
    history = Paginator(jobs, HISTORY_PAGE_SIZE)
    page = history.get_page(request.GET.get("page"))
    return render(
        request,
        "ingest/import.html",
        {
            "form": form,
            "page": page,
            "column_docs": column_docs(),
        },
        status=status,
    )


def _job_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "progress": imports.import_progress(job),
        "badge": STATUS_BADGES.get(job.status, "badge-grey"),
        "errors_truncated": job.rows_rejected > len(job.errors),
    }


@allow(IMPORT_ROLES)
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=job_id)
    return render(request, "ingest/import_job.html", _job_context(job))


@allow(IMPORT_ROLES)
def import_job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The live part of the job page, polled by htmx until the job has finished."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=job_id)
    return render(request, "ingest/_import_job_live.html", _job_context(job))
