"""A customer on the idea board: suggestions while typing a title, and a vote that
toggles in place, without a page load."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from feedback.models import Vote
from tests.accounts.factories import UserFactory
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_customer_votes_and_unvotes_without_a_reload(sign_in, live_server):
    customer = UserFactory(username="e2e-customer", role=Role.CUSTOMER)
    idea = IdeaFactory(title="Export reports to Excel")
    page = sign_in("e2e-customer")

    page.get_by_role("link", name="Ideas").click()
    page.wait_for_load_state("load")  # htmx is a deferred script
    page.evaluate("window.__sameDocument = true")
    button = page.get_by_role("button", name="Vote for “Export reports to Excel”")
    button.click()
    voted = page.get_by_role("button", name="Remove your vote for “Export reports to Excel”")
    expect(voted).to_have_attribute("aria-pressed", "true")
    expect(voted).to_contain_text("1")
    assert page.evaluate("window.__sameDocument") is True
    assert Vote.objects.filter(idea=idea, contact=customer.contact).count() == 1

    voted.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_contain_text("0")
    assert page.evaluate("window.__sameDocument") is True
    assert not Vote.objects.filter(idea=idea).exists()


def test_similar_ideas_appear_while_typing_a_title(sign_in, live_server):
    UserFactory(username="e2e-poster", role=Role.CUSTOMER)
    IdeaFactory(title="Export reports to Excel")
    IdeaFactory(title="Dark mode")
    page = sign_in("e2e-poster")
    page.goto(f"{live_server.url}/ideas/new/")
    page.wait_for_load_state("load")
    page.get_by_label("Title").press_sequentially("excel exp", delay=30)
    suggestions = page.locator("#similar-ideas")
    expect(suggestions).to_contain_text("Export reports to Excel")
    expect(suggestions).not_to_contain_text("Dark mode")
