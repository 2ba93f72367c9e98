"""gunicorn's configuration: ``gunicorn -c python:csplatform.gunicorn_conf csplatform.wsgi``.

Bind address, workers and the access log stay on the command line (docker-compose.yml,
Dockerfile), where a deployer looks for them. This file changes two defaults that
production must not keep:

* gunicorn imports the application in each worker, after forking. A configuration
  error (``DEBUG=true``, a weak ``SECRET_KEY``, a missing variable) then kills every
  worker as it boots, and the master starts new ones forever: the process "runs" and
  serves nothing. Reading the settings here, in the master, before it binds or forks,
  makes the same one line stop gunicorn itself with a non-zero exit.
* gunicorn names itself in a ``Server`` header on every response, which tells a scanner
  which server's vulnerabilities to try. gunicorn has no setting for it, so the header
  line is taken out of the response it writes.
* gunicorn's access log names the HTTP Basic user of each request (``%(u)s``), and the
  tracking API's clients send their write key as that user: every log line would hold
  a key that lets its reader write usage. The format here is gunicorn's default
  without it.
"""

from __future__ import annotations

import os

from django.conf import settings
from gunicorn.http import wsgi as _gunicorn_wsgi  # type: ignore[import-untyped]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csplatform.settings")
# Reading a setting imports csplatform.settings, which raises csplatform.env.ConfigError
# on a bad environment: a SystemExit, which gunicorn lets through, so the interpreter
# prints its one line and exits with status 1.
settings.SECRET_KEY  # noqa: B018

#: gunicorn's default access log format, with "-" where it puts the Basic-auth user.
access_log_format = '%(h)s %(l)s - %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'

_default_headers = _gunicorn_wsgi.Response.default_headers


def _headers_without_server(self: _gunicorn_wsgi.Response) -> list[str]:
    """gunicorn's own header lines (status, Date, Connection), less ``Server``."""
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _headers_without_server
