"""The import page: upload a CSV, watch the job, read its errors and the history."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import imports
from accounts.ingest.columns import SPECS
from accounts.models import ImportJob, Source
from core.access import allow
from core.roles import Role

IMPORT_ROLES = (Role.CSM, Role.ADMIN)
#: The largest file the page accepts. Django streams uploads over 2.5 MB to a temporary
#: file, so size costs disk, never memory; the form can only judge a file once it has
#: arrived, so the reverse proxy should refuse bigger bodies first (client_max_body_size).
MAX_UPLOAD_BYTES = 1024 * 1024 * 1024
HISTORY_PAGE_SIZE = 20

STATUS_BADGES = {
    ImportJob.Status.QUEUED: "badge-grey",
    ImportJob.Status.RUNNING: "badge-blue",
    ImportJob.Status.SUCCEEDED: "badge-green",
    ImportJob.Status.REJECTED: "badge-yellow",
    ImportJob.Status.FAILED: "badge-red",
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file contains"),
        choices=ImportJob.Kind.choices,
        help_text=gettext_lazy("The columns each kind expects are listed below."),
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 text with a header row; comma, semicolon, tab or | separated. Up to 1 GB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    partial = forms.BooleanField(
        label=gettext_lazy("Import valid rows only"),
        required=False,
        help_text=gettext_lazy(
            "Land the rows without errors and list the others. Unticked, one bad row "
            "stops the whole import and nothing changes."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is 1 GB. Split it into smaller files.")
                % {"size": filesizeformat(upload.size)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


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
            return redirect("accounts:import_job", job_id=job.pk)
        status = 400  # the form again, with its errors
    # Tracking API batches arrive every few seconds from each source; listing them would
    # bury the files people upload. They stay in /api/import-jobs/?source=segment.
    jobs = ImportJob.objects.exclude(source=Source.SEGMENT).select_related("created_by")
    history = Paginator(jobs, HISTORY_PAGE_SIZE)
    page = history.get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/import.html",
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
    return render(request, "accounts/import_job.html", _job_context(job))


@allow(IMPORT_ROLES)
def import_job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The live part of the job page, polled by htmx until the job has finished."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=job_id)
    return render(request, "accounts/_import_job_live.html", _job_context(job))
