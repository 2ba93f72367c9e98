"""Every import kind through every door (the page, the REST API as CSV and as JSON, the
CLI) lands its rows. A whole kind once failed on every door unseen: this is its guard."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Contact, RenewalOutcome, SurveyResponse, Ticket, UsageEvent
from ingest.models import ImportJob
from tests.accounts.factories import AccountFactory

pytestmark = pytest.mark.django_db

#: A Zendesk ticket export as Zendesk names its columns (organisations by name).
ZENDESK_EXPORT = Path(__file__).parent / "fixtures" / "zendesk_tickets.csv"


def _rows(kind: str) -> list[dict[str, str]]:
    """Two valid rows of ``kind`` for the account ACME, dated yesterday."""
    at = (timezone.now() - timedelta(days=1)).replace(microsecond=0).isoformat()
    return {
        "accounts": [
            {"external_id": "NEW-1", "name": "Newco", "arr": "12000"},
            {"external_id": "NEW-2", "name": "Otherco", "segment": "SMB"},
        ],
        "contacts": [
            {"account_external_id": "ACME", "name": "Ana Lima", "email": "ana@acme.test"},
            {
                "account_external_id": "ACME",
                "name": "Ben Ode",
                "email": "ben@acme.test",
                "is_champion": "yes",
            },
        ],
        "usage": [
            {"account_external_id": "ACME", "event": "login", "occurred_at": at},
            {"account_external_id": "ACME", "event": "report.viewed", "occurred_at": at},
        ],
        "tickets": [
            {"external_id": "T-1", "account_external_id": "ACME", "subject": "Hi", "opened_at": at},
            {
                "external_id": "T-2",
                "account_external_id": "ACME",
                "subject": "Export",
                "opened_at": at,
                "priority": "urgent",
            },
        ],
        "surveys": [
            {
                "external_id": "S-1",
                "account_external_id": "ACME",
                "kind": "nps",
                "score": "9",
                "responded_at": at,
            },
            {
                "external_id": "S-2",
                "account_external_id": "ACME",
                "kind": "csat",
                "score": "4",
                "responded_at": at,
            },
        ],
        "renewals": [
            {
                "account_external_id": "ACME",
                "renewed_on": at[:10],
                "outcome": "renewed",
                "arr_before": "12000",
                "arr_after": "12000",
            },
            {
                "account_external_id": "ACME",
                "renewed_on": "2025-01-15",
                "outcome": "expanded",
                "arr_before": "10000",
                "arr_after": "12000",
            },
        ],
    }[kind]


def _csv(kind: str) -> bytes:
    rows = _rows(kind)
    columns = sorted({column for row in rows for column in row})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


LANDED = {
    "accounts": lambda: AccountFactory._meta.model.objects.filter(
        external_id__startswith="NEW-"
    ).count(),
    "contacts": lambda: Contact.objects.filter(email__endswith="@acme.test").count(),
    "usage": lambda: UsageEvent.objects.count(),
    "tickets": lambda: Ticket.objects.count(),
    "surveys": lambda: SurveyResponse.objects.count(),
    "renewals": lambda: RenewalOutcome.objects.count(),
}
KINDS = list(LANDED)


@pytest.fixture
def acme(db):
    return AccountFactory(external_id="ACME", name="Acme")


def _landed(kind: str, job: ImportJob) -> None:
    assert job.status == ImportJob.Status.SUCCEEDED, (job.message, job.errors)
    assert job.rows_inserted == 2
    assert LANDED[kind]() == 2


@pytest.mark.parametrize("kind", KINDS)
def test_the_import_page(kind, acme, client_for, csm):
    upload = SimpleUploadedFile(f"{kind}.csv", _csv(kind), content_type="text/csv")
    response = client_for(csm).post(reverse("ingest:import"), {"kind": kind, "file": upload})
    assert response.status_code == 302, response.content[:500]
    _landed(kind, ImportJob.objects.get())


@pytest.mark.parametrize("kind", KINDS)
def test_the_api_with_a_csv_body(kind, acme, client_for, csm):
    response = client_for(csm).post(
        reverse("api-import", args=[kind]), _csv(kind), content_type="text/csv"
    )
    assert response.status_code == 201, response.content[:500]
    _landed(kind, ImportJob.objects.get(pk=response.json()["id"]))


@pytest.mark.parametrize("kind", KINDS)
def test_the_api_with_a_json_body(kind, acme, client_for, csm):
    response = client_for(csm).post(
        reverse("api-import", args=[kind]), _rows(kind), content_type="application/json"
    )
    assert response.status_code == 201, response.content[:500]
    _landed(kind, ImportJob.objects.get(pk=response.json()["id"]))


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_line(kind, acme, tmp_path):
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(_csv(kind))
    out = io.StringIO()
    call_command("ingest", kind, str(path), stdout=out)
    _landed(kind, ImportJob.objects.get())


def test_a_bad_champion_value_is_a_row_error_naming_what_is_accepted(acme, client_for, csm):
    body = b"account_external_id,name,email,is_champion\nACME,Ana,ana@acme.test,maybe\n"
    response = client_for(csm).post(
        reverse("api-import", args=["contacts"]), body, content_type="text/csv"
    )
    assert response.status_code == 400
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    (error,) = job.errors
    assert error["column"] == "is_champion"
    assert "maybe" in error["reason"]
    assert "yes" in error["reason"]


@pytest.mark.parametrize("door", ["page", "api", "cli"])
def test_a_zendesk_export_through_every_file_door(door, client_for, csm, tmp_path):
    company = AccountFactory(external_id="C-001", name="Company 1")
    AccountFactory(external_id="N-002", name="Northwind Traders")
    data = ZENDESK_EXPORT.read_bytes()
    if door == "page":
        upload = SimpleUploadedFile("export.csv", data, content_type="text/csv")
        response = client_for(csm).post(
            reverse("ingest:import"), {"kind": "tickets", "file": upload}
        )
        assert response.status_code == 302, response.content[:500]
    elif door == "api":
        response = client_for(csm).post(
            reverse("api-import", args=["tickets"]), data, content_type="text/csv"
        )
        assert response.status_code == 201, response.content[:500]
    else:
        call_command("ingest", "tickets", str(ZENDESK_EXPORT), stdout=io.StringIO())
    job = ImportJob.objects.get()
    assert (job.status, job.rows_inserted, job.errors) == (ImportJob.Status.SUCCEEDED, 5, [])
    assert Ticket.objects.filter(account=company).count() == 3
