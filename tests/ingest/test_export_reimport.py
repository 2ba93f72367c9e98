"""An export made in any language comes back in: the portfolio export, headed in the
reader's language, re-imports through the accounts import as it stands."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Account
from accounts.selectors import PORTFOLIO_COLUMNS
from ingest.columns import check_header, normalise_header
from ingest.models import ImportJob
from tests.accounts.factories import AccountFactory


def test_headings_of_any_script_normalise_without_accents_or_case():
    assert normalise_header(" Fecha de renovación ") == "fecha_de_renovacion"
    assert normalise_header("Ημερομηνία Ανανέωσης") == normalise_header("ημερομηνια ανανεωσης")
    assert normalise_header("Created__At") == "created_at"


@pytest.mark.parametrize("language", ["en", "es", "el"])
def test_the_export_headings_of_every_language_map_to_the_import_columns(language):
    with translation.override(language):
        headings = [str(heading) for _column, heading in PORTFOLIO_COLUMNS]
    checked = check_header("accounts", headings)
    assert (checked.missing, checked.unknown, checked.duplicated) == ([], [], [])
    assert list(checked.rename.values()) == [column for column, _heading in PORTFOLIO_COLUMNS]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "el"])
def test_a_translated_export_edited_in_a_spreadsheet_re_imports(language, client_for, csm):
    AccountFactory(external_id="NW-1", name="Northwind", arr=Decimal("1000"), csm_owner=csm)
    AccountFactory(external_id="AC-2", name="Acme", arr=Decimal("2000"), csm_owner=csm)
    client = client_for(csm)
    exported = b"".join(
        client.get(reverse("accounts:portfolio_export"), HTTP_ACCEPT_LANGUAGE=language)
    ).decode()
    with translation.override(language):
        arr_heading = str(dict(PORTFOLIO_COLUMNS)["arr"])
        name_heading = str(dict(PORTFOLIO_COLUMNS)["name"])
    assert exported.splitlines()[0].startswith(name_heading)
    assert name_heading != "Name"

    rows = list(csv.DictReader(io.StringIO(exported)))
    for row in rows:
        if row[name_heading] == "Northwind":
            row[arr_heading] = "1500.00"
    edited = io.StringIO()
    writer = csv.DictWriter(edited, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)

    response = client.post(
        reverse("api-import", args=["accounts"]),
        edited.getvalue().encode(),
        content_type="text/csv",
    )
    assert response.status_code == 201, response.content[:500]
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == ImportJob.Status.SUCCEEDED, (job.message, job.errors)
    assert job.errors == []
    northwind = Account.objects.get(external_id="NW-1")
    assert northwind.arr == Decimal("1500")
    assert northwind.csm_owner == csm
    assert Account.objects.get(external_id="AC-2").arr == Decimal("2000")
