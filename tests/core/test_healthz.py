"""/healthz: the database, the broker and the oldest pending job, as JSON; 503 when one
of them is not right (the Redis-down case is in tests/core/test_redis_outage.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core import jobs
from core.models import Job
from ingest.models import ImportJob
from tests.ingest.factories import ImportJobFactory

pytestmark = pytest.mark.django_db


def test_all_well_is_200_with_each_part_named(settings):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "inline",  # tasks run inline here: there is no broker to be down
        "oldest_pending_seconds": None,
        "pending_max_seconds": settings.HEALTHZ_PENDING_MAX_SECONDS,
    }


def test_work_waiting_longer_than_the_threshold_is_503(settings):
    settings.HEALTHZ_PENDING_MAX_SECONDS = 600
    job = jobs.job_create("health")
    Job.objects.filter(pk=job.pk).update(due_at=timezone.now() - timedelta(seconds=300))
    assert Client().get("/healthz").status_code == 200

    ImportJobFactory(status=ImportJob.Status.QUEUED)
    ImportJob.objects.update(created_at=timezone.now() - timedelta(seconds=601))
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["oldest_pending_seconds"] >= 601


@pytest.mark.django_db
def test_job_tables_that_cannot_be_read_are_reported_down_not_a_500(client, monkeypatch):
    """A database that answers but was never migrated (or lost a table)."""
    from django.db import ProgrammingError

    from core import health

    def unreadable(now):
        raise ProgrammingError('relation "core_job" does not exist')

    monkeypatch.setitem(health._pending, "unreadable", unreadable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
