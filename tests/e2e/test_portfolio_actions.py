"""A CSM saves a portfolio view, reassigns two accounts after confirming the count, and
opens an account's timeline, where the note written earlier and the alert raised about
the account appear newest first."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.models import Account
from core.models import AuditEvent
from core.roles import Role
from tests.accounts.factories import AccountFactory, NoteFactory, UserFactory
from tests.notifications.factories import AlertFactory

pytestmark = pytest.mark.django_db(transaction=True)
BLOCKING_IMPACTS = {"serious", "critical"}


def _assert_accessible(page) -> None:
    """No serious or critical axe violation on the page as it stands."""
    violations = Axe().run(page).response["violations"]
    blocking = [v["id"] for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{page.url}: {blocking}"


def test_csm_saves_a_view_bulk_reassigns_and_reads_a_timeline(sign_in, live_server):
    csm = UserFactory(username="e2e-plays", role=Role.CSM)
    colleague = UserFactory(
        username="e2e-colleague", role=Role.CSM, first_name="Ana", last_name="Ruiz"
    )
    for name in ("Alder Mills", "Birch Labs"):
        AccountFactory(name=name, csm_owner=csm, segment="Enterprise")
    AccountFactory(name="Cedar Shops", csm_owner=csm, segment="SMB")
    alder = Account.objects.get(name="Alder Mills")
    AlertFactory(account=alder, title="Alder Mills dropped to red", recipient=csm)
    NoteFactory(account=alder, author=csm, body="Champion left; new sponsor next week.")

    page = sign_in("e2e-plays")
    page.goto(f"{live_server.url}/accounts/")

    # Filter to the enterprise accounts and save that as a view.
    page.get_by_role("combobox", name="Segment").select_option("Enterprise")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Save these filters as a view").click()
    page.get_by_label("Name of the view").fill("Enterprise book")
    page.get_by_role("button", name="Save view").click()
    expect(page.get_by_text("View “Enterprise book” saved.")).to_be_visible()
    expect(page.get_by_role("combobox", name="View")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_role("link", name="Cedar Shops")).to_have_count(0)
    _assert_accessible(page)

    # Select both rows with the keyboard and reassign them to a colleague.
    page.get_by_role("checkbox", name="Select Alder Mills").focus()
    page.keyboard.press("Space")
    page.get_by_role("checkbox", name="Select Birch Labs").check()
    page.get_by_role("combobox", name="With the selected accounts").select_option("reassign")
    page.get_by_role("combobox", name="New CSM").select_option(label="Ana Ruiz")
    page.get_by_role("button", name="Review the change…").click()
    expect(page.get_by_role("heading", name="Make Ana Ruiz the CSM of 2 accounts?")).to_be_visible()
    _assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("2 accounts reassigned to Ana Ruiz.")).to_be_visible()
    assert Account.objects.filter(csm_owner=colleague).count() == 2
    assert AuditEvent.objects.filter(action="account.reassign").count() == 2

    # The account's timeline: from the Customer 360 section menu, then its own page.
    page.goto(f"{live_server.url}/accounts/{alder.pk}/")
    page.get_by_role("navigation", name="Sections of this page").get_by_role(
        "link", name="Timeline"
    ).click()
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text("Champion left; new sponsor next week.")).to_be_visible()
    timeline.get_by_role("link", name="Whole timeline").click()
    entries = page.get_by_role("list", name="Timeline, newest first").get_by_role("listitem")
    # The reassignment just made is the newest entry; then the note, then the alert.
    expect(entries).to_have_count(3)
    expect(entries.first).to_contain_text("CSM changed from")
    _assert_accessible(page)
    expect(entries.nth(1)).to_contain_text("Champion left")
    page.get_by_role("checkbox", name="Alerts").check()
    page.get_by_role("button", name="Apply").click()
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Alder Mills dropped to red")

    page.goto(f"{live_server.url}/accounts/views/")
    expect(page.get_by_role("link", name="Enterprise book")).to_be_visible()
    _assert_accessible(page)
