"""A CSM checks off an account's first value on the Customer 360 page and sees the
onboarding move to achieved, with the right TTFV, without leaving the page."""

import re

import pytest
from playwright.sync_api import expect

from core.roles import Role
from tests.accounts.factories import UserFactory
from tests.ttfv import journeys as shared
from tests.ttfv.journeys import days_ago, onboarding_account
from ttfv import services
from ttfv.models import MilestoneProgress, Onboarding

manual_template = shared.manual_template  # a fixture of the shared journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_csm_checks_off_first_value_and_the_account_is_achieved_on_time(
    sign_in, live_server, manual_template
):
    csm = UserFactory(username="e2e-csm", role=Role.CSM)
    account = onboarding_account(
        manual_template, started_days_ago=20, reached={"Kickoff": 18},
        name="Northwind Foods", csm_owner=csm,
    )  # fmt: skip
    services.onboarding_recompute(account_ids=[account.pk], alerts=False)
    assert Onboarding.objects.get(account=account).status == "on_track"
    page = sign_in("e2e-csm")

    page.get_by_role("link", name="Onboarding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Onboarding")
    page.get_by_role("link", name="Northwind Foods").click()
    expect(page).to_have_url(re.compile(rf"/accounts/{account.pk}/#onboarding$"))
    page.wait_for_load_state("load")  # htmx (a deferred script) drives the forms from here

    section = page.locator("#onboarding")
    expect(section.get_by_test_id("onboarding-status")).to_have_text("On track")
    expect(section.get_by_test_id("ttfv-days")).to_have_text("40 days left")
    # The date field defaults to today; a date before the start is refused in place.
    date_field = section.get_by_label("Reached on (First value)")
    expect(date_field).to_have_value(services.today_utc().isoformat())
    date_field.fill(days_ago(25).isoformat())
    section.get_by_role("button", name="Check off First value").click()
    expect(page.locator("#onboarding").get_by_role("alert")).to_contain_text(
        "pick that day or later"
    )

    page.locator("#onboarding").get_by_label("Reached on (First value)").fill(
        days_ago(2).isoformat()
    )
    page.locator("#onboarding").get_by_role("button", name="Check off First value").click()

    section = page.locator("#onboarding")
    expect(section.get_by_test_id("onboarding-status")).to_have_text("Achieved on time")
    expect(section.get_by_test_id("ttfv-days")).to_have_text("18 days")
    expect(section.get_by_role("status")).to_contain_text("“First value” checked off.")
    expect(section.get_by_role("button", name="Undo check-off First value")).to_be_visible()

    onboarding = Onboarding.objects.get(account=account)
    assert (onboarding.status, onboarding.first_value_on, onboarding.ttfv_days) == (
        "achieved",
        days_ago(2),
        18,
    )
    progress = MilestoneProgress.objects.get(account=account, milestone__is_first_value=True)
    assert (progress.source, progress.checked_by) == ("manual", csm)
