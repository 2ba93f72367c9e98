"""The import page, the job page and its live progress partial."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Source, UsageEvent
from ingest.columns import SPECS
from ingest.forms import imports as import_forms
from ingest.models import ImportJob
from ingest.services import imports
from tests.accounts.factories import AccountFactory
from tests.actors import ACTORS
from tests.ingest.factories import ImportJobFactory

pytestmark = pytest.mark.django_db

PAGES = ["ingest:import", "ingest:import_job", "ingest:import_job_progress"]
USAGE_CSV = (
    b"account_id,event,timestamp,email\n"
    b"ACME,report.viewed,2025-01-05T09:00:00Z,ada@acme.test\n"
    b"ACME,report.exported,2025-01-05T10:00:00Z,ada@acme.test\n"
)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def acme():
    return AccountFactory(external_id="ACME", name="Acme")


def _csv(content: bytes = USAGE_CSV, name: str = "usage.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, ["login", 403, 200, 403, 200], strict=True))
)
def test_only_csms_and_admins_reach_the_import_pages(actors, name, actor, expected):
    job = ImportJobFactory()
    url = reverse(name) if name == "ingest:import" else reverse(name, args=[job.pk])
    response = actors[actor].get(url)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected


def test_customer_and_pm_cannot_post_an_upload(actors, acme):
    for actor in ("customer", "pm"):
        response = actors[actor].post(reverse("ingest:import"), {"kind": "usage", "file": _csv()})
        assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_small_upload_runs_in_the_request_and_shows_the_job(client_for, csm, acme):
    client = client_for(csm)
    response = client.post(reverse("ingest:import"), {"kind": "usage", "file": _csv()})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ingest:import_job", args=[job.pk])
    assert (job.status, job.source, job.file_name, job.created_by) == (
        "succeeded",
        Source.CSV,
        "usage.csv",
        csm,
    )
    assert UsageEvent.objects.filter(account=acme).count() == 2

    page = client.get(response["Location"]).content.decode()
    assert "Succeeded" in page
    assert "hx-trigger" not in page  # finished: nothing polls


def test_big_upload_is_queued_and_the_page_polls_until_done(
    client_for, csm, acme, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_LIMIT_BYTES", 10)
    client = client_for(csm)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("ingest:import"), {"kind": "usage", "file": _csv()})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    assert job.file_path  # the upload was kept for the worker

    page = client.get(response["Location"]).content.decode()
    progress_url = reverse("ingest:import_job_progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert "Queued" in page

    for callback in callbacks:  # the worker picks the job up
        callback()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    partial = client.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial
    assert "Succeeded" in partial
    assert "<html" not in partial


def test_rejected_upload_lists_row_errors_and_writes_nothing(client_for, csm, acme):
    content = USAGE_CSV + b"NOPE,report.viewed,2025-01-05T09:00:00Z,\n"
    client = client_for(csm)
    response = client.post(
        reverse("ingest:import"), {"kind": "usage", "file": _csv(content)}, follow=True
    )
    page = response.content.decode()
    assert "Rejected" in page
    assert "unknown account" in page
    assert "nothing was imported" in page
    assert not UsageEvent.objects.exists()


def test_partial_upload_lands_the_valid_rows(client_for, csm, acme):
    content = USAGE_CSV + b"NOPE,report.viewed,2025-01-05T09:00:00Z,\n"
    client_for(csm).post(
        reverse("ingest:import"), {"kind": "usage", "file": _csv(content), "partial": "on"}
    )
    job = ImportJob.objects.get()
    assert (job.status, job.partial, job.rows_inserted, job.rows_rejected) == (
        "succeeded",
        True,
        2,
        1,
    )


def test_job_page_says_only_the_first_errors_are_shown(client_for, csm):
    errors = [{"row": n, "column": "event", "reason": "is required"} for n in range(2, 102)]
    job = ImportJobFactory(status="rejected", rows_seen=500, rows_rejected=500, errors=errors)
    page = client_for(csm).get(reverse("ingest:import_job", args=[job.pk])).content.decode()
    assert "First 100 shown of 500" in page
    assert page.count("is required") == 100


def test_job_page_shows_counts_warnings_and_timings(client_for, csm):
    from django.utils import timezone

    now = timezone.now()
    job = ImportJobFactory(
        rows_seen=10,
        rows_inserted=6,
        rows_updated=2,
        rows_duplicate=1,
        rows_rejected=1,
        warnings=["Ignored unknown columns: colour."],
        started_at=now,
        finished_at=now + timezone.timedelta(seconds=3),
    )
    page = client_for(csm).get(reverse("ingest:import_job", args=[job.pk])).content.decode()
    assert "Ignored unknown columns: colour." in page
    assert "took 3.0 s" in page
    for label in ("Rows seen", "Inserted", "Updated", "Duplicates", "Rejected"):
        assert label in page


def test_missing_file_is_a_form_error(client_for, csm):
    response = client_for(csm).post(reverse("ingest:import"), {"kind": "usage"})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_files_over_the_limit_are_refused_with_a_clear_message(client_for, csm, monkeypatch):
    monkeypatch.setattr(import_forms, "MAX_UPLOAD_BYTES", 10)
    response = client_for(csm).post(reverse("ingest:import"), {"kind": "usage", "file": _csv()})
    assert response.status_code == 400
    (message,) = response.context["form"].errors["file"]
    assert "the limit is 1 GB" in message
    assert not ImportJob.objects.exists()


def test_page_documents_every_kind_from_the_specs(client_for, csm):
    page = client_for(csm).get(reverse("ingest:import")).content.decode()
    for kind, spec in SPECS.items():
        assert f'id="columns-{kind}"' in page
        for column in (*spec.required, *spec.optional):
            assert f'<td class="mono">{column}</td>' in page
    assert "ticket_id" in page  # an alias of tickets.external_id


def test_history_is_empty_at_first(client_for, csm):
    page = client_for(csm).get(reverse("ingest:import")).content.decode()
    assert "No imports yet" in page


def test_history_lists_twenty_jobs_a_page_newest_first(
    client_for, csm, django_assert_max_num_queries
):
    jobs = ImportJobFactory.create_batch(25, created_by=csm)
    client = client_for(csm)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("ingest:import"))
    assert [job.pk for job in first.context["page"]] == [j.pk for j in reversed(jobs)][:20]
    second = client.get(reverse("ingest:import"), {"page": 2})
    assert len(second.context["page"]) == 5
    assert "Page 2 of 2" in second.content.decode()


def test_import_is_in_the_navigation_of_csms_only(actors):
    def labels(actor):
        response = actors[actor].get(reverse("roadmap:public"))
        items = response.context["nav_items"] + response.context["manage_items"]
        return {str(item["label"]) for item in items}

    assert "Import data" in labels("csm")
    assert "Import data" in labels("admin")
    assert "Import data" not in labels("pm")
    assert "Import data" not in labels("customer")


@pytest.mark.django_db
def test_history_leaves_out_tracking_batches(client_for, csm):
    from accounts.models import Source
    from ingest.services.imports import import_job_create

    uploaded = import_job_create(kind="usage", source=Source.CSV, file_name="usage.csv")
    import_job_create(kind="usage", source=Source.SEGMENT)
    page = client_for(csm).get(reverse("ingest:import")).context["page"]
    assert [job.pk for job in page.object_list] == [uploaded.pk]
