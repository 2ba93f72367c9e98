"""Admin pages of import jobs (read-only) and tracking write keys (key shown)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.ingest.factories import ImportJobFactory, WriteKeyFactory

pytestmark = pytest.mark.django_db


def test_import_jobs_are_listed_filtered_and_read_only(client_for, admin_user):
    job = ImportJobFactory(status="rejected", file_name="tickets.csv")
    client = client_for(admin_user)
    listing = client.get(reverse("admin:ingest_importjob_changelist"), {"status": "rejected"})
    assert listing.status_code == 200
    assert "tickets.csv" in listing.content.decode()
    assert client.get(reverse("admin:ingest_importjob_add")).status_code == 403
    detail = client.get(reverse("admin:ingest_importjob_change", args=[job.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


def test_write_keys_show_their_key_and_last_use(client_for, admin_user):
    key = WriteKeyFactory(name="Web app")
    page = client_for(admin_user).get(reverse("admin:ingest_writekey_changelist"))
    assert page.status_code == 200
    assert key.key in page.content.decode()


def test_adding_a_write_key_generates_the_key(client_for, admin_user):
    from ingest.models import WriteKey

    response = client_for(admin_user).post(
        reverse("admin:ingest_writekey_add"), {"name": "Mobile app", "is_active": "on"}
    )
    assert response.status_code == 302
    assert len(WriteKey.objects.get(name="Mobile app").key) >= 24
