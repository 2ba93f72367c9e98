"""Playwright against Debian's Chromium (no browser download) and a live server.

Screenshots and other files a reviewer should look at go to the ``artefacts`` directory:
``$CSPLATFORM_E2E_ARTEFACTS`` when set (CI keeps it), otherwise ``e2e-artefacts`` under
pytest's base temporary directory. Its path is printed at the end of the run.
"""

import os
from pathlib import Path

import pytest

from tests.e2e.browser import sign_in_on

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_orm_beside_playwright():
    """Playwright's sync API leaves an event loop in the test thread for the rest of the
    session, while factories and pytest-django keep using the ORM synchronously there.
    The root conftest runs the e2e tests last, so no other test sees this."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


ARTEFACTS_ENV = "CSPLATFORM_E2E_ARTEFACTS"
_artefact_dirs: set[Path] = set()


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory) -> Path:
    """Where tests save artefacts (``page.screenshot(path=artefacts / "name.png")``)."""
    configured = os.environ.get(ARTEFACTS_ENV)
    path = Path(configured) if configured else tmp_path_factory.getbasetemp() / "e2e-artefacts"
    path.mkdir(parents=True, exist_ok=True)
    _artefact_dirs.add(path)
    return path


def pytest_terminal_summary(terminalreporter):
    for path in sorted(_artefact_dirs):
        files = sorted(p.name for p in path.iterdir())
        terminalreporter.write_sep("-", f"e2e artefacts in {path}")
        terminalreporter.write_line(", ".join(files) or "(none)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def sign_in(page, live_server):
    def do(username: str, password: str = "correct-horse-battery", *, succeed: bool = True):
        return sign_in_on(page, live_server.url, username, password, succeed=succeed)

    return do


@pytest.fixture
def sign_out():
    """Sign out as a person would: the button sits in the menu under the person's name."""

    def do(page):
        page.locator(".user-menu > summary").click()
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state()
        return page

    return do


@pytest.fixture(autouse=True)
def _sign_ins_unlimited(settings):
    """Every browser test signs in from 127.0.0.1, many within a minute, and the attempt
    counters live in the Redis both workers share: the per-address sign-in limit would
    refuse people by test order. The limits have their own tests (tests/accounts)."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login": "100000/m/ip",
        "login_failed": "100000/m/ip",
    }
