"""What the tracking API refuses, per message and never as a 500: control characters,
impossible times and quantities, accounts a key may not write to, and identify or group
calls that would reach further than the account they name."""

from __future__ import annotations

import base64
import json

import pytest

from accounts.models import Account, Contact, UsageEvent
from tests.accounts.factories import AccountFactory, ContactFactory, TicketFactory
from tests.ingest.factories import WriteKeyFactory
from tests.ingest.test_tracking import _post, _track

pytestmark = pytest.mark.django_db

CONTROL = "must not contain control characters"
NOT_WRITABLE = "is not an account this key can write to"


@pytest.fixture
def write_key():
    return WriteKeyFactory()


@pytest.fixture
def acme():
    return AccountFactory(external_id="ACME", name="Acme", plan="Growth", segment="SMB")


@pytest.fixture
def globex():
    return AccountFactory(external_id="GLOBEX", name="Globex", plan="Pro", segment="MM")


def _batch(client, key, *messages):
    response = _post(client, "batch", {"batch": list(messages)}, key)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()


# --- Control characters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"event": "report\x00viewed"}, "event"),
        ({"groupId": "AC\x00ME"}, "groupId"),
        ({"userId": "ada\x00@acme.test"}, "userId"),
        ({"anonymousId": "anon\x00"}, "anonymousId"),
        ({"messageId": "m\x00"}, "messageId"),
        ({"groupId": "ACME\x1b[2J"}, "groupId"),
        ({"event": "report\nviewed"}, "event"),  # an event name is one line
        ({"context": {"groupId": "AC\x00ME"}}, "context.groupId"),
        ({"properties": {"plan": "Pro\x00"}}, "properties.plan"),
        ({"properties": {"seats": {"used": ["ok", "x\x07"]}}}, "properties.seats.used.1"),
        ({"properties": {"pla\x00n": "Pro"}}, "properties.pla\ufffdn"),
        ({"traits": {"name": "Ada\x00"}}, "traits.name"),
    ],
)
def test_a_control_character_refuses_its_message_and_not_its_batch(
    client, write_key, acme, fields, field
):
    """GIVEN a batch with one message holding a control character WHEN posted THEN the
    others land, and the bad one is reported by index and field, in JSON, with a 200."""
    body = _batch(client, write_key.key, _track("m1"), _track("m2", **fields), _track("m3"))
    assert (body["received"], body["inserted"], body["rejected"]) == (3, 2, 1)
    (error,) = body["errors"]
    assert (error["index"], error["type"], error["field"]) == (1, "track", field)
    line_break = "\n" in fields.get("event", "")
    assert error["reason"] == ("must be on one line" if line_break else CONTROL)
    assert sorted(UsageEvent.objects.values_list("source_id", flat=True)) == ["m1", "m3"]


def test_free_text_properties_may_hold_line_breaks_and_tabs(client, write_key, acme):
    note = "first line\n\tsecond line"
    body = _batch(client, write_key.key, _track("m1", properties={"note": note}))
    assert (body["inserted"], body["rejected"]) == (1, 0)
    assert UsageEvent.objects.get().properties == {"note": note}


def test_identify_and_group_names_with_control_characters_change_nothing(client, write_key, acme):
    ContactFactory(account=acme, email="ada@acme.test", name="Ada", title="CTO")
    body = _batch(
        client,
        write_key.key,
        {"type": "identify", "groupId": "ACME", "traits": {"email": "ada@acme.test",
                                                           "name": "Ada\x00"}},
        {"type": "identify", "groupId": "ACME", "traits": {"email": "ada@acme.test",
                                                           "title": "C\u2028TO"}},
        {"type": "group", "groupId": "ACME", "traits": {"name": "Acme\x00Evil"}},
        {"type": "group", "groupId": "ACME", "traits": {"plan": "Pro\r\nX-Injected: 1"}},
    )  # fmt: skip
    assert [(e["index"], e["field"]) for e in body["errors"]] == [
        (0, "traits.name"),
        (1, "traits.title"),
        (2, "traits.name"),
        (3, "traits.plan"),
    ]
    assert (body["contacts_updated"], body["accounts_updated"], body["rejected"]) == (0, 0, 4)
    contact = Contact.objects.get()
    assert (contact.name, contact.title) == ("Ada", "CTO")
    acme.refresh_from_db()
    assert (acme.name, acme.plan) == ("Acme", "Growth")


def test_a_batch_of_only_bad_messages_is_answered_200_with_each_reason(client, write_key, acme):
    """Nothing in it can ever land, so a retry would only repeat it: 200, as for a batch
    whose messages are all unknown types, each one reported."""
    body = _batch(
        client, write_key.key, _track("m\x00"), _track("m2", event="\x00"), {"type": "nope"}
    )
    assert (body["received"], body["inserted"], body["rejected"]) == (3, 0, 3)
    assert [e["field"] for e in body["errors"]] == ["messageId", "event", "type"]
    assert not UsageEvent.objects.exists()


@pytest.mark.parametrize(
    ("name", "message", "field"),
    [
        ("track", _track("m1", properties={"plan": "Pro\x00"}), "properties.plan"),
        ("track", _track("m1", event="a\x00"), "event"),
        ("identify", {"groupId": "ACME", "traits": {"email": "a@acme.test", "name": "\x00"}},
         "traits.name"),
        ("group", {"groupId": "ACME", "traits": {"name": "Acme\x00"}}, "traits.name"),
    ],
)  # fmt: skip
def test_a_single_message_with_a_control_character_is_a_400_naming_its_field(
    client, write_key, acme, name, message, field
):
    response = _post(client, name, message, write_key.key)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["success"], body["code"]) == (False, "invalid_request")
    assert body["message"] == f"{field} {CONTROL}"
    assert body["errors"] == [{"index": 0, "type": name, "field": field, "reason": CONTROL}]
    assert not UsageEvent.objects.exists()
    acme.refresh_from_db()
    assert acme.name == "Acme"


@pytest.mark.parametrize("key", ["\x00", "real\x00"])
def test_a_write_key_with_a_control_character_is_a_401(client, write_key, acme, key):
    token = base64.b64encode(f"{key}:".encode()).decode()
    response = _post(
        client, "batch", {"batch": [_track("m1")]}, None, HTTP_AUTHORIZATION=f"Basic {token}"
    )
    assert response.status_code == 401
    body_key = _post(client, "batch", {"batch": [_track("m1")], "writeKey": key}, None)
    assert body_key.status_code == 401
    assert not UsageEvent.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        '{"batch": [' + "1" * 5000 + "]}",
        '{"batch": [{"type": "track", "properties": ' + "[" * 5000 + "]" * 5000 + "}]}",
    ],
    ids=["huge-integer", "deep-nesting"],
)
def test_json_python_cannot_read_is_a_400_not_a_500(client, write_key, body):
    response = _post(client, "batch", body, write_key.key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_a_message_nested_too_deeply_is_refused_alone(client, write_key, acme):
    deep: dict = {}
    for _ in range(200):
        deep = {"a": deep}
    body = _batch(client, write_key.key, _track("m1"), _track("m2", properties=deep))
    assert (body["inserted"], body["rejected"]) == (1, 1)
    assert body["errors"][0]["field"] == "message"


# --- Times and quantities ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"timestamp": "1970-01-01T00:00:00Z"}, "timestamp", "is before 2000-01-01"),
        ({"timestamp": "1999-12-31T23:59:59Z"}, "timestamp", "is before 2000-01-01"),
        ({"timestamp": "2100-01-01T00:00:00Z"}, "timestamp", "is in the future"),
        ({"properties": {"quantity": -1}}, "properties.quantity", "must be at least 0"),
        ({"properties": {"quantity": 1e12}}, "properties.quantity", "must be at most 1000000000"),
        ({"properties": {"quantity": "1e400"}}, "properties.quantity", "is not a finite number"),
        ({"properties": {"quantity": "-Infinity"}}, "properties.quantity",
         "is not a finite number"),
    ],
)  # fmt: skip
def test_impossible_times_and_quantities_are_refused_per_message(
    client, write_key, acme, fields, field, reason
):
    body = _batch(client, write_key.key, _track("m1"), _track("m2", **fields))
    assert (body["inserted"], body["rejected"]) == (1, 1)
    assert body["errors"] == [{"index": 1, "type": "track", "field": field, "reason": reason}]


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ('{"quantity": NaN}', "properties.quantity"),
        ('{"quantity": Infinity}', "properties.quantity"),
        ('{"ratio": -Infinity}', "properties.ratio"),
        ('{"scores": [1, NaN]}', "properties.scores.1"),
    ],
)
def test_non_finite_json_numbers_are_refused_per_message(client, write_key, acme, value, field):
    """Python's json reads NaN and Infinity; no quantity is one, and PostgreSQL's jsonb
    refuses to store them."""
    good = json.dumps(_track("m1"))
    bad = json.dumps(_track("m2", properties={}))[:-1].replace(
        '"properties": {}', f'"properties": {value}'
    )
    response = _post(client, "batch", '{"batch": [' + good + ", " + bad + "}]}", write_key.key)
    assert response.status_code == 200
    body = response.json()
    assert (body["inserted"], body["rejected"]) == (1, 1)
    assert body["errors"] == [
        {"index": 1, "type": "track", "field": field, "reason": "is not a finite number"}
    ]


# --- Write keys: no existence oracle, no reach beyond the named account -------------------


def _without_job(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "job"}


def test_an_unknown_account_and_one_known_only_elsewhere_get_the_same_answer(
    client, write_key, acme
):
    """The reason names no account and says nothing of existence, for a track, an
    identify and a group call alike."""
    TicketFactory(account=acme, external_id="T-ELSEWHERE")

    def answers(group_id: str) -> list[dict]:
        return [
            _without_job(
                _batch(
                    client,
                    write_key.key,
                    _track(f"{group_id}-{kind}", group=group_id)
                    if kind == "track"
                    else {"type": kind, "groupId": group_id,
                          "traits": {"email": "ada@acme.test", "name": "X"}},
                )
            )
            for kind in ("track", "identify", "group")
        ]  # fmt: skip

    unknown, elsewhere = answers("NOPE"), answers("T-ELSEWHERE")
    assert unknown == elsewhere
    assert [body["errors"][0]["reason"] for body in unknown] == [NOT_WRITABLE] * 3


def test_identify_answers_alike_whether_or_not_the_email_is_known_elsewhere(
    client, write_key, acme, globex
):
    """GIVEN an e-mail that is a contact of another account, and one known nowhere WHEN
    each is identified without an account, or into an account THEN the answers are the
    same, and the other account's contact is untouched."""
    ContactFactory(account=globex, email="known@globex.test", name="Known", title="CFO")

    def identify(email: str, **account) -> dict:
        message = {"type": "identify", "userId": email, "traits": {"name": "Renamed"}, **account}
        return _batch(client, write_key.key, message)

    assert identify("known@globex.test") == identify("stranger@nowhere.test")
    assert identify("known@globex.test", groupId="NOPE") == identify(
        "stranger@nowhere.test", groupId="NOPE"
    )
    assert identify("known@globex.test", groupId="ACME") == identify(
        "stranger@nowhere.test", groupId="ACME"
    )
    known = Contact.objects.get(account=globex)
    assert (known.name, known.title) == ("Known", "CFO")
    assert set(Contact.objects.filter(account=acme).values_list("email", "name")) == {
        ("known@globex.test", "Renamed"),
        ("stranger@nowhere.test", "Renamed"),
    }


def test_identify_updates_only_the_contact_of_the_account_it_names(client, write_key, acme, globex):
    """GIVEN the same e-mail as a contact of two accounts WHEN identified with a
    context.groupId, then with none THEN only the named account's contact changes, and
    the call without an account changes only the contact the first linked to its user
    ID."""
    ContactFactory(account=acme, email="pat@both.test", name="Pat", title="")
    ContactFactory(account=globex, email="pat@both.test", name="Pat", title="")
    body = _batch(
        client,
        write_key.key,
        {"type": "identify", "userId": "pat@both.test", "context": {"groupId": "GLOBEX"},
         "traits": {"title": "Buyer"}},
        {"type": "identify", "userId": "pat@both.test", "traits": {"name": "Everyone"}},
    )  # fmt: skip
    assert (body["contacts_updated"], body["rejected"]) == (1, 0)
    assert set(Contact.objects.values_list("account__external_id", "name", "title")) == {
        ("ACME", "Pat", ""),
        ("GLOBEX", "Everyone", "Buyer"),
    }


def test_group_changes_only_the_account_it_names_and_never_empties_a_name(
    client, write_key, acme, globex, settings
):
    settings.TRACKING_GROUP_TRAITS_OVERWRITE = True  # the CRM's fields too, for this test
    body = _batch(
        client,
        write_key.key,
        {"type": "group", "groupId": "ACME", "traits": {"name": "", "plan": "Enterprise"}},
        {"type": "group", "groupId": "ACME", "traits": {"name": "   ", "segment": "ENT"}},
        {"type": "group", "groupId": "ACME", "traits": {"arr": 1, "licensed_seats": 0,
                                                        "groupId": "GLOBEX"}},
        {"type": "group", "groupId": "ACME", "context": {"groupId": "GLOBEX"},
         "traits": {"name": "Acme Corp"}},
    )  # fmt: skip
    assert (body["accounts_updated"], body["rejected"]) == (1, 0)
    acme.refresh_from_db()
    globex.refresh_from_db()
    assert (acme.name, acme.plan, acme.segment) == ("Acme Corp", "Enterprise", "ENT")
    assert (globex.name, globex.plan, globex.segment) == ("Globex", "Pro", "MM")
    assert (acme.licensed_seats, acme.arr) == (50, 48000)  # contract data: the CRM's
    assert Account.objects.count() == 2
