"""Start and steer the local OpenID Connect provider from a test (see ``__init__``)."""

from __future__ import annotations

import os
import secrets
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
#: Migrating a fresh SQLite database and generating an RSA key take a few seconds; a
#: busy CI machine may take several times that.
START_SECONDS = 60


@dataclass
class LocalOidcProvider:
    """The provider process, its origin, and its directory of people.

    ``issuer`` is what csplatform's ``OIDC_SERVER_URL`` would be set to; discovery is at
    ``issuer + "/.well-known/openid-configuration"``.
    """

    database: Path
    process: subprocess.Popen[str] | None = None
    origin: str = ""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def issuer(self) -> str:
        return f"{self.origin}/o"

    def start(self) -> LocalOidcProvider:
        env = {
            **os.environ,
            "OIDC_PROVIDER_DATABASE": str(self.database),
            "OIDC_PROVIDER_TOKEN": self.token,
            "PYTHONPATH": str(ROOT),
        }
        # csplatform's settings module must not follow the provider into its process.
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.server"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + START_SECONDS
            while not self.origin:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the OIDC provider exited ({self.process.returncode})")
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the OIDC provider did not start in {START_SECONDS} s")
                if selector.select(timeout=0.5):
                    line = self.process.stdout.readline()
                    if line.startswith("ready "):
                        self.origin = line.split(" ", 1)[1].strip()
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _put(self, path: str, payload: dict[str, object]) -> requests.Response:
        response = requests.put(
            f"{self.origin}/directory/{path}",
            json=payload,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=10,
        )
        response.raise_for_status()
        return response

    def client_set(self, client_id: str, secret: str, redirect_uris: list[str]) -> None:
        """Register csplatform as the provider's client (replacing an earlier one)."""
        self._put(f"clients/{client_id}/", {"secret": secret, "redirect_uris": redirect_uris})

    def person_set(
        self,
        username: str,
        *,
        email: str,
        password: str = "idp-password",
        name: str = "",
        groups: tuple[str, ...] = (),
        active: bool = True,
    ) -> str:
        """Add or change a person at the provider; returns their subject (``sub``)."""
        payload = {
            "email": email,
            "password": password,
            "name": name,
            "groups": list(groups),
            "active": active,
        }
        return str(self._put(f"people/{username}/", payload).json()["sub"])

    def person_remove(self, username: str) -> None:
        """Delete the person, as an administrator offboarding them would."""
        response = requests.delete(
            f"{self.origin}/directory/people/{username}/",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=10,
        )
        response.raise_for_status()
