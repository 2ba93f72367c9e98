"""Sign-in from the vendor's product: tokens made with PyJWT, as a vendor's server would.

GIVEN an installation with an SSO secret, WHEN a browser opens ``/sso/?token=…``, THEN a
good token signs its person in (creating their contact and portal user on first use) and
every bad one is refused with a 400 page, a log line, and nothing changed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import logging
import os
import time
import uuid
from datetime import timedelta
from io import StringIO

import jwt
import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Contact, SsoSecret, SsoTokenUse, User
from core.roles import Role
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("feedback:board")
_addresses = itertools.count(1)


@pytest.fixture
def client() -> Client:
    """A browser of its own address: the per-address attempt limit is counted in the
    cache, which outlives one test, so no two tests share a count."""
    n = next(_addresses)
    return Client(REMOTE_ADDR=f"198.51.{n // 250}.{n % 250 + 1}")


@pytest.fixture
def secret(admin_user) -> str:
    return services.sso_secret_rotate(actor=admin_user).secret


@pytest.fixture
def acme(db):
    return AccountFactory(name="Acme Corp", external_id="ACME-1")


def vendor_token(secret: str, **claims) -> str:
    """What the vendor's server does (the README's Python example)."""
    now = int(time.time())
    payload = {
        "email": "ana@acme.example",
        "name": "Ana Díaz",
        "account": "ACME-1",
        "iat": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
        **claims,
    }
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, secret, "HS256")


def hand_made_token(header: dict, payload: dict, key: bytes | None) -> str:
    """A token with any header, HMAC-SHA256-signed with ``key`` (or unsigned)."""

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    unsigned = f"{part(header)}.{part(payload)}"
    if key is None:
        return unsigned + "."
    signature = hmac.new(key, unsigned.encode(), hashlib.sha256).digest()
    return unsigned + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def open_link(client: Client, token: str):
    return client.get(reverse("sso"), {"token": token})


def signed_in_user(client: Client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


# --- A good token ------------------------------------------------------------------


def test_a_good_token_creates_the_contact_and_user_and_lands_on_the_board(client, secret, acme):
    response = open_link(client, vendor_token(secret))

    assert response.status_code == 302
    assert response["Location"] == BOARD
    user = signed_in_user(client)
    assert user is not None
    assert user.role == Role.CUSTOMER
    assert (user.email, user.first_name, user.last_name) == ("ana@acme.example", "Ana", "Díaz")
    assert not user.has_usable_password()
    assert user.contact.account == acme
    assert (user.contact.name, user.contact.email) == ("Ana Díaz", "ana@acme.example")
    assert client.get(BOARD).status_code == 200


def test_signing_in_rotates_the_session_key(client, secret, acme):
    client.get(reverse("login"))
    session = client.session
    session["before"] = "planted"
    session.save()
    before = session.session_key

    open_link(client, vendor_token(secret))

    assert client.session.session_key != before


def test_an_imported_contact_is_linked_and_its_name_updated_not_duplicated(client, secret, acme):
    contact = ContactFactory(account=acme, email="Ana@Acme.example", name="A. Díaz")

    open_link(client, vendor_token(secret))

    assert signed_in_user(client).contact == contact
    contact.refresh_from_db()
    assert contact.name == "Ana Díaz"
    assert Contact.objects.filter(email__iexact="ana@acme.example").count() == 1


def test_a_returning_customer_signs_in_as_the_same_user(client, secret, acme):
    open_link(client, vendor_token(secret))
    first = signed_in_user(client)
    other_browser = Client(REMOTE_ADDR="192.0.2.77")
    open_link(other_browser, vendor_token(secret, name="Ana Díaz-Prieto"))

    assert signed_in_user(other_browser) == first
    assert User.objects.filter(role=Role.CUSTOMER).count() == 1
    first.refresh_from_db()
    assert first.last_name == "Díaz-Prieto"


def test_a_portal_user_is_found_by_their_own_address_too(client, secret, acme):
    """The demo customer's user has another address than their contact."""
    customer = UserFactory(role=Role.CUSTOMER, contact__account=acme, email="me@acme.example")

    open_link(client, vendor_token(secret, email="me@acme.example"))

    assert signed_in_user(client) == customer
    assert acme.contacts.count() == 1


@pytest.mark.parametrize("path", ["/ideas/?sort=top", "/roadmap/", "/ideas/12/#comments"])
def test_the_return_path_is_followed(client, secret, acme, path):
    response = open_link(client, vendor_token(secret, return_to=path))
    assert response["Location"] == path


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/ideas/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "ideas/",
        "/ideas/\n/x",
        "/ideas/ x",
        "http://testserver/ideas/",  # even our own host: a path is asked for
    ],
)
def test_a_return_path_off_this_site_lands_on_the_board_instead(
    client, secret, acme, target, caplog
):
    with caplog.at_level(logging.WARNING, logger="accounts.services.sso"):
        response = open_link(client, vendor_token(secret, return_to=target))

    assert response.status_code == 302
    assert response["Location"] == BOARD
    assert signed_in_user(client) is not None
    assert "return_to" in caplog.text


# --- Refusals --------------------------------------------------------------------------


def assert_refused(response, caplog, reason: str, text: str) -> None:
    assert response.status_code == 400
    assert "We could not sign you in" in response.content.decode()
    assert text in response.content.decode()
    assert f"SSO sign-in refused ({reason})" in caplog.text


def test_an_expired_token_is_refused(client, secret, acme, caplog):
    token = vendor_token(secret, iat=int(time.time()) - 400, exp=int(time.time()) - 60)

    response = open_link(client, token)

    assert_refused(response, caplog, "expired", "has expired")
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="ana@acme.example").exists()


def test_a_token_within_the_clock_skew_is_still_accepted(client, secret, acme):
    token = vendor_token(secret, exp=int(time.time()) - 10)
    assert open_link(client, token).status_code == 302


def test_a_replayed_token_is_refused(client, secret, acme, caplog):
    token = vendor_token(secret)
    assert open_link(client, token).status_code == 302

    again = Client(REMOTE_ADDR="192.0.2.99")
    response = open_link(again, token)

    assert_refused(response, caplog, "replayed", "already used")
    assert signed_in_user(again) is None
    assert SsoTokenUse.objects.count() == 1


def test_a_token_signed_with_another_secret_is_refused(client, secret, acme, caplog):
    response = open_link(client, vendor_token("not-the-secret-" + "x" * 40))
    assert_refused(response, caplog, "bad_signature", "not signed with this site")


def test_a_token_with_a_tampered_payload_is_refused(client, secret, acme, caplog):
    header, _payload, signature = vendor_token(secret).split(".")
    forged = hand_made_token({}, {"email": "boss@acme.example"}, None).split(".")[1]
    response = open_link(client, f"{header}.{forged}.{signature}")
    assert response.status_code == 400
    assert signed_in_user(client) is None


def _claims() -> dict:
    now = int(time.time())
    return {
        "email": "ana@acme.example",
        "account": "ACME-1",
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
    }


@pytest.mark.parametrize(
    ("header", "signed"),
    [
        ({"alg": "none", "typ": "JWT"}, False),
        ({"alg": "None"}, False),
        # Key confusion: an RS256 header whose "signature" is an HMAC with our secret,
        # as if the secret were a public key.
        ({"alg": "RS256", "typ": "JWT"}, True),
        ({"alg": "HS512", "typ": "JWT"}, True),
        ({"typ": "JWT"}, True),
    ],
)
def test_any_algorithm_but_hs256_is_refused(client, secret, acme, caplog, header, signed):
    token = hand_made_token(header, _claims(), secret.encode() if signed else None)
    response = open_link(client, token)
    assert_refused(response, caplog, "algorithm", "not signed with this site")


def test_an_unsigned_token_from_pyjwt_is_refused(client, secret, acme, caplog):
    token = jwt.encode(_claims(), None, algorithm="none")
    assert_refused(open_link(client, token), caplog, "algorithm", "not signed with this site")


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "eyJhbGciOiJIUzI1NiJ9", "é.é.é", "x" * 5000])
def test_a_malformed_token_is_refused(client, secret, acme, caplog, token):
    response = open_link(client, token)
    assert response.status_code == 400
    assert "We could not sign you in" in response.content.decode()
    assert "SSO sign-in refused" in caplog.text


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email": None}, "malformed"),
        ({"account": None}, "malformed"),
        ({"jti": None}, "malformed"),
        ({"exp": None}, "malformed"),
        ({"email": "not an address"}, "malformed"),
        ({"email": 42}, "malformed"),
        ({"name": ["Ana"]}, "malformed"),
        ({"account": ""}, "malformed"),
        ({"exp": "tomorrow"}, "malformed"),
        ({"exp": int(time.time()) + 3600}, "lifetime"),
        ({"iat": int(time.time()) - 3000, "exp": int(time.time()) + 60}, "lifetime"),
        ({"iat": int(time.time()) + 3600}, "not_yet_valid"),
        ({"account": "NOPE-9"}, "unknown_account"),
    ],
)
def test_a_token_with_missing_or_wrong_claims_is_refused(
    client, secret, acme, caplog, claims, reason
):
    response = open_link(client, vendor_token(secret, **claims))
    assert response.status_code == 400
    assert f"SSO sign-in refused ({reason})" in caplog.text
    assert signed_in_user(client) is None
    assert not SsoTokenUse.objects.exists()


def test_the_log_line_never_holds_the_token(client, secret, acme, caplog):
    token = vendor_token(secret, exp=int(time.time()) - 60)
    open_link(client, token)
    assert token not in caplog.text
    assert token.split(".")[2] not in caplog.text


def test_without_a_secret_every_token_is_refused(client, acme, caplog):
    response = open_link(client, vendor_token("x" * 43))
    assert_refused(response, caplog, "no_secret", "not set up")


# --- Never into another account ------------------------------------------------------------


def test_a_portal_user_of_account_a_cannot_be_moved_to_b(
    client, secret, customer_a, account_b, caplog
):
    response = open_link(
        client, vendor_token(secret, email=customer_a.email, account=account_b.external_id)
    )

    assert_refused(response, caplog, "account_mismatch", "another customer account")
    customer_a.refresh_from_db()
    assert customer_a.contact.account_id != account_b.pk
    assert not account_b.contacts.filter(email__iexact=customer_a.email).exists()


def test_a_contact_address_of_account_a_is_not_taken_into_b(client, secret, acme, caplog):
    other = AccountFactory(external_id="OTHER-1")
    ContactFactory(account=other, email="ana@acme.example")

    response = open_link(client, vendor_token(secret))

    assert_refused(response, caplog, "account_mismatch", "another customer account")
    assert not acme.contacts.exists()


def test_an_address_that_is_a_contact_of_both_accounts_signs_in_to_the_one_named(
    client, secret, acme
):
    ContactFactory(account=AccountFactory(), email="ana@acme.example")
    here = ContactFactory(account=acme, email="ana@acme.example")
    open_link(client, vendor_token(secret))
    assert signed_in_user(client).contact == here


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CSM, Role.PM])
def test_a_token_never_signs_in_a_member_of_staff(client, secret, acme, caplog, role):
    UserFactory(role=role, email="ana@acme.example")
    response = open_link(client, vendor_token(secret))
    assert_refused(response, caplog, "account_mismatch", "another customer account")
    assert signed_in_user(client) is None


def test_a_deactivated_customer_is_refused(client, secret, acme, caplog):
    UserFactory(
        role=Role.CUSTOMER, contact__account=acme, email="ana@acme.example", is_active=False
    )
    response = open_link(client, vendor_token(secret))
    assert_refused(response, caplog, "inactive", "turned off")


# --- Rotation ----------------------------------------------------------------------------


def test_the_old_secret_works_during_the_grace_period_and_not_after(
    client, secret, acme, admin_user, clock, settings, caplog
):
    settings.SSO_SECRET_GRACE_HOURS = 24
    new = services.sso_secret_rotate(actor=admin_user).secret

    assert open_link(client, vendor_token(secret)).status_code == 302
    assert open_link(client, vendor_token(new)).status_code == 302

    clock.shift(timedelta(hours=24, minutes=1))
    assert_refused(open_link(client, vendor_token(secret)), caplog, "bad_signature", "secret")
    assert open_link(client, vendor_token(new)).status_code == 302


def test_ending_the_grace_refuses_every_old_secret_at_once(
    client, secret, acme, admin_user, caplog
):
    second = services.sso_secret_rotate(actor=admin_user).secret
    services.sso_secret_rotate(actor=admin_user, end_grace_now=True)

    for old in (secret, second):
        assert open_link(client, vendor_token(old)).status_code == 400
    assert SsoSecret.objects.accepted_at(timezone.now()).count() == 1


def test_only_admins_rotate_the_secret(csm):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.sso_secret_rotate(actor=csm)
    assert not SsoSecret.objects.exists()


def test_one_current_secret_at_most(secret):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        SsoSecret.objects.create(created_at=timezone.now())


# --- Attempt limit -------------------------------------------------------------------------


def test_too_many_attempts_from_one_address_get_429_with_retry_after(
    client, secret, acme, settings, caplog
):
    settings.SSO_ATTEMPTS_PER_MINUTE = 3
    for _ in range(3):
        assert open_link(client, "garbage").status_code == 400

    response = open_link(client, vendor_token(secret))

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many sign-in attempts" in response.content.decode()
    assert "(throttled)" in caplog.text
    other_address = Client(REMOTE_ADDR="192.0.2.200")
    assert open_link(other_address, vendor_token(secret)).status_code == 302


# --- The settings pages ------------------------------------------------------------------


def test_admin_sees_the_secret_and_the_ones_in_grace(
    client_for, admin_user, secret, django_assert_max_num_queries
):
    services.sso_secret_rotate(actor=admin_user)
    client = client_for(admin_user)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("accounts:sso_settings")).content.decode()
    current = SsoSecret.objects.get(is_current=True)
    assert current.secret in body
    assert secret not in body  # a replaced secret is never shown again
    assert "Replaced secrets still accepted" in body


def test_admin_creates_then_rotates_the_secret_from_the_page(client_for, admin_user):
    client = client_for(admin_user)
    assert "There is no secret yet" in client.get(reverse("accounts:sso_settings")).content.decode()

    response = client.post(reverse("accounts:sso_rotate"), follow=True)
    assert "The sign-in secret was created." in response.content.decode()
    first = SsoSecret.objects.get()

    response = client.post(reverse("accounts:sso_rotate"), follow=True)
    assert "the old one is accepted until" in response.content.decode()
    assert SsoSecret.objects.get(is_current=True) != first

    response = client.post(reverse("accounts:sso_rotate"), {"end_grace": "on"}, follow=True)
    assert "the old ones are refused now" in response.content.decode()
    assert SsoSecret.objects.accepted_at(timezone.now()).count() == 1


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 302), ("customer", 403), ("csm", 403), ("pm", 403), ("admin", 302)],
)
def test_only_admins_may_rotate_through_the_page(actors, actor, expected):
    response = actors[actor].post(reverse("accounts:sso_rotate"))
    assert response.status_code == expected
    assert SsoSecret.objects.exists() == (actor == "admin")


def test_the_docs_page_shows_both_examples_with_this_sites_address(client_for, admin_user):
    body = client_for(admin_user).get(reverse("accounts:sso_docs")).content.decode()
    assert "import jwt" in body
    assert 'createHmac("sha256", SSO_SECRET)' in body
    assert "/sso/?token=" in body


def test_the_manage_menu_links_the_settings_for_admins_only(actors):
    url = reverse("accounts:sso_settings")
    assert url in actors["admin"].get(reverse("accounts:getting_started")).content.decode()
    assert url not in actors["csm"].get(reverse("accounts:portfolio")).content.decode()


# --- The command line door -----------------------------------------------------------------


def test_sso_link_prints_a_link_that_signs_the_person_in(client, secret, acme, settings):
    settings.SITE_URL = "http://testserver"
    out = StringIO()
    call_command(
        "sso_link",
        "--email=bo@acme.example",
        "--name=Bo Berg",
        "--account=ACME-1",
        "--return-to=/roadmap/",
        stdout=out,
    )
    link = out.getvalue().strip()
    assert link.startswith("http://testserver/sso/?token=")

    response = client.get(link.removeprefix("http://testserver"))

    assert response["Location"] == "/roadmap/"
    user = signed_in_user(client)
    assert (user.email, user.contact.account) == ("bo@acme.example", acme)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account=NOPE"], "No account has the external ID NOPE"),
        (["--account=ACME-1", "--minutes=60"], "--minutes must be between 1 and 10"),
        (["--account=ACME-1", "--return-to=https://evil.example/"], "must be a path"),
    ],
)
def test_sso_link_explains_what_is_wrong(secret, acme, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("sso_link", "--email=bo@acme.example", *args)


def test_sso_link_without_a_secret_says_to_create_one(acme):
    with pytest.raises(CommandError, match="create a secret first"):
        call_command("sso_link", "--email=bo@acme.example", "--account=ACME-1")


# --- Housekeeping -----------------------------------------------------------------------------


def test_pruning_forgets_only_token_ids_that_can_no_longer_be_replayed(clock):
    from accounts.tasks import prune_sso_token_uses

    now = timezone.now()
    SsoTokenUse.objects.create(jti="old", expires_at=now - timedelta(minutes=5), used_at=now)
    SsoTokenUse.objects.create(jti="skew", expires_at=now - timedelta(seconds=5), used_at=now)
    SsoTokenUse.objects.create(jti="live", expires_at=now + timedelta(minutes=5), used_at=now)

    assert prune_sso_token_uses() == 1
    assert prune_sso_token_uses() == 0  # idempotent
    assert set(SsoTokenUse.objects.values_list("jti", flat=True)) == {"skew", "live"}


def test_verify_is_reusable_without_spending_the_token(secret, acme):
    """The in-app widget will check the same tokens without signing anyone in."""
    token = vendor_token(secret, return_to="/ideas/")
    claims = services.sso_token_verify(token)
    assert (claims.email, claims.account_external_id, claims.return_to) == (
        "ana@acme.example",
        "ACME-1",
        "/ideas/",
    )
    assert not SsoTokenUse.objects.exists()
    assert services.sso_sign_in(token=token).user.contact.account == acme


def test_the_getting_started_checklist_ticks_sign_in_from_the_product(client_for, admin_user):
    def step():
        steps = client_for(admin_user).get(reverse("accounts:getting_started")).context["steps"]
        return next(s for s in steps if s.url == "accounts:sso_settings")

    assert not step().done
    services.sso_secret_rotate(actor=admin_user)
    assert step().done


# --- The examples on the docs page work as printed --------------------------------------


def _examples(client_for, admin_user) -> list[str]:
    import html
    import re

    body = client_for(admin_user).get(reverse("accounts:sso_docs")).content.decode()
    blocks = re.findall(r"<pre><code>(.*?)</code></pre>", body, re.S)
    return [html.unescape(code) for code in blocks]


def test_the_python_example_makes_a_link_that_signs_in(
    client_for, admin_user, secret, acme, client, monkeypatch, settings
):
    settings.SITE_URL = "http://testserver"
    monkeypatch.setenv("CSPLATFORM_SSO_SECRET", secret)
    python_example = _examples(client_for, admin_user)[0]
    namespace: dict = {}
    exec(python_example, namespace)  # noqa: S102 - the docs' own example, run as printed

    link = namespace["csplatform_link"]("ana@acme.example", "Ana Díaz", "ACME-1")

    response = client.get(link.removeprefix("http://testserver"))
    assert response["Location"] == "/ideas/"
    assert signed_in_user(client).email == "ana@acme.example"


def test_the_node_example_makes_a_link_that_signs_in(
    client_for, admin_user, secret, acme, client, settings, tmp_path
):
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        if os.environ.get("CSPLATFORM_REQUIRE_SERVICES"):
            pytest.fail("node is not installed, and CI requires it.", pytrace=False)
        pytest.skip("node is not installed")
    settings.SITE_URL = "http://testserver"
    script = tmp_path / "link.js"
    script.write_text(
        # The vendor's clock agrees with ours, which tests pin to another day.
        f"Date.now = () => {int(time.time() * 1000)};\n"
        + _examples(client_for, admin_user)[1]
        + '\nconsole.log(csplatformLink("ana@acme.example", "Ana Díaz", "ACME-1"));\n'
    )
    link = subprocess.run(
        [node, str(script)],
        env={"CSPLATFORM_SSO_SECRET": secret, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()

    response = client.get(link.removeprefix("http://testserver"))
    assert response["Location"] == "/ideas/"
    assert signed_in_user(client).contact.name == "Ana Díaz"


@pytest.mark.parametrize(
    ("language", "heading", "reason"),
    [
        ("es", "No hemos podido iniciar tu sesión", "ha caducado"),
        ("el", "Δεν μπορέσαμε να σας συνδέσουμε", "έχει λήξει"),
    ],
)
def test_the_refusal_page_speaks_the_readers_language(
    client, secret, acme, language, heading, reason
):
    token = vendor_token(secret, exp=int(time.time()) - 120)
    response = client.get(reverse("sso"), {"token": token}, HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 400
    assert heading in body
    assert reason in body


def test_signing_in_runs_a_constant_number_of_queries(secret, acme, django_assert_max_num_queries):
    """First visit (contact and user created) and a returning one, whatever the base."""
    ContactFactory.create_batch(20, account=acme)
    first, again = Client(REMOTE_ADDR="192.0.2.31"), Client(REMOTE_ADDR="192.0.2.32")
    with django_assert_max_num_queries(25):
        assert open_link(first, vendor_token(secret)).status_code == 302
    with django_assert_max_num_queries(19):
        assert open_link(again, vendor_token(secret)).status_code == 302
