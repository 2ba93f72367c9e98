"""The in-app widget on a stand-in vendor page, served from a second origin, as a
vendor's product embeds it: the unread badge, reading an entry, voting an idea, a
checklist step that ticks once its usage arrives, Escape back to the launcher, axe on
the open panel; and the same page from an origin not allowed shows nothing.

The widget draws into a *closed* shadow root, which Playwright cannot look into. The
test page opens it with a script that runs before any other (``attachShadow`` asked
for "open"), as any script of a page that runs first could: closed is a defence in
depth against a page reading the widget by accident, not a wall. A separate check
confirms that without that shim the page cannot reach the widget's DOM."""

from __future__ import annotations

import functools
import threading
import time
import uuid
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import SsoTokenUse, UsageEvent
from core.roles import Role
from feedback.models import Vote
from ingest.services.imports import import_tracking_batch
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory
from tests.ttfv.factories import MilestoneFactory, MilestoneTemplateFactory, OnboardingFactory
from ttfv.models import Milestone, MilestoneProgress
from ttfv.selectors.guidance import ENTRY_READ
from ttfv.services import onboarding_recompute, today_utc
from widget.models import AllowedOrigin
from widget.services import widget_write_key

pytestmark = pytest.mark.django_db(transaction=True)

OPEN_SHADOW = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (options) {
  return attach.call(this, { ...options, mode: "open" });
};
"""


class VendorPage(BaseHTTPRequestHandler):
    """Serves one HTML page that embeds the widget, as the vendor's product does."""

    def __init__(self, *args, html: str, **kwargs):
        self.html = html
        super().__init__(*args, **kwargs)

    def do_GET(self):  # http.server's name for it
        body = self.html.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(html: str) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(VendorPage, html=html))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def vendor_html(widget_host: str, token: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Vendor product</title></head><body><main><h1>Vendor product</h1>
<p>The vendor's own page.</p></main>
<script src="{widget_host}/widget.js" data-token="{token}" async></script>
</body></html>"""


def vendor_token(secret: str, email: str, account: str) -> str:
    now = int(time.time())
    claims = {"email": email, "account": account, "iat": now, "exp": now + 300}
    return jwt.encode({**claims, "jti": str(uuid.uuid4())}, secret, "HS256")


@pytest.fixture
def installation(db):
    admin = UserFactory(role=Role.ADMIN, username="e2e-admin")
    secret = account_services.sso_secret_rotate(actor=admin).secret
    acme = AccountFactory(name="Acme", external_id="ACME-1", plan="Acme plan")
    template = MilestoneTemplateFactory(name="Acme onboarding", plan="Acme plan")
    steps = [
        MilestoneFactory(
            template=template,
            name="Connect data",
            position=0,
            target_offset_days=30,
            rule=Milestone.Rule.MANUAL,
            event="",
            min_events=None,
        ),
        MilestoneFactory(
            template=template,
            name="Share a report",
            position=1,
            target_offset_days=40,
            event="report.shared",
            min_events=1,
            how_to="Open a report and press Share.",
            help_url="https://app.vendor.example/reports",
        ),
        MilestoneFactory(
            template=template,
            name="Weekly review",
            position=2,
            target_offset_days=50,
            rule=Milestone.Rule.MANUAL,
            event="",
            min_events=None,
            is_first_value=True,
        ),
    ]
    OnboardingFactory(
        account=acme,
        template=template,
        ttfv=None,
        days_ago=5,
        start_is_manual=True,
        status="on_track",
    )
    MilestoneProgress.objects.create(
        account=acme, milestone=steps[0], achieved_on=today_utc(), source="manual"
    )
    RoadmapItemFactory(
        title="Scheduled exports",
        column="shipped",
        shipped_on=date.today(),
        description_html="<p>Exports now run every Monday.</p>",
    )
    IdeaFactory(title="Dark mode for reports")
    return secret, acme


def test_the_widget_on_a_vendor_page(page, live_server, installation):
    secret, acme = installation
    vendor, origin = serve(
        vendor_html(live_server.url, vendor_token(secret, "ana@acme.example", "ACME-1"))
    )
    AllowedOrigin.objects.create(origin=origin)
    try:
        page.add_init_script(OPEN_SHADOW)
        page.set_viewport_size({"width": 360, "height": 740})  # a small phone
        page.goto(origin + "/")
        launcher = page.get_by_role("button", name="Help and news (1 unread)")
        expect(launcher).to_be_visible()

        launcher.click()
        dialog = page.get_by_role("dialog", name="Guidance, news and ideas")
        expect(dialog).to_be_visible()
        expect(page.get_by_role("tab", name="Getting started")).to_be_focused()
        expect(dialog.get_by_text("1 of 3")).to_be_visible()
        shared = acme.onboarding.template.milestones.get(position=1)
        step = dialog.locator(f'[data-milestone="{shared.pk}"]')
        expect(step).to_have_attribute("data-done", "false")

        box = dialog.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360
        # Focus stays in the open panel: Tab past its last control comes back to it.
        for _press in range(25):
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.matches('[data-csplatform-widget]')")
            assert dialog.evaluate("(d) => d.contains(d.getRootNode().activeElement)")

        violations = [
            v
            for v in Axe().run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not violations, violations

        # What's new: reading it clears the badge; opening an entry is recorded.
        page.get_by_role("tab", name="What's new").click()
        expect(page.get_by_role("button", name="Help and news")).to_have_attribute(
            "aria-expanded", "true"
        )
        expect(launcher).to_have_count(0)  # the name lost its "(1 unread)"
        dialog.get_by_text("Scheduled exports").click()
        expect(dialog.get_by_text("Exports now run every Monday.")).to_be_visible()
        _wait_for(lambda: UsageEvent.objects.filter(account=acme, event=ENTRY_READ).exists())

        # Ideas: a vote through the board's rules.
        page.get_by_role("tab", name="Ideas").click()
        vote = dialog.get_by_role("button", name="Vote · 0")
        vote.click()
        expect(dialog.get_by_role("button", name="Voted · 1")).to_have_attribute(
            "aria-pressed", "true"
        )
        assert Vote.objects.filter(contact__email="ana@acme.example").count() == 1

        # The product reports the step's usage; the checklist ticks it.
        batch, _job = import_tracking_batch(
            write_key=widget_write_key(),
            records=[
                {
                    "account_external_id": "ACME-1",
                    "event": "report.shared",
                    "occurred_at": f"{date.today().isoformat()}T09:00:00Z",
                    "contact_email": "ana@acme.example",
                    "message_id": "e2e-report-shared-1",
                }
            ],
        )
        assert batch.rows_inserted == 1
        onboarding_recompute(account_ids=[acme.pk])
        page.get_by_role("tab", name="Getting started").click()
        expect(dialog.get_by_text("2 of 3")).to_be_visible()
        expect(step).to_have_attribute("data-done", "true")

        # Escape closes the panel and gives focus back to the launcher.
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(page.get_by_role("button", name="Help and news")).to_be_focused()
    finally:
        vendor.shutdown()


def test_the_page_cannot_read_the_widget(page, live_server, installation):
    secret, _acme = installation
    vendor, origin = serve(
        vendor_html(live_server.url, vendor_token(secret, "ana@acme.example", "ACME-1"))
    )
    AllowedOrigin.objects.create(origin=origin)
    try:
        page.goto(origin + "/")
        host = page.locator("[data-csplatform-widget]")
        expect(host).to_have_count(1)
        assert (
            page.evaluate("document.querySelector('[data-csplatform-widget]').shadowRoot") is None
        )
        assert page.evaluate("typeof window.csplatform") == "function"
        assert "eyJ" not in page.evaluate("JSON.stringify(Object.keys(window))")
    finally:
        vendor.shutdown()


def test_an_origin_not_allowed_gets_nothing(page, live_server, installation):
    secret, _acme = installation
    vendor, origin = serve(
        vendor_html(live_server.url, vendor_token(secret, "ana@acme.example", "ACME-1"))
    )
    AllowedOrigin.objects.create(origin="https://app.vendor.example")
    try:
        page.add_init_script(OPEN_SHADOW)
        page.goto(origin + "/")
        page.wait_for_load_state("networkidle")
        expect(page.locator("[data-csplatform-widget]")).to_have_count(0)
        # The browser's preflight was refused: the token never reached the sign-in.
        assert not SsoTokenUse.objects.exists()
    finally:
        vendor.shutdown()


def test_an_admin_previews_the_widget_as_a_contact(page, live_server, installation, sign_in):
    """On the settings page, with no origin allowed: the widget of a chosen contact, its
    checklist read from their account, and a vote that saves nothing."""
    _secret, acme = installation
    ana = ContactFactory(account=acme, email="ana@acme.example", name="Ana")
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(OPEN_SHADOW)
    sign_in("e2e-admin")
    page.goto(live_server.url + "/widget/settings/")
    page.get_by_label("Contact e-mail").fill("nobody@acme.example")
    page.get_by_role("button", name="Show preview").click()
    expect(page.get_by_text("No contact has this e-mail address.")).to_be_visible()
    expect(page.locator("[data-csplatform-widget]")).to_have_count(0)

    page.get_by_label("Contact e-mail").fill("ana@acme.example")
    page.get_by_label("Contact e-mail").press("Enter")  # the keyboard submits it
    expect(page.get_by_test_id("widget-preview-status")).to_contain_text("ana@acme.example")
    launcher = page.get_by_role("button", name="Help and news (1 unread)")
    expect(launcher).to_be_visible()
    launcher.click()
    dialog = page.get_by_role("dialog", name="Guidance, news and ideas")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("1 of 3")).to_be_visible()
    expect(dialog.get_by_text("Share a report")).to_be_visible()

    page.get_by_role("tab", name="Ideas").click()
    dialog.get_by_role("button", name="Vote · 0").click()
    page.wait_for_load_state("networkidle")
    assert not Vote.objects.exists()
    assert not AllowedOrigin.objects.exists()
    assert not SsoTokenUse.objects.exists()
    assert not UsageEvent.objects.filter(account=acme, contact=ana).exists()
    assert not problems, problems


def _wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)
