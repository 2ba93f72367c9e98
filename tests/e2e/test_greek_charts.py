"""A Greek CSM reads an account page in Greek: words, dates in words with the month in
the genitive, amounts with Greek separators, and charts whose months and separators are
Greek too (plotly's locale served from our static files)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from tests.accounts.factories import AccountFactory, DailyActivityFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

GREEK_MONTH = re.compile(r"\b(Ιαν|Φεβ|Μαρ|Απρ|Μαι|Ιουν|Ιουλ|Αυγ|Σεπ|Οκτ|Νοε|Δεκ)\b")


def test_a_greek_csm_reads_an_account_page_in_greek(sign_in, live_server, page):
    csm = UserFactory(username="e2e-greek", role=Role.CSM)
    account = AccountFactory(
        name="Οδυσσέας Logistics", csm_owner=csm, arr=Decimal("1234567"), renews_on=None
    )
    today = timezone.now().date()
    for days_ago in range(0, 60, 3):
        DailyActivityFactory(account=account, day=today - timedelta(days=days_ago))

    sign_in("e2e-greek")
    page.set_extra_http_headers({"Accept-Language": "el"})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/{account.pk}/")

    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(page.get_by_text("1.234.567\xa0$").first).to_be_visible()
    chart = page.locator('[data-plotly-figure="usage-chart-data"]')
    expect(chart).to_have_attribute("data-plotly-locale", "el")
    ticks = chart.locator(".xtick text")
    expect(ticks.first).to_be_visible()
    assert any(GREEK_MONTH.search(text or "") for text in ticks.all_text_contents())
    assert errors == []
