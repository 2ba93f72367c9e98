"""The ingestion pipeline against the database (SQLite locally, PostgreSQL in CI)."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from accounts.models import (
    Account,
    Contact,
    DailyActivity,
    DailyUsage,
    Source,
    SurveyResponse,
    Ticket,
    UsageEvent,
)
from core.models import Job
from ingest.models import ImportJob
from ingest.rules import Lookups, check_usage
from ingest.services.imports import import_file, import_records
from ingest.services.sinks import UsageSink
from tests.accounts.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

USAGE_HEADER = "account_external_id,event,occurred_at,quantity,contact_email\n"
#: A Zendesk ticket export (Views > Export CSV) as Zendesk names its columns.
ZENDESK_EXPORT = Path(__file__).parent / "fixtures" / "zendesk_tickets.csv"


@pytest.fixture(autouse=True)
def _read_after_the_files(clock):
    """The files below hold events of late November 2026; they are read a few days
    later (the pipeline refuses events more than a day ahead of the clock)."""
    clock.move_to(datetime(2026, 11, 30, 12, tzinfo=UTC))


@pytest.fixture
def acme(db):
    return AccountFactory(external_id="ACME", name="Acme")


def write(tmp_path: Path, text: str, name="file.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def usage_file(tmp_path, rows: list[str]) -> Path:
    return write(tmp_path, USAGE_HEADER + "".join(f"{r}\n" for r in rows))


def rollups():
    return sorted(
        DailyUsage.objects.values_list(
            "account_id", "day", "event", "event_count", "quantity", "active_contacts"
        )
    )


def test_usage_lands_with_exact_daily_rollups(tmp_path, acme):
    path = usage_file(
        tmp_path,
        [
            "ACME,report.viewed,2026-11-20T10:00:00Z,1,ana@acme.test",
            "ACME,report.viewed,2026-11-20T23:30:00+00:00,2,ben@acme.test",
            "ACME,report.viewed,2026-11-21T00:30:00+02:00,1,ana@acme.test",
            "ACME,export,2026-11-20T12:00:00,,ana@acme.test",
        ],
    )
    job = import_file(kind="usage", path=path)
    assert (job.status, job.rows_seen, job.rows_inserted) == (ImportJob.Status.SUCCEEDED, 4, 4)
    day = {str(d): (c, q, a) for _, d, e, c, q, a in rollups() if e == "report.viewed"}
    # 00:30 at +02:00 is 22:30 UTC on the 20th: three views that day by two people.
    assert day == {"2026-11-20": (3, 4.0, 2)}
    activity = DailyActivity.objects.get(account=acme)
    assert (activity.event_count, activity.active_contacts) == (4, 2)
    assert set(Contact.objects.filter(account=acme).values_list("email", flat=True)) == {
        "ana@acme.test",
        "ben@acme.test",
    }


def test_same_file_twice_changes_nothing_the_second_time(
    tmp_path, acme, django_capture_on_commit_callbacks
):
    path = usage_file(
        tmp_path, ["ACME,login,2026-11-20T10:00:00,1,", "ACME,login,2026-11-20T11:00:00,1,"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = import_file(kind="usage", path=path)
    before = (rollups(), UsageEvent.objects.count(), Job.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        second = import_file(kind="usage", path=path)
    assert (first.rows_inserted, second.rows_inserted, second.rows_duplicate) == (2, 0, 2)
    assert (rollups(), UsageEvent.objects.count(), Job.objects.count()) == before


def test_the_same_events_spelt_otherwise_are_not_inserted_again(tmp_path, acme):
    """GIVEN events without message IDs WHEN the same events come again with other
    spellings of the instant, the quantity and the e-mail THEN nothing is inserted."""
    first = import_file(
        kind="usage",
        path=usage_file(
            tmp_path,
            [
                "ACME,login,2026-11-20T10:00:00Z,3,ana@acme.test",
                "ACME,export,2026-11-20T12:30:00+00:00,1,",
            ],
        ),
    )
    before = (rollups(), UsageEvent.objects.count())
    again = import_file(
        kind="usage",
        path=usage_file(
            tmp_path,
            [
                "ACME,login,2026-11-20 10:00:00+00:00,3.0,Ana@ACME.test",
                "ACME, export ,2026-11-20T13:30:00+01:00,,",
            ],
        ),
    )
    assert (first.rows_inserted, again.rows_inserted, again.rows_duplicate) == (2, 0, 2)
    assert (rollups(), UsageEvent.objects.count()) == before


def _previous_key(row: dict[str, str]) -> str:
    """The key the previous version stored for a row without message ID: a hash of the
    raw text of the row's columns."""
    part = pd.DataFrame([row]).astype(str)
    halves = [
        pd.util.hash_pandas_object(part, index=False, hash_key=key).to_numpy()
        for key in ("csplatform-row-1", "csplatform-row-2")
    ]
    return "h:" + np.column_stack(halves).astype(">u8").tobytes().hex()


def test_events_keyed_before_the_normalised_key_are_rekeyed_once(tmp_path, acme):
    """GIVEN events stored under the previous key, two of them the same event spelt
    twice WHEN migration ingest 0002 re-keys them and the file comes again, spelt
    otherwise THEN nothing is inserted, and the earlier duplicate keeps its old key."""
    raw = [
        ("ACME", "login", "2026-11-20T10:00:00Z", "3", "ana@acme.test"),
        ("ACME", "login", "2026-11-20T10:00:00+00:00", "3", "ana@acme.test"),
        ("ACME", "export", "2026-11-21T08:00:00", "1", ""),
    ]
    columns = USAGE_HEADER.strip().split(",")
    rows = [dict(zip(columns, values, strict=True)) for values in raw]
    assert _previous_key(  # the definition the previous version's test pinned
        {"account_external_id": "A1", "event": "e", "occurred_at": "2026-11-20T10:00:00",
         "quantity": "1", "contact_email": "Ann@x.io "}
    ) == "h:4c0bc9f5ddd73a9433647e64f68bc7c8"  # fmt: skip
    import_file(kind="usage", path=usage_file(tmp_path, [",".join(r) for r in raw]))
    login, export = UsageEvent.objects.order_by("occurred_at")
    # As the previous version stored them: the login twice, under two keys.
    UsageEvent.objects.filter(pk=login.pk).update(source_id=_previous_key(rows[0]))
    UsageEvent.objects.filter(pk=export.pk).update(source_id=_previous_key(rows[2]))
    login.pk, login.source_id = None, _previous_key(rows[1])
    login.save()

    migration = importlib.import_module("ingest.migrations.0003_usage_keys_from_normalised_values")
    migration.rekey(django_apps, SimpleNamespace(connection=connection))
    keys = list(UsageEvent.objects.order_by("pk").values_list("source_id", flat=True))
    assert [key[:2] for key in keys] == ["k:", "k:", "h:"]  # the login, the export, its copy
    migration.rekey(django_apps, SimpleNamespace(connection=connection))  # a second run
    again = list(UsageEvent.objects.order_by("pk").values_list("source_id", flat=True))
    assert again == keys

    job = import_file(
        kind="usage",
        path=usage_file(
            tmp_path,
            [
                "ACME,login,2026-11-20 10:00:00+00:00,3.0,ANA@acme.test",
                "ACME,export,2026-11-21T08:00:00Z,,",
            ],
        ),
    )
    assert (job.rows_inserted, job.rows_duplicate) == (0, 2)


def test_one_bad_row_rejects_the_file_and_writes_nothing(tmp_path, acme):
    path = usage_file(
        tmp_path,
        [
            "ACME,login,2026-11-20T10:00:00,1,new.person@acme.test",
            "GHOST,login,2026-11-20T10:00:00,1,",
            "ACME,login,not-a-date,1,",
        ],
    )
    job = import_file(kind="usage", path=path)
    assert job.status == ImportJob.Status.REJECTED
    assert (job.rows_seen, job.rows_rejected, job.rows_inserted) == (3, 2, 0)
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "account_external_id"),
        (4, "occurred_at"),
    ]
    assert not UsageEvent.objects.exists()
    assert not DailyUsage.objects.exists()
    assert not Contact.objects.filter(email="new.person@acme.test").exists()
    assert not Account.objects.filter(external_id="GHOST").exists()


def test_partial_lands_the_valid_rows_and_reports_the_rest(tmp_path, acme):
    path = usage_file(
        tmp_path, ["ACME,login,2026-11-20T10:00:00,1,", "GHOST,login,2026-11-20T10:00:00,1,"]
    )
    job = import_file(kind="usage", path=path, partial=True)
    assert (job.status, job.rows_inserted, job.rows_rejected) == (ImportJob.Status.SUCCEEDED, 1, 1)
    assert "GHOST" in job.errors[0]["reason"]


def test_only_touched_days_are_rebuilt(tmp_path, acme):
    import_file(kind="usage", path=usage_file(tmp_path, ["ACME,login,2026-11-01T10:00:00,1,"]))
    old_day = DailyUsage.objects.get(day="2026-11-01")
    import_file(kind="usage", path=usage_file(tmp_path, ["ACME,login,2026-11-02T10:00:00,1,"]))
    assert DailyUsage.objects.get(day="2026-11-01").pk == old_day.pk  # not deleted and rebuilt
    import_file(kind="usage", path=usage_file(tmp_path, ["ACME,login,2026-11-01T18:00:00,5,"]))
    assert DailyUsage.objects.get(day="2026-11-01").event_count == 2


def test_only_touched_accounts_are_announced(tmp_path, acme, django_capture_on_commit_callbacks):
    AccountFactory(external_id="OTHER")
    with django_capture_on_commit_callbacks(execute=True):
        import_file(kind="usage", path=usage_file(tmp_path, ["ACME,login,2026-11-20T10:00:00,1,"]))
    # Health is asked once by the ingest and may be asked again by the onboarding
    # recompute the same announcement woke; either way only for the touched account.
    health = Job.objects.filter(kind="health")
    assert {tuple(run.account_ids) for run in health} == {(acme.pk,)}


def test_only_the_first_hundred_errors_are_kept_but_all_are_counted(tmp_path, acme):
    path = usage_file(tmp_path, [f"GHOST{i},login,2026-11-20T10:00:00,1," for i in range(150)])
    job = import_file(kind="usage", path=path)
    assert (job.rows_rejected, len(job.errors)) == (150, 100)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (USAGE_HEADER, "no data rows"),
        ("account_external_id,quantity\nACME,1\n", "Missing required columns: event, occurred_at"),
    ],
)
def test_whole_file_problems_reject_the_job_with_a_message(tmp_path, acme, text, message):
    job = import_file(kind="usage", path=write(tmp_path, text))
    assert job.status == ImportJob.Status.REJECTED
    assert message in job.message
    assert job.finished_at is not None


def test_unknown_columns_are_ignored_with_a_warning(tmp_path, acme):
    path = write(
        tmp_path, "account_external_id,event,occurred_at,browser\nACME,login,2026-11-20,chrome\n"
    )
    job = import_file(kind="usage", path=path)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.warnings == ["Ignored unknown columns: browser."]


def test_ticket_export_headers_work_and_reimport_updates_changed_tickets(tmp_path, acme):
    header = "Ticket ID,Organization,Subject,Created at,Priority,Status\n"
    path = write(tmp_path, header + "Z-1,ACME,Login broken,2026-11-01T09:00:00Z,Urgent,Open\n")
    assert import_file(kind="tickets", path=path).rows_inserted == 1
    again = import_file(kind="tickets", path=path)
    assert (again.rows_inserted, again.rows_updated, again.rows_duplicate) == (0, 0, 1)
    path = write(tmp_path, header + "Z-1,ACME,Login broken,2026-11-01T09:00:00Z,Urgent,Solved\n")
    changed = import_file(kind="tickets", path=path)
    assert changed.rows_updated == 1
    assert Ticket.objects.get(external_id="Z-1").status == Ticket.Status.SOLVED


def test_a_zendesk_export_lands_with_accounts_matched_by_organisation_name():
    """GIVEN Zendesk's export, whose "Organization" column holds names (in Zendesk's
    case), whose tags are space separated and which gives the first reply in minutes
    THEN every ticket lands on its account, with its tags and first response."""
    company = AccountFactory(external_id="C-001", name="Company 1")
    northwind = AccountFactory(external_id="N-002", name="Northwind Traders")
    job = import_file(kind="tickets", path=ZENDESK_EXPORT)
    assert (job.status, job.rows_inserted, job.errors) == (ImportJob.Status.SUCCEEDED, 5, [])
    tickets = {t.external_id: t for t in Ticket.objects.all()}
    assert {key: t.account_id for key, t in tickets.items()} == {
        "1201": company.pk,
        "1202": company.pk,
        "1203": northwind.pk,
        "1204": northwind.pk,
        "1205": company.pk,
    }
    assert {key: t.tags for key, t in tickets.items()} == {
        "1201": ["export", "pdf"],
        "1202": ["login", "sso", "urgent_escalation"],
        "1203": ["seats"],
        "1204": ["billing", "invoice"],
        "1205": ["reports"],
    }
    assert {key: (t.status, t.priority) for key, t in tickets.items()} == {
        "1201": ("solved", "high"),
        "1202": ("open", "urgent"),
        "1203": ("pending", "normal"),
        "1204": ("closed", "low"),
        "1205": ("pending", "normal"),
    }
    # Created at 09:14 +02:00 and first replied to 45 minutes later; 1203 never was.
    assert tickets["1201"].first_response_at == datetime(2025, 10, 6, 7, 59, tzinfo=UTC)
    assert tickets["1204"].first_response_at == datetime(2025, 10, 11, 17, 45, tzinfo=UTC)
    assert tickets["1203"].first_response_at is None
    assert tickets["1201"].solved_at == datetime(2025, 10, 7, 14, 2, 11, tzinfo=UTC)
    assert job.warnings[0].startswith("Ignored unknown columns: Summation column, Requester,")


def test_row_errors_name_the_files_column_and_refuse_a_name_two_accounts_bear(tmp_path):
    AccountFactory(external_id="C-001", name="Company 1")
    AccountFactory(external_id="C-009", name="company 1")
    AccountFactory(external_id="N-002", name="Northwind Traders")
    path = write(
        tmp_path,
        "Id,Organization,Subject,Created at\n"
        "1,Company 1,Shared name,2025-10-06 09:14:00 +0200\n"
        "2,Nowhere Inc,Unknown,2025-10-06 09:14:00 +0200\n"
        "3,C-009,External ID first,2025-10-06 09:14:00 +0200\n"
        "4,northwind TRADERS,Bad date,not a date\n",
    )
    job = import_file(kind="tickets", path=path, partial=True)
    assert job.errors == [
        {
            "row": 2,
            "column": "Organization",
            "reason": "“Company 1” is the name of 2 accounts: use the external ID of the one "
            "you mean",
        },
        {"row": 3, "column": "Organization", "reason": "unknown account “Nowhere Inc”"},
        {
            "row": 5,
            "column": "Created at",
            "reason": "“not a date” is not an ISO 8601 date and time",
        },
    ]
    assert Ticket.objects.get().account.external_id == "C-009"


def test_accounts_import_creates_updates_and_maps_csm_by_email(tmp_path):
    csm = UserFactory(role="csm", email="casey@vendor.test")
    header = "external_id,name,arr,licensed_seats,csm_email,renews_on\n"
    path = write(tmp_path, header + "N-1,Northwind,12000,10,casey@vendor.test,2027-01-31\n")
    assert import_file(kind="accounts", path=path).rows_inserted == 1
    account = Account.objects.get(external_id="N-1")
    assert (account.csm_owner, account.licensed_seats, str(account.renews_on)) == (
        csm,
        10,
        "2027-01-31",
    )
    path = write(tmp_path, header + "N-1,Northwind Foods,12000,10,casey@vendor.test,2027-01-31\n")
    job = import_file(kind="accounts", path=path)
    assert (job.rows_inserted, job.rows_updated) == (0, 1)
    assert Account.objects.get(external_id="N-1").name == "Northwind Foods"


def test_surveys_check_score_ranges_per_kind(tmp_path, acme):
    header = "external_id,account_external_id,kind,score,responded_at\n"
    path = write(tmp_path, header + "S1,ACME,nps,10,2026-11-01\nS2,ACME,csat,9,2026-11-01\n")
    job = import_file(kind="surveys", path=path)
    assert job.status == ImportJob.Status.REJECTED
    assert job.errors == [{"row": 3, "column": "score", "reason": "must be 1 to 5 for CSAT"}]


def test_json_records_go_through_the_same_pipeline(acme):
    records = [
        {
            "account_external_id": "ACME",
            "event": "login",
            "occurred_at": "2026-11-20T10:00:00Z",
            "message_id": "m1",
        },
        {
            "account_external_id": "ACME",
            "event": "login",
            "occurred_at": "2026-11-20T10:00:00Z",
            "message_id": "m1",
        },
    ]
    job = import_records(kind="usage", records=records, source=Source.API)
    assert (job.rows_inserted, job.rows_duplicate) == (1, 1)
    assert UsageEvent.objects.get().source == Source.API


def test_cli_prints_counts_and_fails_on_rejection(tmp_path, acme):
    good = usage_file(tmp_path, ["ACME,login,2026-11-20T10:00:00,1,"])
    out = StringIO()
    call_command("ingest", "usage", str(good), stdout=out)
    assert "1 inserted" in out.getvalue()
    bad = usage_file(tmp_path, ["GHOST,login,2026-11-20T10:00:00,1,"])
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("ingest", "usage", str(bad), stdout=StringIO(), stderr=err)
    assert "unknown account" in err.getvalue()


def test_cli_refuses_a_file_not_utf8_past_its_beginning_naming_the_row(tmp_path, acme):
    """GIVEN a Latin-1 byte some 75 KB into the file WHEN imported from the command line
    THEN one clear refusal naming the row and column, and the job says so."""
    path = tmp_path / "usage.csv"
    path.write_bytes(
        USAGE_HEADER.encode()
        + b"ACME,login,2026-11-20T10:00:00,1,\n" * 3_000
        + b"ACME,caf\xe9,2026-11-20T10:00:00,1,\n"
    )
    with pytest.raises(CommandError, match="Row 3002 is not UTF-8 text: column “event”"):
        call_command("ingest", "usage", str(path), stdout=StringIO(), stderr=StringIO())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    assert not UsageEvent.objects.exists()


@pytest.mark.needs_postgres
def test_postgres_path_stages_with_copy_and_keeps_the_brin_index(tmp_path, acme):
    rows = [
        f"ACME,e{i % 3},2026-11-{1 + i % 20:02d}T10:{i // 20:02d}:00,1,p{i % 7}@acme.test"
        for i in range(500)
    ]
    job = import_file(kind="usage", path=usage_file(tmp_path, rows))
    again = import_file(kind="usage", path=usage_file(tmp_path, rows[:100]))
    assert (job.rows_inserted, again.rows_inserted, again.rows_duplicate) == (500, 0, 100)
    assert sum(DailyUsage.objects.values_list("event_count", flat=True)) == 500
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = 'usage_occurred_brin'")
        assert cursor.fetchone() is not None


def test_event_properties_from_the_json_doors_are_kept(acme):
    records = [
        {
            "account_external_id": "ACME",
            "event": "report.exported",
            "occurred_at": "2026-11-20T10:00:00Z",
            "message_id": "p1",
            "properties": {"format": "pdf", "pages": 3},
        }
    ]
    import_records(kind="usage", records=records, source=Source.SEGMENT)
    assert UsageEvent.objects.get().properties == {"format": "pdf", "pages": 3}


def test_properties_that_are_not_a_json_object_are_row_errors_saying_why(tmp_path, acme):
    path = write(
        tmp_path,
        "account_external_id,event,occurred_at,properties\n"
        'ACME,a,2026-11-20,"{""plan"": ""pro""}"\n'
        "ACME,b,2026-11-20,[1]\n"
        "ACME,c,2026-11-20,{oops\n"
        'ACME,d,2026-11-20,"{""plan"": ""pro"" ""seats"": 3}"\n'
        'ACME,e,2026-11-20,"{""plan"": ""\\u0000""}"\n',
    )
    job = import_file(kind="usage", path=path, partial=True)
    assert job.rows_inserted == 1
    assert [(e["row"], e["column"], e["reason"]) for e in job.errors] == [
        (3, "properties", "is not a JSON object"),
        (
            4,
            "properties",
            "is not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        ),
        (
            5,
            "properties",
            "is not valid JSON: Expecting ',' delimiter: line 1 column 16 (char 15)",
        ),
        (6, "properties", "must not contain control characters (at plan)"),
    ]
    assert UsageEvent.objects.get().properties == {"plan": "pro"}


def test_properties_with_a_line_break_inside_a_quoted_field_are_kept(tmp_path, acme):
    """GIVEN a properties cell whose JSON string holds a raw line break (valid CSV: the
    field is quoted) WHEN imported THEN the event lands with the line break in its value."""
    path = write(
        tmp_path,
        "account_external_id,event,occurred_at,properties\n"
        'ACME,note.added,2026-11-20,"{""text"": ""first line\nsecond\tline"", ""n"": 2}"\n',
    )
    job = import_file(kind="usage", path=path)
    assert (job.status, job.errors) == (ImportJob.Status.SUCCEEDED, [])
    stored = UsageEvent.objects.get()
    assert stored.properties == {"text": "first line\nsecond\tline", "n": 2}


def test_active_contacts_stay_distinct_across_loads(tmp_path, acme):
    """GIVEN Ana logged in on a day WHEN a later load brings Ana again and Ben
    THEN that day counts two active people, not three."""
    import_file(
        kind="usage", path=usage_file(tmp_path, ["ACME,login,2026-11-20T08:00:00,1,ana@acme.test"])
    )
    import_file(
        kind="usage",
        path=usage_file(
            tmp_path,
            [
                "ACME,login,2026-11-20T09:00:00,1,ana@acme.test",
                "ACME,login,2026-11-20T10:00:00,1,ben@acme.test",
                "ACME,export,2026-11-20T11:00:00,1,ana@acme.test",
            ],
        ),
    )
    login = DailyUsage.objects.get(event="login")
    assert (login.event_count, login.active_contacts) == (3, 2)
    assert DailyUsage.objects.get(event="export").active_contacts == 1
    activity = DailyActivity.objects.get()
    assert (activity.event_count, activity.active_contacts) == (4, 2)


def test_awkward_text_lands_intact_and_people_become_contacts_once(acme):
    """GIVEN events whose text holds tabs, quotes, backslashes and accents, by a person
    not yet known WHEN loaded twice THEN the text is stored as sent and one contact exists.
    (An event name is one line; its properties may hold tabs and line breaks.)"""
    event = 'comma, "quoted" back\\slash é'
    records = [
        {
            "account_external_id": "ACME",
            "event": event,
            "occurred_at": "2026-11-20T10:00:00.123456Z",
            "message_id": f"k{i}",
            "contact_email": "Zoé.Doe@Acme.test",
            "properties": {"path": "C:\\temp\n\tx", "n": i},
        }
        for i in range(2)
    ]
    first = import_records(kind="usage", records=records, source=Source.API)
    again = import_records(kind="usage", records=records, source=Source.API)
    assert (first.rows_inserted, again.rows_duplicate) == (2, 2)
    stored = UsageEvent.objects.order_by("source_id")
    assert [e.event for e in stored] == [event, event]
    assert stored[1].properties == {"path": "C:\\temp\n\tx", "n": 1}
    assert stored[0].occurred_at.isoformat() == "2026-11-20T10:00:00.123456+00:00"
    contact = Contact.objects.get()
    assert (contact.email, contact.name, contact.account_id) == (
        "zoé.doe@acme.test",
        "zoé.doe",
        acme.pk,
    )
    assert {e.contact_id for e in stored} == {contact.pk}


@pytest.mark.needs_postgres
def test_a_load_whose_account_vanished_fails_instead_of_leaving_orphans(acme):
    """GIVEN checked rows of an account deleted since they were looked up (the events
    have no FK constraint) WHEN the load finishes THEN it fails and writes nothing."""
    rows = check_usage(
        pd.DataFrame(
            {
                "account_external_id": ["GONE"],
                "event": ["login"],
                "occurred_at": ["2026-11-20T10:00:00"],
                "contact_email": ["ana@gone.test"],
            }
        ),
        Lookups(accounts={"GONE": acme.pk + 1000}),
    ).rows
    sink = UsageSink(Source.API)
    sink.add(rows)
    with (
        pytest.raises(IntegrityError, match="1 accounts of this load were deleted"),
        transaction.atomic(),
    ):
        sink.finish()
    assert not UsageEvent.objects.exists()
    assert not Contact.objects.exists()


CONTROL = "must not contain control characters"
#: Per kind: a good record, and a bad one whose ID column holds a control character.
CONTROL_CASES = [
    ("accounts", {"external_id": "NEW-1", "name": "Newco"},
     {"external_id": "NEW\x00-2", "name": "Otherco"}, "external_id"),
    ("accounts", {"external_id": "NEW-1", "name": "Newco"},
     {"external_id": "NEW-2", "name": "Otherco", "csm_email": "csm\x00@x.test"}, "csm_email"),
    ("contacts", {"account_external_id": "ACME", "name": "Ana", "email": "ana@acme.test"},
     {"account_external_id": "AC\x00ME", "name": "Ben", "email": "ben@acme.test"},
     "account_external_id"),
    ("contacts", {"account_external_id": "ACME", "name": "Ana", "email": "ana@acme.test"},
     {"account_external_id": "ACME", "name": "Ben", "email": "ben\x00@acme.test"}, "email"),
    ("usage", {"account_external_id": "ACME", "event": "login", "occurred_at": "2026-11-20"},
     {"account_external_id": "ACME\x7f", "event": "login", "occurred_at": "2026-11-20"},
     "account_external_id"),
    ("usage", {"account_external_id": "ACME", "event": "login", "occurred_at": "2026-11-20"},
     {"account_external_id": "ACME", "event": "login", "occurred_at": "2026-11-20",
      "contact_email": "ana@acme.test\x00", "message_id": "m-2"}, "contact_email"),
    ("tickets", {"external_id": "T-1", "account_external_id": "ACME", "subject": "Hi",
                 "opened_at": "2026-11-20"},
     {"external_id": "T-\x002", "account_external_id": "ACME", "subject": "Hi",
      "opened_at": "2026-11-20"}, "external_id"),
    ("surveys", {"external_id": "S-1", "account_external_id": "ACME", "kind": "nps",
                 "score": "9", "responded_at": "2026-11-20"},
     {"external_id": "S-2", "account_external_id": "ACME", "kind": "nps", "score": "9",
      "responded_at": "2026-11-20", "contact_email": "\x00"}, "contact_email"),
]  # fmt: skip
IMPORTED = {
    "accounts": lambda: Account.objects.filter(external_id__startswith="NEW").count(),
    "contacts": lambda: Contact.objects.count(),
    "usage": lambda: UsageEvent.objects.count(),
    "tickets": lambda: Ticket.objects.count(),
    "surveys": lambda: SurveyResponse.objects.count(),
}


@pytest.mark.parametrize(("kind", "good", "bad", "column"), CONTROL_CASES)
def test_a_control_character_in_an_id_column_is_a_row_error(acme, kind, good, bad, column):
    """GIVEN a batch whose second record holds a NUL (or another control character) in
    an ID or e-mail column WHEN imported THEN that row is refused naming its row and
    column, nothing is written, and with partial the good row lands."""
    job = import_records(kind=kind, records=[good, bad], source=Source.API)
    assert job.status == ImportJob.Status.REJECTED
    assert job.errors == [{"row": 2, "column": column, "reason": CONTROL}]
    assert IMPORTED[kind]() == 0
    job = import_records(kind=kind, records=[good, bad], source=Source.API, partial=True)
    assert (job.status, job.rows_inserted, job.rows_rejected) == ("succeeded", 1, 1)
    assert IMPORTED[kind]() == 1


def test_a_nul_in_a_csv_file_is_an_error_of_its_row(tmp_path, acme):
    path = tmp_path / "usage.csv"
    path.write_bytes(
        b"account_external_id,event,occurred_at\n"
        b"ACME,login,2026-11-20T10:00:00Z\n"
        b"AC\x00ME,login,2026-11-20T11:00:00Z\n"
        b"ACME,logout,2026-11-20T12:00:00Z\n"
    )
    job = import_file(kind="usage", path=path, partial=True)
    assert (job.status, job.rows_inserted) == (ImportJob.Status.SUCCEEDED, 2)
    assert job.errors == [{"row": 3, "column": "account_external_id", "reason": CONTROL}]


def test_an_import_remembers_the_accounts_it_landed_rows_for(tmp_path, acme):
    """What the accounts' timelines list as "imports that touched it": the accounts of
    the rows landed, once each, and none for a file that landed nothing new."""
    from ingest.models import ImportedAccount

    other = AccountFactory(external_id="BETA", name="Beta")
    AccountFactory(external_id="IDLE", name="Idle")
    path = usage_file(
        tmp_path,
        [
            "ACME,login,2026-11-20T10:00:00,1,",
            "ACME,login,2026-11-20T11:00:00,1,",
            "BETA,login,2026-11-20T11:00:00,1,",
        ],
    )
    first = import_file(kind="usage", path=path)
    second = import_file(kind="usage", path=path)  # duplicates only

    assert set(ImportedAccount.objects.values_list("job_id", "account_id")) == {
        (first.pk, acme.pk),
        (first.pk, other.pk),
    }
    assert second.rows_duplicate == 3
