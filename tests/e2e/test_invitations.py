"""Getting in without a password, in Chromium: a CSM invites a contact from the account
page and the contact's e-mail link signs them in on the idea board, where they vote; a
customer with an address asks for a sign-in code on the sign-in page and types it in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.roles import Role
from feedback.models import Vote
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _only_message_to(address: str) -> mail.EmailMessage:
    messages = [message for message in mail.outbox if address in message.to]
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    return messages[0]


def test_csm_invites_a_contact_whose_link_signs_them_in_on_the_board_to_vote(
    sign_in, live_server, browser, settings
):
    settings.SITE_URL = live_server.url  # the link in the e-mail points at this server
    csm = UserFactory(username="e2e-csm", role=Role.CSM)
    account = AccountFactory(name="Northwind Foods", csm_owner=csm)
    ana = ContactFactory(account=account, name="Ana Díaz", email="ana@northwind.example")
    idea = IdeaFactory(title="Export reports to Excel")
    mail.outbox.clear()

    page = sign_in("e2e-csm")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Northwind Foods")
    page.get_by_role("button", name="Invite Ana Díaz").click()
    expect(page.get_by_text("1 invitation sent.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Ana Díaz")).to_contain_text("Invited")

    message = _only_message_to("ana@northwind.example")
    assert "Northwind Foods" in message.subject
    link = re.search(r"https?://\S+/invite/\S+/", message.body)
    assert link, message.body

    # The contact opens the link in their own browser, with no session of the CSM's.
    contact_context = browser.new_context()
    contact_page = contact_context.new_page()
    contact_page.goto(link.group(0))
    expect(contact_page.get_by_role("heading", level=1)).to_have_text("Welcome to csplatform")
    contact_page.get_by_role("button", name="Continue").click()
    expect(contact_page).to_have_url(re.compile(re.escape(live_server.url) + r"/ideas/(\?.*)?$"))
    expect(contact_page.get_by_role("heading", level=1)).to_have_text("Ideas")
    expect(contact_page.get_by_text("Welcome! You are signed in.")).to_be_visible()

    # Signed in as the contact: their vote counts for them and their account.
    contact_page.wait_for_load_state("load")  # htmx is a deferred script
    contact_page.get_by_role("button", name="Vote for “Export reports to Excel”").click()
    voted = contact_page.get_by_role(
        "button", name="Remove your vote for “Export reports to Excel”"
    )
    expect(voted).to_have_attribute("aria-pressed", "true")
    vote = Vote.objects.get(idea=idea)
    assert (vote.contact, vote.account) == (ana, account)

    # The link was for one use: opening it again does not sign anyone in.
    other_context = browser.new_context()
    other = other_context.new_page()
    other.goto(link.group(0))
    other.get_by_role("button", name="Continue").click()
    expect(other.get_by_role("alert")).to_contain_text("already used")
    other_context.close()
    contact_context.close()


def test_a_customer_signs_in_with_a_code_sent_by_e_mail(page, live_server):
    UserFactory(username="e2e-customer", role=Role.CUSTOMER, email="bo@acme.example")
    mail.outbox.clear()

    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Send me a sign-in code instead").click()
    page.locator("input[name=email]").fill("bo@acme.example")
    page.get_by_role("button", name="Send the code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")

    message = _only_message_to("bo@acme.example")
    code = re.search(r"Code: (\S+)", message.body)
    assert code, message.body
    page.locator("input[name=code]").fill(code.group(1))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/ideas/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas")
