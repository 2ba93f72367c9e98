"""Shared fixtures: the actors of every permission test, and the service guards.

Tests that need a real service carry a marker (needs_postgres, needs_redis,
needs_chromium). Without the service they skip on a developer's machine, and fail in CI,
where CSPLATFORM_REQUIRE_SERVICES=1 says every service must be there.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation

from core.roles import Role
from csplatform.celery import app as celery_app
from tests.accounts.factories import AccountFactory, UserFactory
from tests.clock import pinned_now

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("CSPLATFORM_REQUIRE_SERVICES") == "1"


def _postgres_missing() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL does not point at PostgreSQL"
    return None


def _redis_missing() -> str | None:
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at REDIS_URL does not answer ({exc})"
    return None


def _chromium_missing() -> str | None:
    return None if CHROMIUM.exists() else f"{CHROMIUM} is not installed (apt-get install chromium)"


SERVICE_CHECKS = {
    "needs_postgres": _postgres_missing,
    "needs_redis": _redis_missing,
    "needs_chromium": _chromium_missing,
}


def pytest_configure(config):
    """Travel to the pinned instant before collection: modules that compute ``TODAY``
    at import time get the pinned day too (see tests/clock.py)."""
    time_machine.travel(pinned_now(), tick=True).start()


def _is_e2e(item) -> bool:
    return "/e2e/" in str(item.path).replace(os.sep, "/")


def pytest_collection_modifyitems(items):
    """Browser tests need Chromium, and run last (see tests/e2e/conftest.py)."""
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.needs_chromium)
    items.sort(key=_is_e2e)


def pytest_runtest_setup(item):
    for marker, check in SERVICE_CHECKS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = check()
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"{marker}: {reason}, and CI requires it.", pytrace=False)
        pytest.skip(f"{marker}: {reason}")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues(tmp_path_factory):
    """The Spanish and Greek catalogues, compiled for this session.

    Compiled ``.mo`` files are build output, not committed: each session compiles the
    ``.po`` files it has into a directory of its own and reads translations from there,
    so a test always runs against the catalogue beside it, whether or not the build has
    run ``compilemessages`` in the checkout. ``msgfmt --check`` also refuses a catalogue
    whose placeholders disagree with its msgids."""
    from django.test.utils import override_settings

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is not installed (apt-get install gettext)", pytrace=False)
    target = tmp_path_factory.mktemp("locale")
    for locale_dir in settings.LOCALE_PATHS:
        for catalogue in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            out = target / catalogue.relative_to(locale_dir).with_suffix(".mo")
            out.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([msgfmt, "--check", "-o", str(out), str(catalogue)], check=True)
    # Changing LOCALE_PATHS makes Django drop the translations it has loaded.
    with override_settings(LOCALE_PATHS=[str(target)]):
        yield target


@pytest.fixture(autouse=True)
def _default_language():
    """A request with Accept-Language leaves its language active in the thread (Django's
    LocaleMiddleware activates and never deactivates): every test ends back in the
    installation's language, so the next one does not read Greek by accident."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def clock():
    """Every test starts at the same pinned instant and the clock ticks on from there;
    a test moves it with ``clock.shift(timedelta(...))`` or ``clock.move_to(...)``."""
    with time_machine.travel(pinned_now(), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _notify_at_once(settings):
    """Idea notifications are told at once (no undo window) unless a test sets
    ``FEEDBACK_NOTIFY_DELAY_SECONDS`` itself: most tests are about what people are
    told, not when."""
    settings.FEEDBACK_NOTIFY_DELAY_SECONDS = 0


@pytest.fixture(autouse=True)
def _tasks_inline(request):
    """Run tasks inline unless a test drives a real worker (marker celery_worker)."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


# --- The actors -------------------------------------------------------------------


@pytest.fixture
def account_a(db):
    return AccountFactory(name="Account A")


@pytest.fixture
def account_b(db):
    return AccountFactory(name="Account B")


@pytest.fixture
def customer_a(account_a):
    return UserFactory(role=Role.CUSTOMER, contact__account=account_a, username="customer_a")


@pytest.fixture
def customer_b(account_b):
    return UserFactory(role=Role.CUSTOMER, contact__account=account_b, username="customer_b")


@pytest.fixture
def csm(db):
    return UserFactory(role=Role.CSM, username="csm")


@pytest.fixture
def pm(db):
    return UserFactory(role=Role.PM, username="pm")


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def actors(customer_a, customer_b, csm, pm, admin_user, client_for):
    """Signed-in clients by actor name (tests/actors.py), plus ``anonymous``."""
    return {
        "anonymous": Client(),
        "customer": client_for(customer_a),
        "customer_a": client_for(customer_a),
        "customer_b": client_for(customer_b),
        "csm": client_for(csm),
        "pm": client_for(pm),
        "admin": client_for(admin_user),
    }


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _restore_migration_defaults(request, django_db_blocker):
    """Transactional tests end by flushing every table, which also removes the rows data
    migrations create (the default health scorecard with its first version, the default
    onboarding template) and that the app relies on. Every database test finds them in
    place, whatever ran before: the migrations' own functions write them again."""
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if request.node.get_closest_marker("django_db") is None and not uses_db:
        return
    from django.apps import apps

    from healthscores.models import Scorecard

    with django_db_blocker.unblock():
        if not Scorecard.objects.filter(segment="").exists():
            for migration, function in MIGRATION_DEFAULTS:
                getattr(importlib.import_module(migration), function)(apps, None)


#: The data migrations whose rows every test may rely on, in migration order.
MIGRATION_DEFAULTS = [
    ("healthscores.migrations.0003_default_scorecard", "create_default"),
    ("ttfv.migrations.0002_defaults", "forwards"),
]


#: Tells this test session's cache keys from those a previous run left in Redis.
_SESSION = uuid.uuid4().hex[:8]


@pytest.fixture(autouse=True)
def _cache_per_worker(settings, worker_id):
    """Each xdist worker gets its own cache key space. In CI the cache is one Redis
    shared by every worker: without this, one worker's cached status labels or pending
    recompute key answer another's tests (within a worker it behaves like the
    local-memory cache of a development run)."""
    default = settings.CACHES["default"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {**default, "KEY_PREFIX": f"test-{_SESSION}-{worker_id}"},
    }


# --- Staff single sign-on against a real OpenID Connect provider ------------------


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The local OpenID Connect provider (tests/oidc_provider), one per test session."""
    from tests.oidc_provider.harness import LocalOidcProvider

    provider = LocalOidcProvider(database=tmp_path_factory.mktemp("idp") / "idp.sqlite3")
    provider.start()
    yield provider
    provider.stop()


#: The groups the local provider puts in the "groups" claim, and the roles they map to.
SSO_ROLE_MAP = {"cs-team": "csm", "product": "pm", "it-admins": "admin"}


@pytest.fixture
def staff_sso(oidc_provider, settings, clock, request):
    """csplatform configured for staff single sign-on with the local provider, as the
    OIDC_* environment variables would configure it, and registered there as a client.

    The provider is another process on the machine's clock, as a real one would be: this
    process leaves the pinned test instant for the real time too, or the ID token would
    seem issued in the future (or long expired) and be rightly refused.
    """
    from datetime import UTC, datetime

    clock.move_to(datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=UTC))
    secret = uuid.uuid4().hex
    from django.urls import reverse

    callback = reverse("openid_connect_callback", kwargs={"provider_id": "staff"})
    origins = ["http://testserver"]
    if "live_server" in request.fixturenames:
        origins.append(request.getfixturevalue("live_server").url)
    oidc_provider.client_set("csplatform", secret, [origin + callback for origin in origins])
    settings.OIDC_SERVER_URL = oidc_provider.issuer
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = SSO_ROLE_MAP
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": "staff",
                    "name": settings.OIDC_PROVIDER_NAME,
                    "client_id": "csplatform",
                    "secret": secret,
                    "settings": {"server_url": oidc_provider.issuer},
                }
            ],
        }
    }
    return oidc_provider
