"""A CSM imports usage through the page and watches the job finish in the browser."""

import io
import re

import pytest
from playwright.sync_api import expect

from accounts.models import Source, UsageEvent
from core.roles import Role
from ingest.models import ImportJob
from ingest.services import imports
from tests.accounts.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

USAGE_CSV = (
    b"account_id,event,timestamp,email\n"
    b"NWF,report.viewed,2025-01-05T09:00:00Z,ada@northwind.test\n"
    b"NWF,report.exported,2025-01-05T10:00:00Z,ada@northwind.test\n"
)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_csm_uploads_usage_and_opens_an_account_of_the_file(sign_in, live_server):
    csm = UserFactory(username="e2e-csm", role=Role.CSM)
    account = AccountFactory(name="Northwind Foods", external_id="NWF", csm_owner=csm)
    page = sign_in("e2e-csm")

    page.get_by_text("Manage", exact=True).click()
    page.get_by_role("link", name="Import data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import data")
    page.get_by_label("What the file contains").select_option(label="Usage events")
    page.get_by_label("CSV file").set_input_files(
        {"name": "usage.csv", "mimeType": "text/csv", "buffer": USAGE_CSV}
    )
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/import/\d+/$"))
    expect(page.get_by_role("status").first).to_contain_text("Succeeded")
    expect(page.locator(".stats")).to_contain_text("2")
    assert UsageEvent.objects.filter(account=account).count() == 2

    page.get_by_role("link", name="Portfolio").click()
    page.get_by_role("link", name="Northwind Foods").click()
    expect(page).to_have_url(re.compile(rf"/accounts/{account.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Northwind Foods")


def test_job_page_follows_a_queued_job_until_it_finishes(sign_in, live_server):
    UserFactory(username="e2e-csm", role=Role.CSM)
    AccountFactory(name="Northwind Foods", external_id="NWF")
    job = imports.import_job_create(
        kind=ImportJob.Kind.USAGE,
        source=Source.CSV,
        file_name="usage.csv",
        upload=io.BytesIO(USAGE_CSV),
    )
    page = sign_in("e2e-csm")
    page.goto(f"{live_server.url}/accounts/import/{job.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("Queued")
    expect(page.locator("#import-job-live")).to_have_attribute("hx-trigger", "every 1s")

    imports.import_job_run(job_id=job.pk)  # a worker runs it while the page is open

    expect(page.get_by_role("status").first).to_contain_text("Succeeded", timeout=5000)
    expect(page.locator("#import-job-live")).not_to_have_attribute("hx-trigger", "every 1s")
    page.screenshot(path="/tmp/import-job-e2e.png", full_page=True)
