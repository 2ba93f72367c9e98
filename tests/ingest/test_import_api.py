"""REST bulk imports: POST /api/import/<kind>/ and the import job endpoints."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Account, Contact, Source, Ticket, UsageEvent
from ingest.models import ImportJob
from ingest.services import imports
from tests.accounts.factories import AccountFactory
from tests.actors import ACTORS
from tests.ingest.factories import ImportJobFactory

pytestmark = pytest.mark.django_db

TICKETS_CSV = (
    "Ticket ID,Organization,Subject,Created at,Priority\n"
    "T-1,ACME,Login fails,2025-01-05T09:00:00Z,high\n"
    "T-2,ACME,Export slow,not a date,normal\n"
    "T-3,ACME,Billing,2025-01-06T09:00:00Z,low\n"
)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def acme():
    return AccountFactory(external_id="ACME", name="Acme")


def _url(kind: str, **query) -> str:
    url = reverse("api-import", kwargs={"kind": kind})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.mark.parametrize(
    ("actor", "expected"),
    list(zip(ACTORS, [401, 403, 201, 403, 201], strict=True)),
)
def test_only_csms_and_admins_may_import(actors, acme, actor, expected):
    response = actors[actor].post(
        _url("usage"),
        data=[{"account_external_id": "ACME", "event": "x", "occurred_at": "2025-01-01"}],
        content_type="application/json",
    )
    assert response.status_code == expected
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("name", ["import-job-list", "import-job-detail"])
@pytest.mark.parametrize(
    ("actor", "expected"),
    list(zip(ACTORS, [401, 403, 200, 403, 200], strict=True)),
)
def test_only_csms_and_admins_may_read_import_jobs(actors, name, actor, expected):
    job = ImportJobFactory()
    kwargs = {"pk": job.pk} if name.endswith("detail") else {}
    response = actors[actor].get(reverse(name, kwargs=kwargs))
    assert response.status_code == expected
    if expected >= 400:
        assert "detail" in response.json()


def test_json_batch_is_imported_with_a_token(client, csm, acme):
    token = Token.objects.create(user=csm)
    response = client.post(
        _url("tickets"),
        data=[
            {
                "ticket_id": "T-1",
                "organization": "ACME",
                "subject": "A",
                "created_at": "2025-01-05",
            },
            {
                "ticket_id": "T-2",
                "organization": "ACME",
                "subject": "B",
                "created_at": "2025-01-06",
            },
        ],
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["rows_inserted"], body["rows_rejected"]) == ("succeeded", 2, 0)
    assert body["source"] == Source.API
    assert body["created_by"] == csm.pk
    assert set(Ticket.objects.values_list("external_id", flat=True)) == {"T-1", "T-2"}


def test_csv_body_with_a_bad_row_is_refused_and_nothing_is_written(client_for, csm, acme):
    response = client_for(csm).post(_url("tickets"), data=TICKETS_CSV, content_type="text/csv")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "rejected"
    assert body["rows_rejected"] == 1
    assert body["errors"] == [
        {
            "row": 3,
            "column": "Created at",
            "reason": "“not a date” is not an ISO 8601 date and time",
        }
    ]
    assert not Ticket.objects.exists()


def test_partial_csv_lands_the_good_rows(client_for, csm, acme):
    response = client_for(csm).post(
        _url("tickets", partial="true"), data=TICKETS_CSV, content_type="text/csv"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["rows_inserted"], body["rows_rejected"], body["partial"]) == (2, 1, True)
    assert set(Ticket.objects.values_list("external_id", flat=True)) == {"T-1", "T-3"}


def test_missing_columns_are_a_400_with_the_job(client_for, csm):
    response = client_for(csm).post(
        _url("usage"), data=[{"event": "x"}], content_type="application/json"
    )
    assert response.status_code == 400
    assert "Missing required fields" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ('{"event": "x"}', "application/json"),
        ("[1, 2]", "application/json"),
        ("", "application/json"),
        ("", "text/csv"),
    ],
    ids=["malformed", "object-not-list", "not-objects", "empty-json", "empty-csv"],
)
def test_unreadable_bodies_are_a_400_detail_and_no_job(client_for, csm, body, content_type):
    response = client_for(csm).post(_url("usage"), data=body, content_type=content_type)
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    assert not ImportJob.objects.exists()


def test_a_csv_body_not_utf8_past_its_beginning_is_a_400_naming_the_row(client_for, csm, acme):
    body = (
        b"account_id,event,timestamp\n"
        + b"ACME,report.viewed,2025-01-01T10:00:00Z\n" * 2_000
        + b"ACME,r\xe9sum\xe9,2025-01-01T10:00:00Z\n"
    )
    response = client_for(csm).post(_url("usage"), data=body, content_type="text/csv")
    assert response.status_code == 400
    assert response.json()["message"].startswith(
        "Row 2002 is not UTF-8 text: column “event” holds the byte 0xE9."
    )
    assert not UsageEvent.objects.exists()


def test_other_media_types_are_a_415(client_for, csm):
    response = client_for(csm).post(_url("usage"), data="x", content_type="text/plain")
    assert response.status_code == 415
    assert "detail" in response.json()


def test_unknown_kind_is_a_404(client_for, csm):
    response = client_for(csm).post(_url("invoices"), data=[], content_type="application/json")
    assert response.status_code == 404


def test_big_csv_body_is_queued_and_finished_by_the_worker(
    client_for, csm, acme, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_LIMIT_BYTES", 10)
    csv = "account_id,event,timestamp\n" + "".join(
        f"ACME,report.viewed,2025-01-0{day}T10:00:00Z\n" for day in range(1, 6)
    )
    client = client_for(csm)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("usage"), data=csv, content_type="text/csv")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    job = client.get(response["Location"]).json()
    assert (job["status"], job["rows_inserted"], job["progress"]) == ("succeeded", 5, 100)
    assert UsageEvent.objects.filter(account=acme, source=Source.API).count() == 5


def test_import_jobs_list_newest_first_and_filters(client_for, csm):
    older = ImportJobFactory(kind="tickets")
    newer = ImportJobFactory(kind="usage", status="rejected")
    client = client_for(csm)
    listed = client.get(reverse("import-job-list")).json()["results"]
    assert [job["id"] for job in listed] == [newer.pk, older.pk]
    rejected = client.get(reverse("import-job-list"), {"status": "rejected"}).json()["results"]
    assert [job["id"] for job in rejected] == [newer.pk]


def test_accounts_can_be_imported_as_json(client_for, admin_user):
    response = client_for(admin_user).post(
        _url("accounts"),
        data=[{"external_id": "NEW-1", "name": "New Co", "plan": "Pro"}],
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert Account.objects.get(external_id="NEW-1").plan == "Pro"


def test_schema_documents_the_import_endpoints_without_warnings(capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    err = capsys.readouterr().err
    assert "Warning" not in err


def test_control_characters_in_ids_are_row_errors_through_the_api(client_for, csm, acme):
    """GIVEN a JSON batch with a NUL in an e-mail, and a key the import does not know
    that holds one WHEN posted THEN a 400 names the row and column, and nothing lands;
    the same file as CSV answers alike."""
    records = [
        {"account_external_id": "ACME", "name": "Ana", "email": "ana@acme.test"},
        {"account_external_id": "ACME", "name": "Ben", "email": "ben\u0000@acme.test",
         "no\u0000te": "x"},
    ]  # fmt: skip
    response = client_for(csm).post(_url("contacts"), data=records, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [
        {"row": 2, "column": "email", "reason": "must not contain control characters"}
    ]
    assert body["warnings"] == ["Ignored unknown columns: no\ufffdte."]
    csv = "account_external_id,name,email\nACME,Ana,ana@acme.test\nACME,Ben,ben\x00@acme.test\n"
    response = client_for(csm).post(_url("contacts"), data=csv, content_type="text/csv")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 3, "column": "email", "reason": "must not contain control characters"}
    ]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "body", ["[" + "1" * 5000 + "]", "[" * 100_000 + "]" * 100_000], ids=["huge-int", "deep"]
)
def test_json_python_cannot_read_is_a_400_detail(client_for, csm, body):
    response = client_for(csm).post(_url("usage"), data=body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
