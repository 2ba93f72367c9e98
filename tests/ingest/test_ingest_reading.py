"""Reading and checking import files: pure, no database."""

import io
from datetime import UTC, datetime

import pandas as pd
import pytest

from ingest.columns import check_header, normalise_header
from ingest.reader import FileProblem, open_csv, sniff_delimiter
from ingest.rules import Lookups, check_surveys, check_tickets, check_usage

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _frames(data: bytes, kind="usage", chunk_rows=100):
    csv = open_csv(io.BytesIO(data), kind=kind, chunk_rows=chunk_rows)
    return csv, [chunk.frame for chunk in csv.chunks]


def test_real_export_headers_map_onto_documented_columns():
    header = check_header(
        "tickets",
        ["Ticket ID", "Organization", "Subject", "Created at", "Priority", "Status", "Via"],
    )
    assert header.missing == []
    assert header.rename["Ticket ID"] == "external_id"
    assert header.rename["Organization"] == "account_external_id"
    assert header.rename["Created at"] == "opened_at"
    assert header.unknown == ["Via"]


def test_missing_required_columns_are_named():
    assert check_header("usage", ["account_external_id", "quantity"]).missing == [
        "event",
        "occurred_at",
    ]


def test_header_normalisation():
    assert normalise_header("  Created At ") == "created_at"
    assert normalise_header("Ticket-ID") == "ticket_id"


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"x;y",b', ","), ("single", ",")],
)
def test_delimiter_is_sniffed_from_the_header(line, delimiter):
    assert sniff_delimiter(line) == delimiter


def test_utf8_bom_and_semicolons_and_quoted_newlines_are_read():
    data = (
        '\ufeffaccount_external_id;event;occurred_at\nA1;"multi\nline";2026-11-20T10:00:00\n'
    ).encode()
    csv, frames = _frames(data)
    assert csv.delimiter == ";"
    assert frames[0].loc[2, "event"] == "multi\nline"
    assert frames[0].loc[2, "account_external_id"] == "A1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"account_external_id,event\x00\x01\x02", "binary"),
        ("account_external_id,event,occurred_at\nA,caf\u00e9,x\n".encode("latin-1"), "not UTF-8"),
        ("a,b\n".encode("utf-16"), "UTF-16"),
        ("account_external_id,event\nA1,é\n".encode("utf-16-le"), "UTF-16"),
        ("account_external_id,event\nA1,é\n".encode("utf-16-be"), "UTF-16"),
    ],
    ids=["empty", "blank", "binary", "latin-1", "utf-16", "utf-16-le", "utf-16-be"],
)
def test_unreadable_files_get_a_clear_message(data, message):
    with pytest.raises(FileProblem, match=message):
        _frames(data)


def test_a_nul_after_the_header_is_a_value_for_the_checks_not_a_binary_file():
    _csv, frames = _frames(b"account_external_id,event,occurred_at\nA\x001,e,2026-11-20\n")
    assert frames[0].loc[2, "account_external_id"] == "A\x001"


USAGE_ROW = b"A1,login,2026-11-20T10:00:00,chrome\n"


@pytest.mark.parametrize(
    "rows_before",
    [
        0,  # in the first 64 KB, which are checked before any row is read
        3_000,  # past them, but in the block pandas reads while it sets up
        12_000,  # in a later chunk
    ],
)
def test_a_byte_that_is_not_utf8_is_refused_with_its_row_and_column(rows_before):
    """GIVEN a Latin-1 "é" after some good rows, in the file's own "browser" column
    THEN the file is refused naming that row and column, wherever the byte lies."""
    data = (
        b"account_external_id,event,occurred_at,Browser\n"
        + b'A1,"multi\nline",2026-11-20T10:00:00,x\n'  # one row over two lines
        + USAGE_ROW * rows_before
        + b"A1,login,2026-11-20T10:00:00,Navigateur \xe9tendu\n"
        + USAGE_ROW * 10
    )
    row = rows_before + 3
    with pytest.raises(FileProblem) as refused:
        _frames(data, chunk_rows=5_000)
    assert str(refused.value) == (
        f"Row {row} is not UTF-8 text: column “Browser” holds the byte 0xE9. "
        "Save the file as “CSV UTF-8” and try again."
    )


def test_big_files_come_in_bounded_chunks_with_file_row_numbers():
    rows = "".join(f"A1,e,2026-11-20T10:00:{i % 60:02d}\n" for i in range(250))
    _csv, frames = _frames(
        ("account_external_id,event,occurred_at\n" + rows).encode(), chunk_rows=100
    )
    assert [len(f) for f in frames] == [100, 100, 50]
    assert frames[1].index[0] == 102  # row 1 is the header


def _usage(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows).astype(str)
    frame.index = pd.RangeIndex(2, len(rows) + 2)
    return frame


def test_usage_rows_are_typed_and_defaults_applied():
    checked = check_usage(
        _usage(
            [
                {
                    "account_external_id": "A1",
                    "event": " login ",
                    "occurred_at": "2026-11-20T10:00:00",
                    "quantity": "",
                    "contact_email": "Ana@X.com",
                }
            ]
        ),
        Lookups(accounts={"A1": 7}),
        now=NOW,
    )
    assert checked.errors.empty
    row = checked.rows.iloc[0]
    assert (row.account_id, row.event, row.quantity, row.contact_email) == (
        7,
        "login",
        1,
        "ana@x.com",
    )
    assert row.occurred_at == pd.Timestamp("2026-11-20T10:00:00Z")  # naive means UTC
    assert row.source_id.startswith("k:")


def test_each_bad_usage_row_is_reported_with_row_column_and_reason():
    checked = check_usage(
        _usage(
            [
                {
                    "account_external_id": "NOPE",
                    "event": "e",
                    "occurred_at": "2026-11-20",
                    "quantity": "1",
                },
                {
                    "account_external_id": "A1",
                    "event": "e",
                    "occurred_at": "20/11/2026",
                    "quantity": "1",
                },
                {
                    "account_external_id": "A1",
                    "event": "e",
                    "occurred_at": "2026-11-20",
                    "quantity": "-3",
                },
                {
                    "account_external_id": "A1",
                    "event": "e",
                    "occurred_at": "2026-11-20",
                    "quantity": "lots",
                },
                {
                    "account_external_id": "A1",
                    "event": "",
                    "occurred_at": "2026-11-20",
                    "quantity": "1",
                },
                {
                    "account_external_id": "A1",
                    "event": "e",
                    "occurred_at": "2031-01-01",
                    "quantity": "1",
                },
                {
                    "account_external_id": "A1",
                    "event": "ok",
                    "occurred_at": "2026-11-20",
                    "quantity": "2",
                },
            ]
        ),
        Lookups(accounts={"A1": 1}),
        now=NOW,
    )
    errors = checked.errors.set_index("row")
    assert list(checked.rows["event"]) == ["ok"]
    assert errors.loc[2, "column"] == "account_external_id"
    assert "unknown account" in errors.loc[2, "reason"]
    assert errors.loc[3, "column"] == "occurred_at"
    assert "ISO 8601" in errors.loc[3, "reason"]
    assert "at least 0" in errors.loc[4, "reason"]
    assert "not a number" in errors.loc[5, "reason"]
    assert errors.loc[6, "reason"] == "is required"
    assert "future" in errors.loc[7, "reason"]


def test_same_row_hashes_to_the_same_key_and_message_id_wins():
    row = {
        "account_external_id": "A1",
        "event": "e",
        "occurred_at": "2026-11-20T10:00:00",
        "quantity": "1",
    }
    first = check_usage(_usage([row, row]), Lookups(accounts={"A1": 1}), now=NOW).rows
    assert first["source_id"].iloc[0] == first["source_id"].iloc[1]
    other = check_usage(
        _usage([{**row, "quantity": "2"}]), Lookups(accounts={"A1": 1}), now=NOW
    ).rows
    assert other["source_id"].iloc[0] != first["source_id"].iloc[0]
    with_id = check_usage(
        _usage([{**row, "message_id": "m-1"}]), Lookups(accounts={"A1": 1}), now=NOW
    ).rows
    assert with_id["source_id"].iloc[0] == "m-1"


def test_row_keys_stay_the_ones_stored_events_have():
    """GIVEN rows without a message ID, mixed with one that has it
    THEN each gets the very key stored events have: a change of definition would make
    a re-ingest duplicate, unless a migration re-keys them (as ingest 0002 did)."""
    rows = [
        {"account_external_id": "A1", "event": "e", "occurred_at": "2026-11-20T10:00:00",
         "quantity": "1", "contact_email": "Ann@x.io ", "message_id": ""},
        {"account_external_id": "A1", "event": "e", "occurred_at": "2026-11-20T10:00:00",
         "quantity": "1", "contact_email": "", "message_id": "m-1"},
        {"account_external_id": " A1", "event": "e2", "occurred_at": "2026-11-20",
         "quantity": "", "contact_email": "", "message_id": ""},
    ]  # fmt: skip
    checked = check_usage(_usage(rows), Lookups(accounts={"A1": 1}), now=NOW)
    assert checked.rows["source_id"].tolist() == [
        "k:9bcaa8bd0ac57a1da8becec85f86187c",
        "m-1",
        "k:2ad6013578cc48211d4ea0795262bfea",
    ]


@pytest.mark.parametrize(
    "other",
    [
        {"occurred_at": "2026-11-20T10:00:00+00:00"},
        {"occurred_at": "2026-11-20 10:00:00Z"},
        {"occurred_at": "2026-11-20T11:00:00+01:00"},
        {"occurred_at": "2026-11-20T10:00:00.000Z"},
        {"quantity": "3.0"},
        {"quantity": "3.00"},
        {"contact_email": "ANN@X.io"},
        {"event": " login "},
        {"account_external_id": " A1 "},
    ],
    ids=lambda other: "-".join(other.values()),
)
def test_the_same_event_spelt_otherwise_gets_the_same_key(other):
    row = {
        "account_external_id": "A1",
        "event": "login",
        "occurred_at": "2026-11-20T10:00:00Z",
        "quantity": "3",
        "contact_email": "ann@x.io",
    }
    checked = check_usage(_usage([row, {**row, **other}]), Lookups(accounts={"A1": 1}), now=NOW)
    first, second = checked.rows["source_id"]
    assert first == second


@pytest.mark.parametrize(
    "other",
    [
        {"occurred_at": "2026-11-20T10:00:00.000001Z"},
        {"quantity": "3.5"},
        {"contact_email": "bea@x.io"},
        {"contact_email": ""},
        {"event": "Login"},
        {"account_external_id": "A2"},
    ],
    ids=lambda other: "-".join(other.values()) or "no-email",
)
def test_a_different_event_gets_another_key(other):
    row = {
        "account_external_id": "A1",
        "event": "login",
        "occurred_at": "2026-11-20T10:00:00Z",
        "quantity": "3",
        "contact_email": "ann@x.io",
    }
    checked = check_usage(
        _usage([row, {**row, **other}]), Lookups(accounts={"A1": 1, "A2": 2}), now=NOW
    )
    first, second = checked.rows["source_id"]
    assert first != second


def test_only_malformed_addresses_among_repeated_ones_are_errors():
    rows = [
        {"account_external_id": "A1", "event": "e", "occurred_at": "2026-11-20T10:00:00",
         "contact_email": email}
        for email in ["ann@x.io", "ANN@x.io", "not-an-address", "ann@x.io", ""]
    ]  # fmt: skip
    checked = check_usage(_usage(rows), Lookups(accounts={"A1": 1}), now=NOW)
    assert checked.rows["contact_email"].tolist() == ["ann@x.io", "ann@x.io", "ann@x.io", ""]
    assert checked.errors.to_dict("records") == [
        {"row": 4, "column": "contact_email", "reason": "“not-an-address” is not an e-mail address"}
    ]


def test_ticket_choices_accept_labels_in_any_case_and_refuse_others():
    frame = _usage(
        [
            {
                "external_id": "T1",
                "account_external_id": "A1",
                "subject": "s",
                "opened_at": "2026-11-01",
                "priority": "High",
                "status": "Pending",
            },
            {
                "external_id": "T2",
                "account_external_id": "A1",
                "subject": "s",
                "opened_at": "2026-11-01",
                "priority": "critical",
                "status": "open",
            },
        ]
    )
    checked = check_tickets(frame, Lookups(accounts={"A1": 1}), now=NOW)
    assert list(checked.rows[["priority", "status"]].iloc[0]) == ["high", "pending"]
    assert "is not one of" in checked.errors.iloc[0]["reason"]


def test_control_characters_are_row_errors_and_free_text_keeps_its_lines():
    """GIVEN IDs, names and addresses holding a NUL, an escape or a line break WHEN
    checked THEN each row is refused naming its column; a survey comment (free text)
    keeps its tab and line breaks but not a NUL."""
    frame = _usage(
        [
            {"external_id": "S\x00", "account_external_id": "A1", "contact_email": "",
             "comment": ""},
            {"external_id": "S2", "account_external_id": "A\x1b1", "contact_email": "",
             "comment": ""},
            {"external_id": "S3", "account_external_id": "A1", "contact_email": "a\x00@x.io",
             "comment": ""},
            {"external_id": "S4\n", "account_external_id": "A1", "contact_email": "",
             "comment": ""},
            {"external_id": "S5\nS6", "account_external_id": "A1", "contact_email": "",
             "comment": ""},
            {"external_id": "S7", "account_external_id": "A1", "contact_email": "",
             "comment": "good\x00"},
            {"external_id": "S8", "account_external_id": "A1", "contact_email": "",
             "comment": "line one\n\tline two"},
        ]
    ).assign(kind="nps", score="9", responded_at="2026-11-20")  # fmt: skip
    checked = check_surveys(frame, Lookups(accounts={"A1": 1}), now=NOW)
    control = "must not contain control characters"
    assert checked.errors.to_dict("records") == [
        {"row": 2, "column": "external_id", "reason": control},
        {"row": 3, "column": "account_external_id", "reason": control},
        {"row": 4, "column": "contact_email", "reason": control},
        {"row": 6, "column": "external_id", "reason": "must be on one line"},
        {"row": 7, "column": "comment", "reason": control},
    ]
    # A trailing line break is whitespace, stripped like spaces are.
    assert checked.rows["external_id"].tolist() == ["S4", "S8"]
    assert checked.rows["comment"].tolist() == ["", "line one\n\tline two"]


def test_times_before_2000_and_non_finite_or_huge_quantities_are_refused():
    row = {"account_external_id": "A1", "event": "e", "occurred_at": "2026-11-20T10:00:00"}
    rows = [
        {**row, "occurred_at": "1970-01-01T00:00:00Z"},
        {**row, "occurred_at": "1999-12-31T23:59:59Z"},
        {**row, "occurred_at": "2000-01-01T00:00:00Z"},
        {**row, "quantity": "inf"},
        {**row, "quantity": "-Infinity"},
        {**row, "quantity": "1000000001"},
        {**row, "quantity": "1000000000"},
        {**row, "properties": '{"ratio": NaN}'},
        {**row, "properties": '{"note": "\\u0000"}'},
        {**row, "properties": '{"note": "tab\\there"}'},
    ]
    checked = check_usage(
        _usage([{"quantity": "", "properties": "", **r} for r in rows]),
        Lookups(accounts={"A1": 1}),
        now=NOW,
    )
    assert checked.errors.to_dict("records") == [
        {"row": 2, "column": "occurred_at", "reason": "is before 2000-01-01"},
        {"row": 3, "column": "occurred_at", "reason": "is before 2000-01-01"},
        {"row": 5, "column": "quantity", "reason": "is not a finite number"},
        {"row": 6, "column": "quantity", "reason": "is not a finite number"},
        {"row": 7, "column": "quantity", "reason": "must be at most 1000000000"},
        {"row": 9, "column": "properties", "reason": "is not a JSON object"},
        {"row": 10, "column": "properties",
         "reason": "must not contain control characters (at note)"},
    ]  # fmt: skip
    assert len(checked.rows) == 3


def test_ticket_tags_are_comma_separated_or_space_separated_without_commas():
    rows = [
        {"external_id": f"T{i}", "account_external_id": "A1", "subject": "s",
         "opened_at": "2026-11-01", "tags": tags}
        for i, tags in enumerate(["export pdf", "needs review, billing", "a;b c", " ", ""])
    ]  # fmt: skip
    checked = check_tickets(_usage(rows), Lookups(accounts={"A1": 1}), now=NOW)
    assert checked.rows["tags"].tolist() == [
        ["export", "pdf"],
        ["billing", "needs review"],
        ["a", "b c"],
        [],
        [],
    ]
