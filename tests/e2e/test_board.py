"""A customer on the idea board: suggestions while typing a title, and a vote that
toggles in place, without a page load."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from feedback.models import Idea, Vote
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


@pytest.mark.needs_postgres
def test_spanish_reader_sees_spanish_duplicates_and_posts_in_spanish(sign_in, live_server):
    """Stemming in the idea's language: "exportar informes" meets "Exportación de
    informes"; the new idea is stored as Spanish, the language the page is read in."""
    UserFactory(username="e2e-lector", role=Role.CUSTOMER)
    IdeaFactory(title="Exportación de informes programados por correo", language="es")
    IdeaFactory(title="Modo oscuro para la aplicación", language="es")
    page = sign_in("e2e-lector")
    page.set_extra_http_headers({"Accept-Language": "es"})
    page.goto(f"{live_server.url}/ideas/new/")
    page.wait_for_load_state("load")
    # Located by id, not label: the labels are in Spanish once the catalogue is compiled.
    page.locator("#id_title").press_sequentially("Exportar informes a Excel", delay=30)
    suggestions = page.locator("#similar-ideas")
    expect(suggestions).to_contain_text("Exportación de informes programados por correo")
    expect(suggestions).not_to_contain_text("Modo oscuro")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert Idea.objects.get(title="Exportar informes a Excel").language == "es"


def test_csm_adds_a_vote_on_behalf_from_the_keyboard(sign_in, live_server):
    from tests.accounts.factories import AccountFactory, ContactFactory

    UserFactory(username="e2e-csm-board", role=Role.CSM)
    idea = IdeaFactory(title="Audit log export")
    AccountFactory(name="Initech")
    globex = AccountFactory(name="Globex")
    hank = ContactFactory(account=globex, name="Hank Scorpio")
    page = sign_in("e2e-csm-board")
    page.goto(f"{live_server.url}/ideas/{idea.pk}/")
    page.wait_for_load_state("load")

    page.get_by_label("Find an account").press_sequentially("glob", delay=30)
    account = page.get_by_label("Account", exact=True)
    expect(account.locator("option")).to_have_count(1)
    expect(account).to_contain_text("Globex")
    page.get_by_role("button", name="Next: choose a contact").press("Enter")
    page.get_by_label("Contact").select_option(label="Hank Scorpio <" + hank.email + ">")
    page.get_by_label("Note").fill("Asked on the QBR call")
    page.get_by_role("button", name="Add vote").click()

    expect(page.get_by_role("status").first).to_contain_text("Vote added for Hank Scorpio")
    expect(page.locator("#demand")).to_contain_text("0 votes from customers, 1 added by CSMs")
    vote = Vote.objects.get(idea=idea)
    assert (vote.contact_id, vote.note) == (hank.pk, "Asked on the QBR call")


def test_a_keyboard_vote_keeps_focus_on_the_vote_button(sign_in, live_server):
    UserFactory(username="e2e-keyboard", role=Role.CUSTOMER)
    IdeaFactory(title="Bulk edit contacts")
    page = sign_in("e2e-keyboard")
    page.goto(f"{live_server.url}/ideas/")
    page.wait_for_load_state("load")
    button = page.get_by_role("button", name="Vote for “Bulk edit contacts”")
    button.focus()
    page.keyboard.press("Enter")
    voted = page.get_by_role("button", name="Remove your vote for “Bulk edit contacts”")
    expect(voted).to_be_focused()
    page.keyboard.press("Space")
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-pressed", "false")
