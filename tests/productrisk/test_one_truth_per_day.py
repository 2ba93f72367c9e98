"""One truth per day: wherever an account's band is shown (portfolio, Customer 360, a
flag's evidence, the API) it is the same for the same day, and a band from another day
says which day it is from, beside the band now."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from healthscores import services as health_services
from productrisk.models import ProductRisk, ProductRiskAccount
from productrisk.services.flags import product_risk_recompute
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.feedback.factories import IdeaFactory, VoteFactory
from tests.healthscores.factories import AccountHealthFactory, healthy_data, red_data
from tests.productrisk.factories import ProductRiskAccountFactory, ProductRiskFactory

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

TODAY = health_services.today_utc()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _row(html: str, marker: str, name: str) -> str:
    """The table row of ``name`` (rows are marked ``data-testid=marker``)."""
    rows = html.split(f'data-testid="{marker}"')[1:]
    return next(_text(row.split("</tr>")[0]) for row in rows if name in row)


def test_the_same_account_shows_the_same_band_on_the_same_day_everywhere(client_for, pm):
    """Scored by the engine, flagged by the product-risk recompute, then read by every
    page and endpoint that shows a band."""
    idea = IdeaFactory(title="SSO with Okta")
    red, green, other = (
        AccountFactory(name="Redwood", licensed_seats=1),
        AccountFactory(name="Greenhill", licensed_seats=1),
        AccountFactory(name="Thirdway", licensed_seats=1),
    )
    red_data(red, TODAY)
    healthy_data(green, TODAY)
    healthy_data(other, TODAY)
    for account in (red, green, other):
        VoteFactory(idea=idea, contact=ContactFactory(account=account))
    health_services.recompute_now(day=TODAY)
    product_risk_recompute(today=TODAY)
    flag = ProductRisk.objects.get(idea=idea)
    client = client_for(pm)

    portfolio = client.get(reverse("accounts:portfolio"), {"scope": "all"}).content.decode()
    risk_page = client.get(reverse("productrisk:risk", args=[flag.pk])).content.decode()
    health_api = {row["id"]: row["health"] for row in client.get("/api/health/").json()["results"]}
    evidence_api = {
        row["account"]: row
        for row in client.get(f"/api/product-risks/{flag.pk}/").json()["evidence"]
    }
    for account, band, label in ((red, "red", "Red"), (green, "green", "Green")):
        health = account.health
        health.refresh_from_db()
        assert (health.effective_band, health.day) == (band, TODAY)
        account_page = _text(
            client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
        )
        assert f"Health {label}" in account_page
        assert "as of today" in account_page
        assert label in _row(portfolio, "portfolio-row", account.name)
        assert f"{label} as of today" in _row(risk_page, "evidence-row", account.name)
        assert (health_api[account.pk]["effective_band"], health_api[account.pk]["day"]) == (
            band,
            TODAY.isoformat(),
        )
        evidence = evidence_api[account.pk]
        assert (evidence["band"], evidence["band_on"]) == (band, TODAY.isoformat())
        assert (evidence["band_now"], evidence["band_now_on"]) == (band, TODAY.isoformat())


def test_a_resolved_flag_says_the_day_of_its_band_and_the_band_now(client_for, pm):
    """A flag resolved twelve days ago keeps the evidence of then: the account was red
    then and is yellow now, and the page and the API say both, each with its day."""
    then = TODAY - timedelta(days=12)
    account = AccountFactory(name="Redwood")
    AccountHealthFactory(account=account, band="yellow", day=TODAY)
    flag = ProductRiskFactory(status=ProductRisk.Status.RESOLVED)
    ProductRiskAccountFactory(risk=flag, account=account, band="red", band_on=then)
    client = client_for(pm)

    row = _row(
        client.get(reverse("productrisk:risk", args=[flag.pk])).content.decode(),
        "evidence-row",
        "Redwood",
    )
    assert f"Red as of {date_format(then)}" in row
    assert "Yellow on today" in row

    evidence = client.get(f"/api/product-risks/{flag.pk}/").json()["evidence"][0]
    assert evidence["band"] == "red"
    assert evidence["band_on"] == then.isoformat()
    assert (evidence["band_now"], evidence["band_now_on"]) == ("yellow", TODAY.isoformat())


def test_a_flag_recompute_records_the_day_of_the_band_it_read():
    idea = IdeaFactory()
    accounts = AccountFactory.create_batch(3)
    for account in accounts:
        AccountHealthFactory(account=account, band="red", day=TODAY)
        VoteFactory(idea=idea, contact=ContactFactory(account=account))
    product_risk_recompute(today=TODAY)
    assert set(ProductRiskAccount.objects.values_list("band", "band_on")) == {("red", TODAY)}


def test_an_account_the_last_run_missed_says_the_day_of_its_band_in_the_portfolio(client_for, pm):
    stale_day = TODAY - timedelta(days=3)
    AccountHealthFactory(account=AccountFactory(name="Laggard"), band="green", day=stale_day)
    AccountHealthFactory(account=AccountFactory(name="Current"), band="green", day=TODAY)
    html = client_for(pm).get(reverse("accounts:portfolio"), {"scope": "all"}).content.decode()
    assert f"as of {date_format(stale_day)}" in _row(html, "portfolio-row", "Laggard")
    assert "as of" not in _row(html, "portfolio-row", "Current")
