"""axe-core on every page each role can reach, in Chromium, on the demo's data.

The pages are found by following links from each role's landing page, not listed by
hand, so a new page is checked the day it is linked. One page is kept per URL pattern
(the portfolio is checked once, not once per account). A serious or critical violation
fails the test with every offending node named.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve

from demo.services.accounts import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from tests.e2e.browser import sign_in_on

pytestmark = pytest.mark.django_db(transaction=True)

#: Pages we do not own or that are not HTML for people: Django's admin, the API's
#: machine-readable answers, files to download and the feed.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/v1/", "/logout/")
SKIPPED_SUFFIXES = (".csv", ".json", ".xml", ".atom", "/feed/", "/export/")
#: Enough to reach every page from the navigation; a guard against crawling forever.
MAX_PAGES_PER_ROLE = 60
BLOCKING_IMPACTS = {"serious", "critical"}


def _pattern(path: str) -> str | None:
    """The URL pattern a path belongs to, so one account page stands for all of them."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


def _same_site_links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url = urlsplit(urljoin(page.url, href))
        if f"{url.scheme}://{url.netloc}" != origin:
            continue
        path = url.path
        if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
            continue
        found.append(path + (f"?{url.query}" if url.query else ""))
    return found


def _crawl(page, origin: str, start: str) -> list[str]:
    """Breadth-first from the landing page, one path per URL pattern and query shape."""
    seen_patterns: set[tuple[str, bool]] = set()
    visited: list[str] = []
    queue = deque([start])
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        pattern = _pattern(path.split("?")[0])
        if pattern is None or (pattern, "?" in path) in seen_patterns:
            continue
        seen_patterns.add((pattern, "?" in path))
        response = page.goto(origin + path)
        if (
            response is None
            or not response.ok
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        page.wait_for_load_state("load")
        visited.append(path)
        yield path
        queue.extend(_same_site_links(page, origin))
    return visited


def _report(path: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"{path}: {violation['id']} ({violation['impact']}) {node['target']}: "
                f"{node.get('failureSummary', '').splitlines()[-1].strip()}"
            )
    return lines


@pytest.mark.needs_chromium
def test_every_page_of_every_role_passes_axe(page, live_server, settings):
    seed_demo(accounts=12, seed=5)
    axe = Axe()
    origin = live_server.url
    problems: list[str] = []
    checked: dict[str, int] = {}

    for pages_of, path in [("anonymous", p) for p in _crawl(page, origin, "/")]:
        problems += _report(path, axe.run(page).response["violations"])
        checked[pages_of] = checked.get(pages_of, 0) + 1

    for login in DEMO_LOGINS:
        context = page.context.browser.new_context()
        role_page = sign_in_on(context.new_page(), origin, login.username, DEMO_PASSWORD)
        for path in _crawl(role_page, origin, urlsplit(role_page.url).path):
            problems += _report(f"{login.role} {path}", axe.run(role_page).response["violations"])
            checked[str(login.role)] = checked.get(str(login.role), 0) + 1
        context.close()

    assert checked.get("anonymous", 0) >= 2
    assert all(checked.get(str(login.role), 0) >= 5 for login in DEMO_LOGINS), checked
    assert not problems, f"{len(problems)} serious or critical nodes:\n" + "\n".join(problems)
