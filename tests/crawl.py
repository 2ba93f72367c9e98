"""Following a signed-in person's links through the app, one page per URL pattern.

Shared by the embedded-demo crawl (no page answers 500) and the untranslated-pages
test (no English left in Greek): both want every page a role reaches, not every row's
page, so a pattern is visited once with and once without a query string.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve

SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/v1/", "/logout/")
SKIPPED_SUFFIXES = (".csv", ".json", ".xml", ".atom", "/feed/", "/export/", ".js")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def url_pattern(path: str) -> str | None:
    """``namespace:name`` of the URL pattern ``path`` resolves to, None if none does."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}"


def crawl(
    client: Client, starts: Iterable[str], *, max_pages: int
) -> Iterator[tuple[str, HttpResponse]]:
    """Each page reached from ``starts`` by links, breadth first, with its response:
    one per URL pattern (with and without a query), at most ``max_pages``. Links are
    followed from HTML pages that answered 200, within this site, skipping the admin,
    the API, downloads and sign-out."""
    queue: deque[str] = deque(starts)
    seen: set[tuple[str, bool]] = set()
    while queue and len(seen) < max_pages:
        path = queue.popleft()
        # A path no pattern resolves (the 404 page) is its own key.
        key = (url_pattern(path.split("?")[0]) or path, "?" in path)
        if key in seen:
            continue
        seen.add(key)
        response = client.get(path)
        yield path, response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        links = _Links()
        links.feed(response.content.decode())
        for href in links.hrefs:
            url = urlsplit(urljoin("http://testserver" + path, href))
            if url.netloc != "testserver" or url.path.startswith(SKIPPED_PREFIXES):
                continue
            if not url.path.endswith(SKIPPED_SUFFIXES):
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
