"""`make run`'s path, in a process of its own: the embedded default (SQLite, tasks
inline) migrated and seeded with the demo, then every page each demo login reaches by
following links from its landing page, one per URL pattern. Prints the paths that
answered 500 (the test reads them); exits non-zero if the seed itself fails.

Run by ``tests/demo/test_embedded_demo.py`` with a fresh SQLite file and no
``DATABASE_URL`` or ``REDIS_URL``, as a new machine runs the README's first command.
"""

from __future__ import annotations

import json
import os
import sys
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csplatform.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from accounts.models import User  # noqa: E402
from demo.services.accounts import DEMO_LOGINS  # noqa: E402

SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/v1/", "/logout/")
SKIPPED_SUFFIXES = (".csv", ".json", ".xml", ".atom", "/feed/", "/export/", ".js")
MAX_PAGES_PER_LOGIN = 60


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}"


def _crawl(client: Client, start: str) -> tuple[int, list[str]]:
    seen: set[tuple[str | None, bool]] = set()
    queue, visited, failed = deque([start]), 0, []
    while queue and visited < MAX_PAGES_PER_LOGIN:
        path = queue.popleft()
        key = (_pattern(path.split("?")[0]), "?" in path)
        if key[0] is None or key in seen:
            continue
        seen.add(key)
        response = client.get(path)
        visited += 1
        if response.status_code >= 500:
            failed.append(path)
            continue
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        links = _Links()
        links.feed(response.content.decode())
        for href in links.hrefs:
            url = urlsplit(urljoin("http://testserver" + path, href))
            if url.netloc != "testserver" or url.path.startswith(SKIPPED_PREFIXES):
                continue
            if url.path.endswith(SKIPPED_SUFFIXES):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return visited, failed


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    result: dict[str, dict[str, object]] = {}
    for login in DEMO_LOGINS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=login.username))
        landing = client.get("/", follow=True).request["PATH_INFO"]
        visited, failed = _crawl(client, landing)
        result[login.username] = {"visited": visited, "failed": failed}
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
