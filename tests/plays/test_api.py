"""``/api/tasks/``: list, create and update through the services; bad input is a 400
with a JSON body naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from plays.models import Task
from tests.plays.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_create_list_and_update(csm, admin_user, client_for, account_a):
    client = client_for(csm)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    created = client.post(
        "/api/tasks/",
        {"account": account_a.pk, "title": "Plan the QBR", "due_on": due, "priority": "high"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["title"], body["owner"], body["created_by"], body["status"]) == (
        "Plan the QBR",
        csm.pk,
        csm.pk,
        "open",
    )
    listed = client.get("/api/tasks/", {"account": account_a.pk, "status": "open"}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    updated = client.patch(
        f"/api/tasks/{body['id']}/",
        {"owner": admin_user.pk, "status": "skipped", "skip_reason": "Covered by the call"},
        content_type="application/json",
    )
    assert updated.status_code == 200, updated.content
    task = Task.objects.get()
    assert (task.owner, task.status, task.skip_reason) == (
        admin_user,
        Task.Status.SKIPPED,
        "Covered by the call",
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "", "due_on": "2026-06-20"}, "title"),
        ({"title": "Call", "due_on": "not a date"}, "due_on"),
        ({"title": "Call"}, "due_on"),
    ],
)
def test_bad_input_is_a_400_with_json(csm, client_for, account_a, payload, field):
    response = client_for(csm).post(
        "/api/tasks/", {"account": account_a.pk, **payload}, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_skipping_without_a_reason_is_a_400(csm, client_for, account_a):
    task = TaskFactory(account=account_a, owner=csm)
    response = client_for(csm).patch(
        f"/api/tasks/{task.pk}/", {"status": "skipped"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN
