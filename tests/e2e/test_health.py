"""A CSM finds a red account in the portfolio, reads why its health changed, sets a
sentiment, and sees the score and the divergence flag update in place."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import Ticket
from core.roles import Role
from healthscores import services
from healthscores.models import AccountHealth
from tests.accounts.factories import (
    AccountFactory,
    ContactFactory,
    DailyUsageFactory,
    TicketFactory,
    UserFactory,
)
from tests.healthscores.factories import DailyEventContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _went_quiet(account):
    """Busy a week ago, silent since, with urgent tickets piling up: red today."""
    today = services.today_utc()
    week_ago = today - timedelta(days=7)
    for contact in ContactFactory.create_batch(8, account=account):
        DailyEventContactFactory(
            account=account, contact=contact, day=week_ago - timedelta(days=25)
        )
    DailyUsageFactory(account=account, day=week_ago, event_count=300)
    DailyUsageFactory(account=account, day=today - timedelta(days=40), event_count=300)
    services.recompute_now(account_ids=[account.pk], day=week_ago)
    TicketFactory.create_batch(5, account=account, priority=Ticket.Priority.URGENT)
    services.recompute_now(account_ids=[account.pk])


def test_csm_reads_why_an_account_turned_red_and_records_a_divergent_sentiment(
    sign_in, live_server
):
    csm = UserFactory(username="e2e-health", role=Role.CSM)
    account = AccountFactory(name="Dunmore Freight", csm_owner=csm, licensed_seats=10)
    AccountFactory(name="Calm Harbour", csm_owner=csm)  # not red: filtered out
    _went_quiet(account)
    before = AccountHealth.objects.get(account=account)
    assert before.band == "red"

    page = sign_in("e2e-health")
    page.goto(f"{live_server.url}/accounts/")
    page.get_by_role("combobox", name="Health").select_option(label="Red")
    page.get_by_role("button", name="Apply").click()
    row = page.get_by_role("row", name=re.compile("Dunmore Freight"))
    expect(row.get_by_text("Red", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Calm Harbour")).to_have_count(0)

    row.get_by_role("link", name="Dunmore Freight").click()
    page.wait_for_load_state("load")  # htmx must be ready before the form is used
    health = page.locator("#health")
    expect(health.locator(".health-band")).to_have_text("Red")
    why = health.get_by_role("heading", name="Why it changed")
    expect(why).to_be_visible()
    expect(health.locator(".health-movers").first).to_contain_text("Active user ratio")

    sentiment = health.get_by_role("group", name="CSM sentiment")
    sentiment.get_by_role("radio", name="Green").check()
    sentiment.get_by_label("Why").fill("They told me on the call that all is well.")
    sentiment.get_by_role("button", name="Save sentiment").click()

    health = page.locator("#health")
    expect(health.locator(".health-divergence")).to_have_text(
        "CSM sentiment is green but the data says red."
    )
    after = AccountHealth.objects.get(account=account)
    assert after.divergent
    assert after.score > before.score  # the sentiment measure now counts
    expect(health.locator(".health-score")).to_contain_text(f"{after.score:.0f}")
    expect(health.get_by_role("list", name="Latest sentiments, newest first")).to_contain_text(
        "They told me on the call that all is well."
    )


def test_csm_compares_two_days_of_their_choice_from_the_keyboard(sign_in, live_server):
    UserFactory(username="e2e-why", role=Role.CSM)
    account = AccountFactory(name="Ostrava Mills", licensed_seats=10)
    _went_quiet(account)
    today = services.today_utc()
    week_ago = today - timedelta(days=7)

    page = sign_in("e2e-why")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    page.wait_for_load_state("load")
    health = page.locator("#health")
    expect(health.locator(".health-band-summary")).to_contain_text("Red: ")
    expect(health.locator(".health-band-summary")).to_contain_text("urgent or high tickets open")

    picker = page.locator("#health-why-pick")
    picker.get_by_label("From").fill(week_ago.isoformat())
    picker.get_by_label("To").fill(today.isoformat())
    picker.get_by_label("To").press("Enter")  # submits like the button, no mouse

    picker = page.locator("#health-why-pick")
    result = picker.locator(".health-why")
    expect(result.get_by_role("heading")).to_contain_text("From ")
    expect(result.locator(".health-why-total")).to_contain_text("points")
    expect(result.locator(".health-movers")).to_contain_text("Open urgent and high tickets")
    assert page.url.endswith(f"/accounts/{account.pk}/")  # swapped in place by htmx

    picker.get_by_label("From").fill(today.isoformat())
    picker.get_by_role("button", name="Compare these days").press("Enter")
    expect(page.locator("#health-why-pick").get_by_role("alert")).to_have_text(
        "The first day must be before the second."
    )
