"""Every main page works under our Content-Security-Policy: the browser reports no
violation for any role, plotly draws its charts with its stylesheet from our static
files, htmx still swaps, and the API docs' Swagger UI starts."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from accounts.models import Account
from demo.services.accounts import DEMO_PASSWORD
from feedback.models import Idea
from productrisk.models import ProductRisk
from tests.e2e.browser import sign_in_on

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any script of the page: every violation the browser reports is kept.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber})`
  );
});
"""


class Visitor:
    """One browser context signed in as one person, recording CSP violations."""

    def __init__(self, browser: Browser, base_url: str, username: str | None) -> None:
        self.base_url = base_url
        self.context = browser.new_context()
        self.page: Page = self.context.new_page()
        self.page.add_init_script(RECORD_VIOLATIONS)
        self.violations: list[str] = []
        self.page.on("console", self._console)
        if username:
            sign_in_on(self.page, base_url, username, DEMO_PASSWORD)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: console: {message.text}")

    def visit(self, path: str) -> Page:
        self.collect()
        response = self.page.goto(self.base_url + path)
        assert response is not None
        assert response.ok, f"{path}: {response.status}"
        assert "content-security-policy" in response.headers, path  # nothing to violate else
        self.page.wait_for_load_state("load")
        return self.page

    def collect(self) -> None:
        """Keep the violations of the page shown now (a navigation forgets them)."""
        if self.page.url.startswith(self.base_url):
            # Violations are reported in a task of their own: let those queued run first.
            found = self.page.evaluate(
                "new Promise((done) => setTimeout(() => done(window.__cspViolations || []), 50))"
            )
            self.violations.extend(f"{self.page.url}: {violation}" for violation in found)

    def close(self) -> list[str]:
        self.collect()
        self.context.close()
        return self.violations


def _charts_are_drawn(page: Page) -> None:
    figures = page.locator("[data-plotly-figure]")
    assert figures.count() > 0
    expect(page.locator("[data-plotly-figure] .plot-container")).to_have_count(figures.count())
    expect(page.locator("[data-plotly-figure] svg.main-svg").first).to_be_visible()
    # plotly's own rules came from vendor/plotly.css, not from an inline <style>.
    position = page.evaluate("getComputedStyle(document.querySelector('.modebar')).position")
    assert position == "absolute"


def _api_docs_start(page: Page) -> None:
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("csplatform API")


def test_main_pages_raise_no_csp_violation_for_any_role(browser, live_server):
    call_command("seed_demo", accounts=3, seed=3, stdout=io.StringIO())
    account = Account.objects.filter(daily_usage__isnull=False).order_by("pk").first()
    idea = Idea.objects.filter(votes__isnull=False).order_by("pk").first()
    risk = ProductRisk.objects.order_by("pk").first()
    assert account
    assert idea
    assert risk
    violations: list[str] = []

    csm = Visitor(browser, live_server.url, "csm")
    csm.visit("/accounts/")
    _charts_are_drawn(csm.page)  # the portfolio's health panel
    csm.visit(f"/accounts/{account.pk}/")
    _charts_are_drawn(csm.page)  # usage, events and health history
    csm.visit(f"/ideas/{idea.pk}/")
    csm.visit("/onboarding/reports/")
    _charts_are_drawn(csm.page)
    _api_docs_start(csm.visit("/api/docs/"))
    violations += csm.close()

    pm = Visitor(browser, live_server.url, "pm")
    pm.visit("/ideas/triage/")
    pm.visit("/ideas/risks/")
    pm.visit(f"/ideas/risks/{risk.pk}/")
    pm.visit("/roadmap/edit/")
    violations += pm.close()

    admin = Visitor(browser, live_server.url, "admin")
    admin.visit("/accounts/getting-started/")
    admin.visit("/health/scorecards/")
    _api_docs_start(admin.visit("/api/docs/"))
    admin.visit("/admin/")
    violations += admin.close()

    customer = Visitor(browser, live_server.url, "customer")
    page = customer.visit("/ideas/")
    page.evaluate("window.__sameDocument = true")
    box = page.locator(".vote:has(button[aria-pressed='false'])").first
    box_id = box.get_attribute("id")
    box.get_by_role("button").click()  # htmx swaps the vote box in place
    expect(page.locator(f"#{box_id} button")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__sameDocument") is True
    customer.visit(f"/ideas/{idea.pk}/")
    customer.visit("/roadmap/")
    customer.visit("/notifications/")
    violations += customer.close()

    anonymous = Visitor(browser, live_server.url, None)
    anonymous.visit("/roadmap/")
    anonymous.visit("/changelog/")
    violations += anonymous.close()

    assert violations == []
