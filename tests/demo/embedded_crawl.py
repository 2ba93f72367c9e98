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
from io import StringIO

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csplatform.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from demo.services.accounts import DEMO_LOGINS  # noqa: E402
from tests.crawl import crawl  # noqa: E402

MAX_PAGES_PER_LOGIN = 60


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    result: dict[str, dict[str, object]] = {}
    for login in DEMO_LOGINS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=login.username))
        landing = client.get("/", follow=True).request["PATH_INFO"]
        statuses = {
            path: response.status_code
            for path, response in crawl(client, [landing], max_pages=MAX_PAGES_PER_LOGIN)
        }
        failed = [path for path, status in statuses.items() if status >= 500]
        result[login.username] = {"visited": len(statuses), "failed": failed}
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
