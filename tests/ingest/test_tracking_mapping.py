"""The Segment message mapping: pure functions, no database."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from ingest.tracking_mapping import (
    MAX_DEPTH,
    MAX_MESSAGE_BYTES,
    PayloadError,
    batch_messages,
    decode,
    map_messages,
    single_message,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _track(**fields):
    return {"type": "track", "event": "report.viewed", "messageId": "m-1", **fields}


def test_track_maps_group_user_time_quantity_and_message_id():
    mapped = map_messages(
        [
            _track(
                groupId="ACC-1",
                userId="Ada@Example.com",
                timestamp="2025-02-28T10:00:00Z",
                properties={"quantity": 3},
            )
        ],
        received_at=NOW,
    )
    assert mapped.errors == []
    assert mapped.usage == [
        {
            "account_external_id": "ACC-1",
            "event": "report.viewed",
            "occurred_at": "2025-02-28T10:00:00Z",
            "quantity": "3",
            "contact_email": "ada@example.com",
            "user_id": "Ada@Example.com",
            "message_id": "m-1",
            "properties": {"quantity": 3},
        }
    ]
    assert mapped.usage_index == [0]


@pytest.mark.parametrize(
    "message",
    [
        _track(context={"groupId": "ACC-9"}),
        _track(traits={"groupId": "ACC-9"}),
        _track(properties={"groupId": "ACC-9"}),
        _track(context={"traits": {"account_external_id": "ACC-9"}}),
    ],
    ids=["context.groupId", "traits.groupId", "properties.groupId", "context.traits"],
)
def test_the_account_can_come_from_any_documented_place(message):
    (record,) = map_messages([message], received_at=NOW).usage
    assert record["account_external_id"] == "ACC-9"


def test_top_level_group_id_wins_over_context():
    (record,) = map_messages(
        [_track(groupId="TOP", context={"groupId": "CTX"})], received_at=NOW
    ).usage
    assert record["account_external_id"] == "TOP"


def test_user_id_that_is_not_an_email_is_not_used_as_email():
    (record,) = map_messages(
        [_track(userId="u-123", context={"traits": {"email": "Bo@Example.com"}})],
        received_at=NOW,
    ).usage
    assert record["contact_email"] == "bo@example.com"
    (record,) = map_messages([_track(userId="u-123")], received_at=NOW).usage
    assert record["contact_email"] == ""


def test_time_falls_back_to_sent_at_then_received_at_then_now():
    def occurred(message):
        return map_messages([message], received_at=NOW).usage[0]["occurred_at"]

    assert occurred(_track(sentAt="2025-02-01T00:00:00Z")) == "2025-02-01T00:00:00Z"
    assert occurred(_track(receivedAt="2025-02-02T00:00:00Z")) == "2025-02-02T00:00:00Z"
    assert occurred(_track()) == NOW.isoformat()


def test_track_without_event_is_an_error_and_the_others_still_map():
    mapped = map_messages(
        [_track(groupId="A"), {"type": "track", "groupId": "A"}, _track(groupId="B")],
        received_at=NOW,
    )
    assert [e.as_dict() for e in mapped.errors] == [
        {"index": 1, "type": "track", "field": "event", "reason": "is required"}
    ]
    assert mapped.usage_index == [0, 2]


def test_page_screen_and_alias_are_counted_as_ignored():
    mapped = map_messages(
        [{"type": "page"}, {"type": "screen"}, {"type": "alias"}], received_at=NOW
    )
    assert (mapped.received, mapped.ignored, mapped.errors) == (3, 3, [])


def test_unknown_type_and_non_object_messages_are_errors():
    mapped = map_messages([{"type": "bogus"}, "text", 5], received_at=NOW)
    assert [(e.index, e.field) for e in mapped.errors] == [
        (0, "type"),
        (1, "message"),
        (2, "message"),
    ]


def test_oversized_message_is_refused():
    mapped = map_messages(
        [_track(groupId="A", properties={"blob": "x" * MAX_MESSAGE_BYTES})], received_at=NOW
    )
    assert mapped.usage == []
    assert mapped.errors[0].reason == "is larger than 32 KB"


def test_identify_maps_email_account_name_and_title():
    mapped = map_messages(
        [
            {
                "type": "identify",
                "userId": "u-1",
                "traits": {
                    "email": "ADA@example.com",
                    "firstName": "Ada",
                    "lastName": "Lovelace",
                    "title": "CTO",
                    "company": {"id": "ACC-1"},
                },
            }
        ],
        received_at=NOW,
    )
    (contact,) = mapped.contacts
    assert (contact.email, contact.account_external_id, contact.name, contact.title) == (
        "ada@example.com",
        "ACC-1",
        "Ada Lovelace",
        "CTO",
    )


def test_identify_by_user_id_alone_is_kept_and_an_anonymous_one_ignored():
    mapped = map_messages(
        [{"type": "identify", "userId": "u-1"}, {"type": "identify", "anonymousId": "a-1"}],
        received_at=NOW,
    )
    assert [(c.user_id, c.email, c.account_external_id) for c in mapped.contacts] == [
        ("u-1", "", "")
    ]
    assert (mapped.ignored, mapped.errors) == (1, [])


def test_group_with_a_user_id_links_the_user_to_the_group():
    mapped = map_messages(
        [{"type": "group", "groupId": "ACME", "userId": "u-1", "traits": {"plan": "Pro"}}],
        received_at=NOW,
    )
    (link,) = mapped.contacts
    assert (link.kind, link.user_id, link.account_external_id) == ("group", "u-1", "ACME")
    assert mapped.accounts[0].traits == {"plan": "Pro"}


def test_group_carries_only_the_traits_sent():
    mapped = map_messages(
        [{"type": "group", "groupId": "ACC-1", "traits": {"plan": "Enterprise", "seats": 9}}],
        received_at=NOW,
    )
    (update,) = mapped.accounts
    assert update.account_external_id == "ACC-1"
    assert update.traits == {"plan": "Enterprise"}


def test_group_without_group_id_is_an_error():
    mapped = map_messages([{"type": "group", "traits": {"name": "X"}}], received_at=NOW)
    assert mapped.accounts == []
    assert mapped.errors[0].field == "groupId"


def test_batch_context_and_sent_at_apply_to_each_message():
    messages = batch_messages(
        {
            "batch": [_track(), _track(context={"groupId": "OWN"}, sentAt="2025-01-02T00:00:00Z")],
            "context": {"groupId": "SHARED"},
            "sentAt": "2025-01-01T00:00:00Z",
        }
    )
    records = map_messages(messages, received_at=NOW).usage
    assert [r["account_external_id"] for r in records] == ["SHARED", "OWN"]
    assert [r["occurred_at"] for r in records] == ["2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"]


@pytest.mark.parametrize("body", [[], {"batch": "x"}, {"events": []}, "text"])
def test_batch_body_must_be_an_object_with_a_batch_list(body):
    with pytest.raises(PayloadError):
        batch_messages(body)


def test_single_message_takes_its_type_from_the_path():
    assert single_message({"type": "group", "event": "x"}, "track")["type"] == "track"
    with pytest.raises(PayloadError):
        single_message([1], "track")


@pytest.mark.parametrize("raw", [b"", b"   ", b"{not json", b"\xff\xfe"])
def test_decode_refuses_empty_and_malformed_bodies(raw):
    with pytest.raises(PayloadError):
        decode(raw)


@pytest.mark.parametrize(
    ("message", "field", "reason"),
    [
        (_track(groupId="ACC\x00"), "groupId", "must not contain control characters"),
        (_track(userId="ada\u2028@x.io"), "userId", "must be on one line"),
        (_track(properties={"a": {"b": ["ok", "\x00"]}}), "properties.a.b.1",
         "must not contain control characters"),
        (_track(properties={"k\x01": 1}), "properties.k\ufffd",
         "must not contain control characters"),
        (_track(properties={"ratio": float("nan")}), "properties.ratio", "is not a finite number"),
        ({"type": "identify", "traits": {"email": "a@x.io", "title": "C\r\nTO"}}, "traits.title",
         "must be on one line"),
        ({"type": "group", "groupId": "ACC-1", "traits": {"plan": "\x1b[31mPro"}},
         "traits.plan", "must not contain control characters"),
    ],
)  # fmt: skip
def test_unstorable_fields_refuse_their_message_by_path(message, field, reason):
    mapped = map_messages([_track(groupId="ACC-1"), message], received_at=NOW)
    assert len(mapped.usage) == 1
    assert (mapped.contacts, mapped.accounts) == ([], [])
    assert [(e.index, e.field, e.reason) for e in mapped.errors] == [(1, field, reason)]


def _body(*messages) -> bytes:
    return json.dumps({"batch": list(messages)}, ensure_ascii=False).encode()


def test_a_body_of_plain_text_and_finite_numbers_is_plain():
    raw = _body(
        _track(groupId="ACC-1", userId="ana@x.io", properties={"q": 2.5, "n": -3, "e": 1e300}),
        {"type": "identify", "userId": "u-1", "traits": {"name": "Zoë \\ Ünal / CTO"}},
    )
    assert decode(raw).plain


@pytest.mark.parametrize(
    "raw",
    [
        _body(_track(properties={"note": "two\nlines"})),
        _body(_track(groupId="ACC\x00")),
        _body(_track(groupId="ACC\x1f")),
        _body(_track(userId="ada\u2028@x.io")),  # raw in UTF-8: JSON allows it unescaped
        _body(_track(userId="ada\x85@x.io")),
        _body(_track(userId="del\x7f")),
        b'{"batch": [{"type": "track", "event": "e", "properties": {"r": NaN}}]}',
        b'{"batch": [{"type": "track", "event": "e", "properties": {"r": -Infinity}}]}',
        b'{"batch": [{"type": "track", "event": "e", "properties": {"r": 1e400}}]}',
        b'{"batch": [{"type": "track", "properties": {"r": 1' + b"0" * 400 + b'.5}}]}',
        json.dumps({"batch": [_track(groupId="ACC-1")]}).encode("utf-16"),
    ],
)  # fmt: skip
def test_a_body_that_may_hold_a_control_character_or_infinity_is_not_plain(raw):
    assert not decode(raw).plain


@pytest.mark.parametrize(
    "message",
    [
        _track(groupId="ACC\x00"),
        _track(userId="ada\u2028@x.io"),
        _track(properties={"a": {"b": ["ok", "\x00"]}}),
        _track(properties={"k\x01": 1}),
        _track(properties={"ratio": float("nan")}),
        {"type": "identify", "traits": {"email": "a@x.io", "title": "C\r\nTO"}},
    ],
)
def test_a_plain_body_maps_as_the_walk_would(message):
    """Whatever the body, the door's decision and map_messages' walk agree: a refused
    message is never in a body called plain, and a body called plain maps the same."""
    body = decode(_body(_track(groupId="ACC-1"), message))
    mapped = map_messages(body.data["batch"], received_at=NOW, plain=body.plain)
    walked = map_messages(body.data["batch"], received_at=NOW)
    assert mapped == walked
    assert [e.index for e in mapped.errors] == [1]
    clean = decode(_body(_track(groupId="ACC-1"), _track(groupId="ACC-2")))
    assert clean.plain
    assert map_messages(clean.data["batch"], received_at=NOW, plain=True) == map_messages(
        clean.data["batch"], received_at=NOW
    )


def test_free_text_may_span_lines_where_it_is_not_a_name():
    note = "line one\r\n\tline two"
    mapped = map_messages(
        [_track(groupId="ACC-1", properties={"note": note}, context={"page": {"title": note}})],
        received_at=NOW,
    )
    assert mapped.errors == []
    assert mapped.usage[0]["properties"] == {"note": note}


def test_a_message_nested_deeper_than_the_limit_is_refused_alone():
    deep: dict = {"leaf": 1}
    for _ in range(MAX_DEPTH):
        deep = {"a": deep}
    mapped = map_messages(
        [_track(groupId="ACC-1", properties=deep), _track(groupId="ACC-1")], received_at=NOW
    )
    assert [(e.index, e.field) for e in mapped.errors] == [(0, "message")]
    assert len(mapped.usage) == 1


@pytest.mark.parametrize("raw", [b"[" * 100_000, b"[" + b"1" * 5000 + b"]"])
def test_json_that_python_cannot_read_is_a_payload_error(raw):
    with pytest.raises(PayloadError):
        decode(raw)
