"""The portfolio, Customer 360 and the portfolio export in Spanish and Greek: words,
money, dates and relative times as each language writes them, and an export that stays
machine-readable whatever the reader's language."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.accounts.factories import AccountFactory

pytestmark = pytest.mark.django_db

# The clock is pinned to 2026-06-15 (tests/clock.py).
STARTED = date(2026, 2, 5)
RENEWS = date(2026, 12, 5)


@pytest.fixture
def account(csm):
    return AccountFactory(
        name="Acme",
        csm_owner=csm,
        arr=Decimal("1234567.50"),
        started_on=STARTED,
        renews_on=RENEWS,
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "es",
            [
                "1.234.568\xa0$",
                "5 de diciembre de 2026",
                "Cliente desde el 5 de febrero de 2026",
                "dentro de 5\xa0meses, 2\xa0semanas",
            ],
        ),
        (
            "el",
            [
                "1.234.568\xa0$",
                "5 Δεκεμβρίου 2026",
                "Πελάτης από τις 5 Φεβρουαρίου 2026",
                "σε 5\xa0μήνες, 2\xa0εβδομάδες",
            ],
        ),
    ],
)
def test_customer_360_reads_in_the_readers_language(client_for, csm, account, language, expected):
    response = client_for(csm).get(
        reverse("accounts:detail", args=[account.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    for text in expected:
        assert text in html
    assert "$1,234,568" not in html


@pytest.mark.parametrize(
    ("language", "money"), [("es", "1.234.568\xa0$"), ("el", "1.234.568\xa0$")]
)
def test_the_portfolio_shows_money_and_dates_in_the_readers_language(
    client_for, csm, account, language, money
):
    response = client_for(csm).get(reverse("accounts:portfolio"), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert money in html
    assert "12/05/2026" not in html
    assert "05/12/2026" not in html


def test_the_export_keeps_iso_dates_and_plain_numbers_in_any_language(client_for, csm, account):
    response = client_for(csm).get(reverse("accounts:portfolio_export"), HTTP_ACCEPT_LANGUAGE="el")
    body = b"".join(response.streaming_content).decode()
    row = next(row for row in csv.DictReader(io.StringIO(body)) if row["Όνομα"] == "Acme")
    assert row["ARR"] == "1234567.50"
    assert row["Ημερομηνία ανανέωσης"] == "2026-12-05"
