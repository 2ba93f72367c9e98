"""The API contract run (``make api-contract``): the schema each role is served is valid
OpenAPI, and the API answers as it says, under schemathesis.

Against a live server (gunicorn, two processes) on a database of its own, filled with a
small demo: a SQLite file, or beside ``DATABASE_URL``'s PostgreSQL database a
``<name>_api_contract`` one, dropped afterwards. Tasks run inline (no ``REDIS_URL``).
schemathesis fetches ``/api/schema/`` with each caller's token, so each run covers what
that role is documented to call: staff (the demo admin: every operation), a customer,
and an anonymous caller (the public roadmap). The number of examples per operation
bounds the run (a few minutes on two cores); the seed makes it repeatable.

    python -m tests.api_contract [--max-examples N] [--seed S] [--workers W]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]

#: Every check schemathesis has, but for the ones that cannot apply to this API.
ALL_CHECKS = "all"
#: positive_data_acceptance says that a request the schema allows must not get a 400.
#: A schema cannot say which rows exist or what the services allow: a vote names a
#: contact who must exist, a PATCH of a closed idea is refused, a linked idea or a
#: category slug must name one, and no text may hold a control character (core.text),
#: in a field or in the name of an ignored one. Those 400s are the API working.
EXCLUDED_EVERYWHERE = ["positive_data_acceptance"]
#: allow_header_conformance compares the Allow header with the methods the schema lists.
#: A customer's or an anonymous reader's schema lists what they may call, while Allow
#: names, as HTTP defines it, what the resource supports: the roadmap takes a POST, which
#: a customer is refused with a 403, not a 405. The staff run, whose schema lists every
#: method, keeps the check.
EXCLUDED_FOR_ONE_ROLE = ["allow_header_conformance"]


@dataclass
class Run:
    """One schemathesis run: who calls, and what it found."""

    caller: str
    token: str | None
    excluded: list[str]
    operations: int = 0
    cases: int = 0
    failures: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.api_contract", description=__doc__)
    parser.add_argument("--max-examples", type=int, default=10, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=1)
    # One: schemathesis's workers are threads, and hypothesis reading a strategy's
    # source under Python 3.11 is not thread-safe ("AST constructor recursion depth
    # mismatch" now and then, a failed run that is no finding).
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="api-contract-") as scratch,
        _database(Path(scratch)) as database_url,
    ):
        env = _server_env(database_url)
        tokens = _prepare(env)
        with _server(env, Path(scratch) / "server.log") as base_url:
            for caller, token in [*tokens.items(), ("anonymous", None)]:
                count = _validate_schema(base_url, token)
                print(f"api-contract: the schema served to {caller} is valid: {count} operations")
            runs = [
                Run("staff", tokens["staff"], EXCLUDED_EVERYWHERE),
                Run("customer", tokens["customer"], EXCLUDED_EVERYWHERE + EXCLUDED_FOR_ONE_ROLE),
                Run("anonymous", None, EXCLUDED_EVERYWHERE + EXCLUDED_FOR_ONE_ROLE),
            ]
            for run in runs:
                _schemathesis(run, base_url, Path(scratch), args)
    return _report(runs, time.monotonic() - started)


# --- The database and the server --------------------------------------------------------


@contextlib.contextmanager
def _database(scratch: Path) -> Iterator[str]:
    """A database of the run's own, on the server ``DATABASE_URL`` names if PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        yield f"sqlite:///{scratch / 'contract.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"{parts.path.lstrip('/')}_api_contract"
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))

    def execute(statement: sql.Composed) -> None:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    execute(drop)
    execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        execute(drop)


def _server_env(database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CSPLATFORM_ENV", "DEBUG")
    }
    env.update(
        DATABASE_URL=database_url,
        # The hourly limits have their own tests; here they would turn every idea and
        # comment after the fifth into a 429 and leave the rest of those doors untried.
        FEEDBACK_IDEAS_PER_HOUR="1000000",
        FEEDBACK_COMMENTS_PER_HOUR="1000000",
        EMAIL_URL="dummymail://",
    )
    return env


def _prepare(env: dict[str, str]) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.api_contract.prepare"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"api-contract: preparing the database failed\n{result.stderr}")
    tokens: dict[str, str] = json.loads(result.stdout.strip().splitlines()[-1])
    return tokens


@contextlib.contextmanager
def _server(env: dict[str, str], log: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "gunicorn", "csplatform.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
    ]  # fmt: skip
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        try:
            _wait_for(f"{base_url}/healthz", server)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if server.returncode not in (0, -15):
                print(log.read_text()[-4000:], file=sys.stderr)


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("api-contract: the server stopped while starting")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            if response.status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"api-contract: {url} did not answer within a minute")


# --- The checks -------------------------------------------------------------------------


def _validate_schema(base_url: str, token: str | None) -> int:
    """The schema served with ``token`` passes openapi-spec-validator; its operations."""
    request = urllib.request.Request(f"{base_url}/api/schema/?format=json")  # noqa: S310
    if token:
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - ours
        schema = json.load(response)
    validate(schema)
    return sum(1 for item in schema["paths"].values() for method in item if method != "parameters")


def _schemathesis(run: Run, base_url: str, scratch: Path, args: argparse.Namespace) -> None:
    report = scratch / f"{run.caller}.json"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run", f"{base_url}/api/schema/",
        "--checks", ALL_CHECKS, "--exclude-checks", ",".join(run.excluded),
        "--max-examples", str(args.max_examples),
        "--seed", str(args.seed),
        "--workers", str(args.workers),
        "--generation-database", "none",
        "--request-timeout", "30",
        "--report", "json", "--report-json-path", str(report),
        "--no-color",
    ]  # fmt: skip
    if run.token:
        command += ["--header", f"Authorization: Token {run.token}"]
    print(f"\napi-contract: schemathesis as {run.caller}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=scratch, timeout=1200, check=False)
    run.seconds = time.monotonic() - started
    if not report.exists():
        run.errors.append(f"schemathesis stopped without a report (exit {result.returncode})")
        return
    outcome = json.loads(report.read_text())
    run.operations = outcome["operations"]["tested"]
    run.cases = outcome["test_cases"]["generated"]
    run.failures = sum(failure["count"] for failure in outcome["failures"])
    run.errors += [str(error) for error in outcome["errors"]]
    if result.returncode != 0 and not (run.failures or run.errors):
        run.errors.append(f"schemathesis exited with {result.returncode}")


def _report(runs: list[Run], seconds: float) -> int:
    print()
    for run in runs:
        print(
            f"api-contract: {run.caller}: {run.operations} operations, {run.cases} cases, "
            f"{run.failures} failures, {len(run.errors)} errors ({run.seconds:.0f} s)"
        )
    operations = sum(run.operations for run in runs)
    cases = sum(run.cases for run in runs)
    bad = sum(run.failures + len(run.errors) for run in runs)
    print(f"api-contract: {operations} operations, {cases} cases in {seconds:.0f} s: ", end="")
    print("passed" if bad == 0 else f"{bad} failures or errors")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
