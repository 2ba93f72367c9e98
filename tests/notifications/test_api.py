"""The notifications API: each person's own alerts, unread filter, reading one or all."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Alert
from notifications.services.alerts import AlertDraft, alerts_raise

pytestmark = pytest.mark.django_db

LIST = reverse("notification-list")
READ_ALL = reverse("notification-read-all")
FIELDS = {"id", "kind", "severity", "title", "body", "url", "read", "read_at", "created_at"}


def raise_alert(user, key: str, **extra) -> Alert:
    alerts_raise(
        [
            AlertDraft(
                kind="feedback.idea",
                recipient_id=user.pk,
                title=f"Alert {key}",
                dedupe_key=key,
                severity=Alert.Severity.INFO,
                **extra,
            )
        ]
    )
    return Alert.objects.get(recipient=user, dedupe_key=key)


def read_url(alert) -> str:
    return reverse("notification-read", kwargs={"pk": alert.pk})


def test_lists_only_the_callers_own_notifications_newest_first(client_for, customer_a, customer_b):
    raise_alert(customer_a, "one")
    raise_alert(customer_a, "two")
    raise_alert(customer_b, "not yours")

    body = client_for(customer_a).get(LIST).json()

    assert body["count"] == 2
    assert [row["title"] for row in body["results"]] == ["Alert two", "Alert one"]
    assert all(set(row) == FIELDS for row in body["results"])
    assert body["results"][0]["read"] is False


def test_notifications_do_not_name_an_account(client_for, csm, account_a):
    """Even a CSM's alert about an account carries no account field in this API."""
    raise_alert(csm, "about-a", account_id=account_a.pk)
    row = client_for(csm).get(LIST).json()["results"][0]
    assert "account" not in row


@pytest.mark.parametrize(("unread", "titles"), [("true", ["Alert new"]), ("false", ["Alert old"])])
def test_unread_filter(client_for, customer_a, unread, titles):
    old = raise_alert(customer_a, "old")
    raise_alert(customer_a, "new")
    Alert.objects.filter(pk=old.pk).update(acknowledged_at=timezone.now())
    rows = client_for(customer_a).get(LIST, {"unread": unread}).json()["results"]
    assert [row["title"] for row in rows] == titles


def test_bad_unread_value_is_a_400(client_for, customer_a):
    response = client_for(customer_a).get(LIST, {"unread": "maybe"})
    assert response.status_code == 400
    assert "unread" in response.json()


def test_paginates(client_for, customer_a):
    for index in range(3):
        raise_alert(customer_a, str(index))
    body = client_for(customer_a).get(LIST, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2


def test_read_marks_one_and_is_harmless_to_repeat(client_for, customer_a):
    alert = raise_alert(customer_a, "x")
    client = client_for(customer_a)
    first = client.post(read_url(alert))
    assert first.status_code == 200
    assert first.json()["read"] is True
    read_at = first.json()["read_at"]
    again = client.post(read_url(alert))
    assert again.json()["read_at"] == read_at
    assert Alert.objects.get(pk=alert.pk).acknowledged_at is not None


def test_reading_someone_elses_notification_is_a_404(client_for, customer_a, customer_b):
    alert = raise_alert(customer_a, "x")
    response = client_for(customer_b).post(read_url(alert))
    assert response.status_code == 404
    assert "detail" in response.json()
    assert Alert.objects.get(pk=alert.pk).acknowledged_at is None


def test_read_all_marks_only_the_callers_own(client_for, customer_a, customer_b):
    raise_alert(customer_a, "one")
    raise_alert(customer_a, "two")
    theirs = raise_alert(customer_b, "theirs")
    client = client_for(customer_a)

    assert client.post(READ_ALL).json() == {"marked": 2}
    assert client.post(READ_ALL).json() == {"marked": 0}
    assert client.get(LIST, {"unread": "true"}).json()["count"] == 0
    assert Alert.objects.get(pk=theirs.pk).acknowledged_at is None


def test_list_query_count_is_constant(client_for, csm, django_assert_max_num_queries):
    for index in range(40):
        raise_alert(csm, str(index))
    client = client_for(csm)
    with django_assert_max_num_queries(4):  # session, user, count, page
        response = client.get(LIST)
    assert response.json()["count"] == 40


@pytest.mark.parametrize(
    ("method", "url"), [("get", LIST), ("post", READ_ALL), ("post", "/api/notifications/1/read/")]
)
def test_anonymous_is_a_401(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 401
    assert "detail" in response.json()
