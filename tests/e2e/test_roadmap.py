"""A PM ships a roadmap item from the keyboard, without a page reload; the customer who
asked for it finds one notification, and the item is on the changelog for anyone."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from feedback import services as feedback_services
from roadmap import services
from roadmap.models import Column, RoadmapItem
from tests.accounts.factories import UserFactory
from tests.e2e.browser import sign_in_on
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_pm_ships_an_item_with_the_keyboard_and_the_voter_hears_of_it_once(
    sign_in, live_server, browser
):
    UserFactory(username="e2e-pm", role=Role.PM)
    customer = UserFactory(username="e2e-customer", role=Role.CUSTOMER)
    ideas = [IdeaFactory(title="Export to CSV"), IdeaFactory(title="Export to Excel")]
    for idea in ideas:
        feedback_services.vote_cast(idea=idea, actor=customer)
    item = services.item_create(
        title="Spreadsheet exports", actor=None, column=Column.IN_PROGRESS, is_public=True,
        ideas=ideas,
    )  # fmt: skip

    page = sign_in("e2e-pm")
    page.goto(f"{live_server.url}/roadmap/edit/")
    page.wait_for_load_state("load")  # htmx is a deferred script
    page.evaluate("window.__sameDocument = true")
    move_right = page.get_by_role("button", name="Move Spreadsheet exports to the next column")
    move_right.focus()
    page.keyboard.press("Enter")
    # Shipping tells the voter: the board asks first, and its answer has the focus.
    expect(page.get_by_role("alertdialog")).to_contain_text("1 person will be told")
    expect(page.get_by_role("button", name="Yes, go ahead")).to_be_focused()
    page.keyboard.press("Enter")

    shipped = page.locator("section[data-column='shipped']")
    expect(shipped.get_by_role("link", name="Spreadsheet exports", exact=True)).to_be_visible()
    expect(page.locator("#editor-board [role=status]")).to_have_text(
        "“Spreadsheet exports” is now in Shipped, position 1."
    )
    # "Next column" is disabled in the last column: the focus moved to the card's title.
    expect(shipped.get_by_role("link", name="Spreadsheet exports", exact=True)).to_be_focused()
    page.keyboard.press("Shift+Tab")  # nothing was lost: the board is still navigable
    assert page.evaluate("window.__sameDocument") is True
    item.refresh_from_db()
    assert item.column == Column.SHIPPED
    assert item.shipped_on is not None

    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/changelog/")
    entry = visitor.locator(f"#item-{item.pk}")
    expect(entry.get_by_role("heading", name="Spreadsheet exports")).to_be_visible()
    expect(entry).to_contain_text("Export to Excel")

    reader = sign_in_on(
        browser.new_context().new_page(), live_server.url, "e2e-customer", "correct-horse-battery"
    )
    reader.get_by_role("link", name="Notifications").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Notifications")
    rows = reader.locator("tbody tr", has_text="Shipped: Spreadsheet exports")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="Open").click()
    expect(reader.locator(f"#item-{item.pk}")).to_be_visible()
    assert RoadmapItem.objects.count() == 1
