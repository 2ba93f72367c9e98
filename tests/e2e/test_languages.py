"""Reading csplatform in Spanish and Greek, in a real browser: a Spanish customer posts
and votes in Spanish and is e-mailed in Spanish when the idea ships; a Greek CSM reads an
account in Greek; a language chosen in the header outlives signing out."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import formats, translation
from playwright.sync_api import expect

from core.roles import Role
from feedback import services
from feedback.models import Idea
from feedback.statuses import IdeaStatus
from tests.accounts.factories import AccountFactory, UserFactory
from tests.e2e.browser import sign_in_on
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)

GREEK_MONTHS = re.compile(
    "Ιανουαρ|Φεβρουαρ|Μαρτ|Απριλ|Μαΐ|Μαι|Ιουν|Ιουλ|Αυγο|Σεπτ|Οκτω|Νοε|Δεκε", re.IGNORECASE
)


def _sign_in(browser, live_server, username: str):
    """The sign-in form, by its fields rather than its labels: it is in whatever
    language the browser asked for."""
    return sign_in_on(
        browser.new_context().new_page(), live_server.url, username, "correct-horse-battery"
    )


@pytest.mark.needs_postgres
def test_a_spanish_customer_posts_votes_and_hears_of_the_shipping_in_spanish(
    browser, live_server, artefacts
):
    account = AccountFactory(name="Alfa")
    UserFactory(
        username="lucia", role=Role.CUSTOMER, contact__account=account, language="es",
        email="lucia@alfa.test",
    )  # fmt: skip
    other = IdeaFactory(title="Informes programados por correo", language="es")
    IdeaFactory(title="Modo oscuro para la aplicación", language="es")
    pm = UserFactory(username="paula", role=Role.PM, language="en")

    page = _sign_in(browser, live_server, "lucia")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    nav = page.get_by_role("navigation").first
    nav.get_by_role("link", name="Ideas", exact=True).click()
    page.get_by_role("link", name="Publicar una idea").first.click()
    page.wait_for_load_state("load")  # htmx is a deferred script
    page.get_by_label("Título").press_sequentially("Exportación de informes a Excel", delay=20)
    # Spanish stemming: "informes" meets "Informes programados", accents or not.
    suggestions = page.locator("#similar-ideas")
    expect(suggestions).to_contain_text(other.title)
    expect(suggestions).not_to_contain_text("Modo oscuro")
    page.get_by_label("Descripción").fill("Necesitamos los informes mensuales en **Excel**.")
    page.get_by_role("button", name="Publicar idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exportación de informes a Excel")

    nav.get_by_role("link", name="Ideas", exact=True).click()
    page.wait_for_load_state("load")  # htmx is a deferred script
    page.get_by_role("button", name=f"Votar “{other.title}”").click()
    expect(page.get_by_role("button", name=f"Retirar tu voto de “{other.title}”")).to_be_visible()
    page.screenshot(path=str(artefacts / "spanish-customer-board.png"), full_page=True)

    # An English-reading PM ships it; the customer is written to in Spanish.
    idea = Idea.objects.get(title="Exportación de informes a Excel")
    mail.outbox.clear()
    with translation.override("en"):
        services.idea_status_change(idea=idea, status=IdeaStatus.SHIPPED, actor=pm)
    (sent,) = [message for message in mail.outbox if message.to == ["lucia@alfa.test"]]
    assert "Exportación de informes a Excel" in sent.subject
    assert "is now" not in sent.subject
    assert "notificaciones" in sent.body

    page.get_by_role("link", name=re.compile("^Notificaciones")).click()
    expect(page.locator("tbody tr", has_text="Exportación de informes a Excel")).to_have_count(1)
    page.context.close()


def test_a_greek_csm_reads_an_account_in_greek(browser, live_server, artefacts):
    csm = UserFactory(username="nikos", role=Role.CSM, language="el")
    account = AccountFactory(name="Ήλιος Α.Ε.", csm_owner=csm)

    page = _sign_in(browser, live_server, "nikos")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ήλιος Α.Ε.")
    expect(page.get_by_role("heading", name="Σημειώσεις", exact=True)).to_be_visible()
    text = page.locator("main").inner_text()
    with translation.override("el"):
        renews = formats.date_format(account.renews_on, "DATE_FORMAT")
        month_in_words = any(code in formats.get_format("DATE_FORMAT") for code in "bEFMN")
    assert renews in text
    if month_in_words:  # Django's own Greek dates are numeric (d/m/Y)
        assert GREEK_MONTHS.search(text)
    page.screenshot(path=str(artefacts / "greek-csm-account.png"), full_page=True)
    page.context.close()


def test_a_language_chosen_in_the_header_outlives_signing_out(browser, live_server):
    UserFactory(username="sam", role=Role.CSM, language="")

    page = _sign_in(browser, live_server, "sam")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("el")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "el")

    page.locator(".user-menu > summary").click()
    page.get_by_role("button", name="Αποσύνδεση").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Σύνδεση στο csplatform")
    page.context.close()

    # Another browser, no cookie: the page asks in English until the person signs in.
    elsewhere = _sign_in(browser, live_server, "sam")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "el")
    elsewhere.locator(".user-menu > summary").click()
    expect(elsewhere.get_by_role("button", name="Αποσύνδεση")).to_be_visible()
    elsewhere.context.close()
