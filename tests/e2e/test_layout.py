"""Pages fit the screen and read well, measured in Chromium on the demo's data: the header
is one line from 1024 px with its menus working from the keyboard, no table is cut off,
wide tables scroll inside their card with the first column in view, the notifications
fit a phone, and the Customer 360 has a menu of its sections. Screenshots go to the
e2e artefacts (see conftest.py)."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from accounts.models import Account, User
from demo.services.accounts import DEMO_PASSWORD, seed_demo
from tests.e2e.browser import sign_in_on
from tests.feedback.factories import IdeaFactory
from tests.notifications.factories import AlertFactory
from tests.productrisk.factories import flag_with_accounts

pytestmark = pytest.mark.django_db(transaction=True)

HEADER_WIDTHS = (1024, 1280, 1400)
PHONE = {"width": 390, "height": 844}

#: The boxes of what the header shows on its line: the brand, each link or menu left in
#: the navigation, and the user menu's summary.
HEADER_BOXES = """() => {
  const shown = el => el && el.offsetParent !== null;
  const boxes = [document.querySelector('.brand')]
    .concat([...document.querySelectorAll('[data-nav-list] > li')])
    .concat([document.querySelector('.user-menu > summary')])
    .filter(shown)
    .map(el => { const r = el.getBoundingClientRect();
                 return {name: el.textContent.trim().replace(/\\s+/g, ' '),
                         top: r.top, bottom: r.bottom, left: r.left, right: r.right}; });
  return boxes;
}"""


@pytest.fixture
def demo(db):
    seed_demo(accounts=12, seed=5)


@pytest.fixture
def signed_in(browser, live_server):
    """A fresh page of the given size, signed in as a demo login."""
    contexts = []

    def do(username: str, width: int, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return sign_in_on(context.new_page(), live_server.url, username, DEMO_PASSWORD)

    yield do
    for context in contexts:
        context.close()


def _page_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _assert_one_line_without_overlap(boxes: list[dict]) -> None:
    tops = {round(box["top"]) for box in boxes}
    assert max(tops) - min(tops) <= 12, boxes  # one row: the boxes start together
    ordered = sorted(boxes, key=lambda box: box["left"])
    for before, after in itertools.pairwise(ordered):
        assert before["right"] <= after["left"] + 0.5, (before, after)


@pytest.mark.parametrize("username", ["admin", "csm"])
def test_the_header_is_one_line_at_every_desktop_width(
    demo, signed_in, live_server, artefacts, username
):
    for width in HEADER_WIDTHS:
        page = signed_in(username, width)
        page.goto(f"{live_server.url}/accounts/")
        boxes = page.evaluate(HEADER_BOXES)
        _assert_one_line_without_overlap(boxes)
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 70, (width, header)
        assert _page_overflow(page) <= 0
        # Every link is still reachable: on the line or in "More".
        links = page.locator("[data-nav-item] a")
        assert links.count() >= 6
        more = page.locator("[data-nav-more]")
        if more.is_visible():
            more.locator("summary").click()
            expect(more.locator("[data-nav-item] a").first).to_be_visible()
            page.keyboard.press("Escape")
        page.locator(".site-header").screenshot(path=artefacts / f"header-{username}-{width}.png")
    names = " ".join(box["name"] for box in boxes)
    assert names.count("Admin") <= 1, names  # not "Admin / Admin / Admin"


def test_the_header_wraps_on_a_phone_and_nothing_leaves_the_screen(
    demo, signed_in, live_server, artefacts
):
    page = signed_in("admin", PHONE["width"], PHONE["height"])
    page.goto(f"{live_server.url}/ideas/risks/")
    assert _page_overflow(page) <= 0
    assert page.locator("[data-nav-more]").is_hidden()  # all links shown, wrapped
    for link in page.locator("[data-nav-item] a").all():
        box = link.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    page.locator(".site-header").screenshot(path=artefacts / "header-admin-390.png")


def test_the_header_menus_work_from_the_keyboard(demo, signed_in, live_server):
    page = signed_in("admin", 1024)
    page.goto(f"{live_server.url}/accounts/")
    summary = page.locator(".user-menu > summary")
    summary.focus()
    page.keyboard.press("Enter")
    menu = page.locator(".user-menu-panel")
    expect(menu).to_be_visible()
    expect(menu).to_contain_text("Admin")
    expect(menu.get_by_role("link", name="Administration site")).to_have_count(1)
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Your settings")).to_be_focused()
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Administration site")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(summary).to_be_focused()

    # "Manage" opens from the keyboard too; a click elsewhere closes it.
    manage = page.locator(".nav-menu summary", has_text="Manage")
    manage.focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("link", name="Import data")).to_be_visible()
    page.locator("h1").click()
    expect(page.get_by_role("link", name="Import data")).to_be_hidden()

    # Opening one menu closes the other.
    summary.click()
    manage.click()
    expect(menu).to_be_hidden()

    page.keyboard.press("Escape")
    summary.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def _table_fits(page, selector: str) -> None:
    wrap = page.locator(selector)
    sizes = wrap.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] <= sizes[1], sizes
    last_header = wrap.locator("thead th").last.bounding_box()
    card = wrap.bounding_box()
    assert last_header["x"] + last_header["width"] <= card["x"] + card["width"] + 0.5


@pytest.mark.parametrize("width", [1280, 1400])
def test_no_table_is_cut_off_on_a_laptop(demo, signed_in, live_server, width):
    # The small demo raises no flag of its own: three, with long titles, as the engine
    # would store them.
    accounts = list(Account.objects.order_by("-arr")[:9])
    for index in range(3):
        flag_with_accounts(
            accounts[index * 3 : index * 3 + 3],
            idea=IdeaFactory(title=f"Scheduled report exports to e-mail, S3 and SFTP #{index}"),
        )
    csm = signed_in("csm", width)
    csm.goto(f"{live_server.url}/accounts/?scope=all")
    expect(csm.get_by_role("columnheader", name=re.compile("Trend"))).to_be_visible()
    _table_fits(csm, ".table-wrap:has(th:text-is('Trend'))")
    pm = signed_in("pm", width)
    pm.goto(f"{live_server.url}/ideas/risks/")
    expect(pm.locator("table.risk-table tbody tr")).to_have_count(3)
    _table_fits(pm, ".table-wrap:has(table.risk-table)")


def test_a_wide_table_scrolls_in_its_card_with_the_first_column_in_view(
    demo, signed_in, live_server
):
    page = signed_in("csm", 800)
    page.goto(f"{live_server.url}/accounts/?scope=all")
    wrap = page.locator(".table-wrap:has(th:text-is('Trend'))")
    expect(wrap).to_have_attribute("role", "region")  # named and focusable while it scrolls
    assert _page_overflow(page) <= 0
    first = wrap.locator("tbody tr").first.locator("td").first
    second = wrap.locator("tbody tr").first.locator("td").nth(1)
    left = first.bounding_box()["x"]
    wrap.evaluate("el => { el.scrollLeft = 300; }")
    assert first.bounding_box()["x"] == pytest.approx(left, abs=1)  # sticky
    assert first.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert second.bounding_box()["x"] < left  # the rest moved under it


def test_the_notifications_fit_a_phone(demo, signed_in, live_server, artefacts):
    csm = User.objects.get(username="csm")
    for account in Account.objects.all()[:4]:
        AlertFactory(
            recipient=csm,
            account=account,
            title=f"{account.name} dropped from Green to Yellow",
            body="Health score 66: logins and reports fell over the last 14 days.",
        )
    page = signed_in("csm", PHONE["width"], PHONE["height"])
    page.goto(f"{live_server.url}/notifications/?tab=all")
    table = page.locator("table.alerts-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    assert _page_overflow(page) <= 0
    box = table.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    for button in table.get_by_role("link", name=re.compile("^Open")).all()[:3]:
        b = button.bounding_box()
        assert b["x"] + b["width"] <= PHONE["width"]
    page.screenshot(path=artefacts / "notifications-390.png", full_page=True)


def test_the_customer_360_has_a_menu_of_its_sections(demo, signed_in, live_server, artefacts):
    page = signed_in("csm", 1280)
    page.goto(f"{live_server.url}/accounts/")
    page.locator("table a.cell-title").first.click()
    menu = page.get_by_role("navigation", name="Sections of this page")
    for name in ("Health", "Onboarding", "Product gaps", "Usage", "Tickets", "Contacts", "Notes"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollHeight") > 3000

    menu.get_by_role("link", name="Tickets").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#tickets$"))
    heading = page.get_by_role("heading", name="Tickets", exact=True)
    expect(heading).to_be_in_viewport()
    # The heading is not hidden under the sticky header and menu.
    assert heading.bounding_box()["y"] >= menu.bounding_box()["y"] + menu.bounding_box()["height"]
    expect(menu).to_be_in_viewport()
    page.screenshot(path=artefacts / "customer-360-sections.png")

    menu.get_by_role("link", name="Product gaps").click()
    expect(page.locator("#product-risks h2")).to_be_in_viewport()


def test_a_visitor_reads_the_home_and_is_sent_to_sign_in_by_the_docs_and_admin(
    page, live_server, artefacts
):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer success, self-hosted")
    page.screenshot(path=artefacts / "home-signed-out.png")
    page.locator(".welcome").get_by_role("link", name="Changelog").click()
    expect(page).to_have_url(re.compile(r"/changelog/$"))

    page.goto(f"{live_server.url}/api/docs/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/api/docs/$"))
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to csplatform")
