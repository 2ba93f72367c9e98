"""The Segment-compatible tracking API, over HTTP and with the real Segment library."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, Contact, DailyUsage, Source, UsageEvent
from ingest.models import MAX_STORED_ERRORS, ImportJob, WriteKey
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.ingest.factories import WriteKeyFactory

pytestmark = pytest.mark.django_db

EVENT_TIME = "2025-02-03T10:00:00Z"


@pytest.fixture
def write_key():
    return WriteKeyFactory()


@pytest.fixture
def acme():
    return AccountFactory(external_id="ACME", name="Acme", plan="Growth", segment="SMB")


def _auth(key: str) -> dict:
    token = base64.b64encode(f"{key}:".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def _post(client, name, body, key, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        reverse(f"tracking:{name}"),
        data=data,
        content_type="application/json",
        **(_auth(key) if key is not None else {}),
        **extra,
    )


def _track(message_id, group="ACME", event="report.viewed", **fields):
    return {
        "type": "track",
        "event": event,
        "groupId": group,
        "userId": "ada@acme.test",
        "messageId": message_id,
        "timestamp": EVENT_TIME,
        **fields,
    }


def test_batch_of_track_events_lands_as_usage(client, write_key, acme):
    batch = {"batch": [_track("m1"), _track("m2", properties={"quantity": 4})]}
    response = _post(client, "batch", batch, write_key.key)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert (body["received"], body["inserted"], body["rejected"]) == (2, 2, 0)
    events = UsageEvent.objects.filter(account=acme).order_by("source_id")
    assert [(e.source, e.source_id, e.quantity) for e in events] == [
        (Source.SEGMENT, "m1", 1.0),
        (Source.SEGMENT, "m2", 4.0),
    ]
    assert events[0].contact.email == "ada@acme.test"
    job = ImportJob.objects.get(pk=body["job"])
    assert (job.source, job.kind, job.partial) == (Source.SEGMENT, "usage", True)


def test_the_same_batch_twice_is_counted_as_duplicates(client, write_key, acme):
    batch = {"batch": [_track("m1"), _track("m2"), _track("m3")]}
    first = _post(client, "batch", batch, write_key.key).json()
    second = _post(client, "batch", batch, write_key.key).json()
    assert (first["inserted"], first["duplicates"]) == (3, 0)
    assert (second["inserted"], second["duplicates"]) == (0, 3)
    assert UsageEvent.objects.count() == 3


def test_unknown_group_id_creates_no_account_and_is_reported(client, write_key, acme):
    batch = {"batch": [_track("m1"), _track("m2", group="NOPE")]}
    body = _post(client, "batch", batch, write_key.key).json()
    assert (body["inserted"], body["rejected"]) == (1, 1)
    assert body["errors"] == [
        {
            "index": 1,
            "type": "track",
            "field": "groupId",
            "reason": "is not an account this key can write to",
        }
    ]
    assert not Account.objects.filter(external_id="NOPE").exists()


def test_one_bad_event_does_not_drop_the_batch(client, write_key, acme):
    batch = {
        "batch": [
            _track("m1"),
            {"type": "track", "groupId": "ACME"},  # no event
            _track("m3", timestamp="yesterday"),
            _track("m4"),
        ]
    }
    body = _post(client, "batch", batch, write_key.key).json()
    assert (body["inserted"], body["rejected"]) == (2, 2)
    assert [(e["index"], e["field"]) for e in body["errors"]] == [(1, "event"), (2, "timestamp")]


def test_track_without_group_id_goes_to_the_account_of_its_person(client, write_key, acme):
    ContactFactory(account=acme, email="bo@acme.test")
    message = _track("m1", userId="bo@acme.test")
    del message["groupId"]
    body = _post(client, "track", message, write_key.key).json()
    assert body["inserted"] == 1
    assert UsageEvent.objects.get().account == acme


def test_single_track_endpoint_accepts_trailing_slash(client, write_key, acme):
    response = client.post(
        "/v1/track/",
        data=json.dumps(_track("m1")),
        content_type="application/json",
        **_auth(write_key.key),
    )
    assert response.status_code == 200
    assert response.json()["inserted"] == 1


def test_identify_creates_a_contact_in_the_named_account(client, write_key, acme):
    message = {
        "userId": "u-7",
        "groupId": "ACME",
        "traits": {"email": "Cy@Acme.test", "name": "Cy Young", "title": "Ops lead"},
    }
    body = _post(client, "identify", message, write_key.key).json()
    assert body["contacts_created"] == 1
    contact = Contact.objects.get(account=acme, email="cy@acme.test")
    assert (contact.name, contact.title) == ("Cy Young", "Ops lead")


def test_identify_without_group_renames_no_unlinked_contact_and_is_accepted(
    client, write_key, acme
):
    """GIVEN a contact with the identified e-mail, never linked to the user ID WHEN an
    identify names no account THEN it is accepted (200) and the contact is unchanged."""
    ContactFactory(account=acme, email="cy@acme.test", name="cy", title="")
    response = _post(
        client,
        "identify",
        {"userId": "cy@acme.test", "traits": {"name": "Cy Young"}},
        write_key.key,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["contacts_created"], body["contacts_updated"], body["rejected"]) == (0, 0, 0)
    assert Contact.objects.get(email="cy@acme.test").name == "cy"


def test_identify_of_a_stranger_without_group_creates_no_contact(client, write_key):
    response = _post(client, "identify", {"userId": "who@nowhere.test"}, write_key.key)
    assert response.status_code == 200
    assert response.json()["rejected"] == 0
    assert not Contact.objects.exists()


def test_identify_group_then_track_by_user_id_counts_an_active_contact(client, write_key, acme):
    """GIVEN a product that names its users by an ID that is no e-mail WHEN it sends
    identify (traits only), group (user to account) and track (user ID only), as Segment
    libraries do THEN the contact is created with the identify's traits, linked to the
    user ID, and the event counts it as an active contact of the day."""
    identify = {"userId": "u-123", "traits": {"email": "Ana@Acme.test", "name": "Ana Ito"}}
    assert _post(client, "identify", identify, write_key.key).status_code == 200
    assert not Contact.objects.exists()
    body = _post(client, "group", {"userId": "u-123", "groupId": "ACME"}, write_key.key).json()
    assert body["contacts_created"] == 1
    contact = Contact.objects.get(account=acme)
    assert (contact.email, contact.name, contact.tracking_user_id) == (
        "ana@acme.test",
        "Ana Ito",
        "u-123",
    )
    track = {"userId": "u-123", "event": "report.viewed", "messageId": "t-1",
             "timestamp": EVENT_TIME}  # fmt: skip
    body = _post(client, "track", track, write_key.key).json()
    assert body["inserted"] == 1
    assert UsageEvent.objects.get().contact_id == contact.pk
    assert DailyUsage.objects.get(account=acme).active_contacts == 1


def test_a_batch_links_and_attaches_in_order_and_renames_only_the_user(client, write_key, acme):
    """GIVEN a contact of another person WHEN one batch identifies a user into an account,
    tracks two events by the user ID, and identifies the user again without an account
    THEN both events have the user's contact, whose name follows the later identify, and
    the other person's contact keeps its name."""
    other = ContactFactory(account=acme, email="bo@acme.test", name="Bo")
    batch = {
        "batch": [
            {"type": "identify", "userId": "42", "groupId": "ACME",
             "traits": {"email": "cy@acme.test", "name": "Cy"}},
            _track("t-1", userId="42"),
            _track("t-2", group=None, userId="42"),
            {"type": "identify", "userId": "42", "traits": {"name": "Cy Young"}},
        ]
    }  # fmt: skip
    body = _post(client, "batch", batch, write_key.key).json()
    assert (body["inserted"], body["rejected"]) == (2, 0)
    contact = Contact.objects.get(tracking_user_id="42")
    assert (contact.account, contact.email, contact.name) == (acme, "cy@acme.test", "Cy Young")
    assert set(UsageEvent.objects.values_list("contact_id", flat=True)) == {contact.pk}
    other.refresh_from_db()
    assert other.name == "Bo"


def test_group_fills_only_empty_account_fields_by_default(client, write_key):
    """GIVEN an account whose name and segment came from the CRM and whose plan is empty
    WHEN a product's group call sends all three THEN only the empty plan is filled."""
    acme = AccountFactory(external_id="ACME", name="Acme", plan="", segment="SMB")
    traits = {"name": "acme-prod", "plan": "Enterprise", "segment": "ENT"}
    body = _post(client, "group", {"groupId": "ACME", "traits": traits}, write_key.key).json()
    assert body["accounts_updated"] == 1
    acme.refresh_from_db()
    assert (acme.name, acme.plan, acme.segment) == ("Acme", "Enterprise", "SMB")
    body = _post(client, "group", {"groupId": "ACME", "traits": traits}, write_key.key).json()
    assert body["accounts_updated"] == 0


def test_group_replaces_the_traits_it_carries_when_the_admin_opts_in(
    client, write_key, acme, settings
):
    settings.TRACKING_GROUP_TRAITS_OVERWRITE = True
    body = _post(
        client, "group", {"groupId": "ACME", "traits": {"plan": "Enterprise"}}, write_key.key
    ).json()
    assert body["accounts_updated"] == 1
    acme.refresh_from_db()
    assert (acme.name, acme.plan, acme.segment) == ("Acme", "Enterprise", "SMB")


def test_group_never_creates_an_account(client, write_key):
    body = _post(
        client, "group", {"groupId": "NEW", "traits": {"name": "New Co"}}, write_key.key
    ).json()
    assert body["rejected"] == 1
    assert body["errors"][0]["field"] == "groupId"
    assert not Account.objects.exists()


def test_malformed_json_is_a_400_json_error(client, write_key):
    response = _post(client, "batch", b"{not json", write_key.key)
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert "not valid JSON" in response.json()["message"]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("batch", {"events": []}),
        ("track", {"groupId": "ACME"}),
        ("identify", {"userId": "u-1", "traits": {"email": "not-an-email"}}),
        ("group", {"traits": {"name": "X"}}),
    ],
)
def test_missing_required_fields_are_a_400(client, write_key, acme, name, body):
    response = _post(client, name, body, write_key.key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


@pytest.mark.parametrize("key", [None, "wrong-key", ""])
def test_missing_or_wrong_write_key_is_a_401(client, write_key, acme, key):
    response = _post(client, "batch", {"batch": [_track("m1")]}, key)
    assert response.status_code == 401
    assert response.json()["success"] is False
    assert response["WWW-Authenticate"].startswith("Basic")
    assert not UsageEvent.objects.exists()


def test_inactive_write_key_is_a_401(client, acme):
    key = WriteKeyFactory(is_active=False)
    assert _post(client, "batch", {"batch": [_track("m1")]}, key.key).status_code == 401


def test_write_key_in_the_body_is_accepted(client, write_key, acme):
    response = _post(client, "batch", {"batch": [_track("m1")], "writeKey": write_key.key}, None)
    assert response.status_code == 200


def test_body_over_500_kb_is_a_413(client, write_key):
    padding = "x" * (500 * 1024)
    response = _post(client, "batch", {"batch": [], "padding": padding}, write_key.key)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_gzipped_body_is_read(client, write_key, acme):
    raw = gzip.compress(json.dumps({"batch": [_track("m1")]}).encode())
    response = _post(client, "batch", raw, write_key.key, HTTP_CONTENT_ENCODING="gzip")
    assert response.status_code == 200
    assert response.json()["inserted"] == 1


def test_get_is_not_allowed(client, write_key):
    response = client.get(reverse("tracking:batch"), **_auth(write_key.key))
    assert response.status_code == 405
    assert response.json()["success"] is False


def test_last_used_is_written_at_most_once_a_minute(client, write_key, acme):
    _post(client, "batch", {"batch": []}, write_key.key)
    write_key.refresh_from_db()
    first = write_key.last_used_at
    assert first is not None
    _post(client, "batch", {"batch": []}, write_key.key)
    write_key.refresh_from_db()
    assert write_key.last_used_at == first

    WriteKey.objects.filter(pk=write_key.pk).update(last_used_at=first - timedelta(minutes=2))
    _post(client, "batch", {"batch": []}, write_key.key)
    write_key.refresh_from_db()
    assert write_key.last_used_at > first - timedelta(seconds=1)
    assert timezone.now() - write_key.last_used_at < timedelta(minutes=1)


def test_tracking_needs_no_session_or_csrf_token(write_key, acme):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, "batch", {"batch": [_track("m1")]}, write_key.key).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_events_sent_by_the_real_segment_library_land(live_server, request):
    from segment.analytics import Client as SegmentClient
    from segment.analytics import request as segment_request

    acme = AccountFactory(external_id="ACME", name="Acme", plan="")
    key = WriteKeyFactory()
    analytics = SegmentClient(key.key, host=live_server.url, sync_mode=True, max_retries=0)
    # The library keeps one HTTP session for the process; close its keep-alive
    # connection at the end, or the live server's handler thread (and its database
    # connection) outlives the test and blocks dropping the test database.
    request.addfinalizer(segment_request._session.close)
    analytics.identify(
        "ada@acme.test", {"email": "ada@acme.test", "name": "Ada", "groupId": "ACME"}
    )
    analytics.group("ada@acme.test", "ACME", {"plan": "Enterprise"})
    analytics.track(
        "ada@acme.test",
        "report.exported",
        {"quantity": 2, "groupId": "ACME"},
        message_id="seg-1",
    )
    analytics.track(
        "ada@acme.test", "report.viewed", context={"groupId": "ACME"}, message_id="seg-2"
    )

    events = UsageEvent.objects.filter(account=acme).order_by("source_id")
    assert [(e.event, e.quantity, e.source_id) for e in events] == [
        ("report.exported", 2.0, "seg-1"),
        ("report.viewed", 1.0, "seg-2"),
    ]
    assert Contact.objects.get(account=acme, email="ada@acme.test").name == "Ada"
    acme.refresh_from_db()
    assert acme.plan == "Enterprise"
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_batches_of_a_minute_add_up_into_one_job_per_write_key(client, write_key, acme, clock):
    """GIVEN a source sending 20 batches within a minute, each with two good events and
    one for an account it may not write to WHEN they arrive THEN each answer reports its
    own batch, one job holds the sums and every stored error, and the next minute
    starts a new job; another key's batches go to a job of their own."""
    clock.move_to(datetime(2026, 6, 15, 10, 0, 5, tzinfo=UTC))
    answers = []
    for n in range(20):
        batch = [_track(f"a{n}"), _track(f"b{n}"), _track(f"c{n}", group="NOPE")]
        answers.append(_post(client, "batch", {"batch": batch}, write_key.key).json())
    assert {(a["inserted"], a["rejected"]) for a in answers} == {(2, 1)}
    assert {a["errors"][0]["index"] for a in answers} == {2}
    job = ImportJob.objects.get()
    assert {a["job"] for a in answers} == {job.pk}
    assert (job.rows_seen, job.rows_inserted, job.rows_rejected) == (60, 40, 20)
    assert (job.write_key, job.file_name, job.source) == (write_key, write_key.name, "segment")
    assert [e["row"] for e in job.errors] == list(range(3, 61, 3))  # told apart per batch
    assert job.status == ImportJob.Status.SUCCEEDED

    clock.shift(timedelta(minutes=1))
    later = _post(client, "batch", {"batch": [_track("d1")]}, write_key.key).json()
    other_key = WriteKeyFactory()
    elsewhere = _post(client, "batch", {"batch": [_track("e1")]}, other_key.key).json()
    assert len({job.pk, later["job"], elsewhere["job"]}) == 3
    assert ImportJob.objects.get(pk=later["job"]).rows_inserted == 1
    assert ImportJob.objects.count() == 3


def test_a_minute_job_keeps_errors_up_to_the_stored_maximum(client, write_key, acme, clock):
    clock.move_to(datetime(2026, 6, 15, 10, 0, 5, tzinfo=UTC))
    for batch_number in range(2):
        batch = [_track(f"x{batch_number}-{n}", group="NOPE") for n in range(60)]
        body = _post(client, "batch", {"batch": batch}, write_key.key).json()
        assert len(body["errors"]) == 60
    job = ImportJob.objects.get()
    assert job.rows_rejected == 120
    assert len(job.errors) == MAX_STORED_ERRORS
    assert job.errors[-1]["row"] == 100


def test_identify_by_email_alone_updates_the_contact_linked_to_a_user_id(client, write_key, acme):
    ContactFactory(account=acme, email="cy@acme.test", name="Cy", tracking_user_id="u-9")
    message = {"anonymousId": "a-1", "groupId": "ACME",
               "traits": {"email": "cy@acme.test", "title": "CTO"}}  # fmt: skip
    body = _post(client, "identify", message, write_key.key).json()
    assert (body["contacts_created"], body["contacts_updated"]) == (0, 1)
    assert Contact.objects.get().title == "CTO"
