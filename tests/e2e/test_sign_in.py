"""Each role signs in through the browser and lands on its home; a customer is refused."""

import re

import pytest
from playwright.sync_api import expect

from core.roles import Role
from tests.accounts.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HOMES = [
    (Role.ADMIN, "/accounts/getting-started/", "Getting started"),
    (Role.CSM, "/today/", "Today"),
    (Role.PM, "/ideas/triage/", "Triage"),
    (Role.CUSTOMER, "/ideas/", "Ideas"),
]


@pytest.mark.parametrize(("role", "path", "heading"), HOMES, ids=[h[0] for h in HOMES])
def test_each_role_lands_on_its_home(sign_in, live_server, role, path, heading):
    UserFactory(username=f"e2e-{role}", role=role, is_staff=role == Role.ADMIN)
    page = sign_in(f"e2e-{role}")
    expect(page).to_have_url(re.compile(re.escape(live_server.url + path) + r"(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_customer_is_refused_a_csm_page_with_a_friendly_page(sign_in, live_server):
    UserFactory(username="e2e-customer", role=Role.CUSTOMER)
    page = sign_in("e2e-customer")
    response = page.goto(f"{live_server.url}/accounts/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You don't have access to this page")


def test_wrong_password_shows_an_error_and_keeps_the_visitor_out(sign_in, live_server):
    UserFactory(username="e2e-csm", role=Role.CSM)
    page = sign_in("e2e-csm", password="not-the-password", succeed=False)
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("form[action='/login/']")).to_contain_text("correct username and password")


def test_csm_opens_an_account_from_the_portfolio_and_signs_out(sign_in, sign_out, live_server):
    csm = UserFactory(username="e2e-csm", role=Role.CSM)
    AccountFactory(name="Northwind Foods", csm_owner=csm)
    page = sign_in("e2e-csm")
    page.get_by_role("link", name="Portfolio", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    page.get_by_role("link", name="Northwind Foods").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northwind Foods")
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/login/"))


def test_anonymous_visitor_reads_the_public_roadmap_but_not_the_board(page, live_server):
    page.goto(f"{live_server.url}/roadmap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roadmap")
    page.goto(f"{live_server.url}/ideas/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/ideas/"))


def test_every_demo_login_works_in_the_browser(sign_in, sign_out, live_server):
    """The logins `make run` prints are the ones a new user types."""
    from demo.services.accounts import DEMO_LOGINS, DEMO_PASSWORD, seed_demo

    seed_demo(accounts=3, seed=1)
    homes = {role: path for role, path, _heading in HOMES}
    for login in DEMO_LOGINS:
        page = sign_in(login.username, DEMO_PASSWORD)
        expect(page).to_have_url(re.compile(re.escape(live_server.url + homes[login.role])))
        sign_out(page)
        expect(page).to_have_url(re.compile(r"/login/"))
