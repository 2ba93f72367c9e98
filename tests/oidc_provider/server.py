"""Start the local OpenID Connect provider: ``python -m tests.oidc_provider.server``.

It binds a free port of 127.0.0.1 itself and writes ``ready <origin>`` as its first line,
so the harness never races another process for a port it probed. The database is the
SQLite file named by ``OIDC_PROVIDER_DATABASE``, migrated at start.
"""

from __future__ import annotations

import os
import sys
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """One thread per request: the browser fetches the sign-in page while csplatform's
    server exchanges a code, and neither may wait on the other."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """Requests are not logged: the test output is about csplatform."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    server = make_server(
        "127.0.0.1",
        0,
        get_wsgi_application(),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    sys.stdout.write(f"ready http://127.0.0.1:{server.server_port}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
