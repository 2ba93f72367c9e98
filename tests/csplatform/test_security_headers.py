"""Every response carries our Content-Security-Policy and Permissions-Policy: pages, API
answers, errors and redirects alike, for anyone who asks."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

#: The policy, directive by directive: our own files only, nothing inline, no plugins,
#: no framing, no foreign <base> or form target.
EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
#: Features no page uses: each must be turned off for every origin.
DENIED_FEATURES = {"camera", "microphone", "geolocation", "payment", "usb", "serial"}


def parse_csp(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def parse_permissions_policy(header: str) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in header.split(","))


def _example_urls(resolver=None, prefix: str = ""):
    """One URL per route, integers and words filled in (most then answer 404 or 405,
    which must carry the headers as much as a page does)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                yield "/" + pattern  # the admin's index stands for its pages
                continue
            yield from _example_urls(entry, pattern)
        elif isinstance(entry, URLPattern):
            url = re.sub(r"<int:\w+>", "1", pattern)
            url = re.sub(r"<(str|slug):\w+>", "accounts", url)
            url = url.replace("^", "").replace("/?$", "/").replace("$", "")
            if not re.search(r"[<(\[\\]", url):
                yield "/" + url


def test_example_urls_cover_pages_api_and_errors():
    urls = set(_example_urls())
    assert {"/accounts/", "/api/accounts/", "/api/docs/", "/roadmap/", "/healthz"} <= urls
    assert "/v1/batch/" in urls
    assert len(urls) > 60


def _assert_headers(url: str, response) -> None:
    what = f"{url} ({response.status_code})"
    assert "Content-Security-Policy" in response, what
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP, what
    assert "Permissions-Policy" in response, what
    policy = parse_permissions_policy(response["Permissions-Policy"])
    assert {feature: policy.get(feature) for feature in DENIED_FEATURES} == dict.fromkeys(
        DENIED_FEATURES, "()"
    ), what


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["anonymous", "customer", "admin"])
def test_every_response_carries_csp_and_permissions_policy(actors, actor):
    client = actors[actor]
    statuses = set()
    for url in sorted(set(_example_urls())):
        response = client.get(url)
        statuses.add(response.status_code)
        if url == "/api/docs/" and response.status_code == 200:
            continue  # its own policy: the next test
        _assert_headers(url, response)
    assert {200, 404, 405} <= statuses


@pytest.mark.django_db
def test_api_json_answers_carry_the_headers(actors):
    for actor, status in (("anonymous", 401), ("customer", 403), ("admin", 200)):
        response = actors[actor].get("/api/accounts/")
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        _assert_headers("/api/accounts/", response)


@pytest.mark.django_db
def test_api_docs_alone_get_a_nonce_for_swagger_uis_inline_script_and_style(actors):
    response = actors["admin"].get("/api/docs/")
    assert response.status_code == 200
    directives = parse_csp(response["Content-Security-Policy"])
    nonces = {value for value in directives["script-src"] if value.startswith("'nonce-")}
    assert len(nonces) == 1
    nonce = nonces.pop()[len("'nonce-") : -1]
    assert directives["script-src"] == {"'self'", f"'nonce-{nonce}'"}
    assert directives["style-src"] == {"'self'", f"'nonce-{nonce}'"}
    assert {k: v for k, v in directives.items() if k not in {"script-src", "style-src"}} == {
        k: v for k, v in EXPECTED_CSP.items() if k not in {"script-src", "style-src"}
    }
    html = response.content.decode()
    inline = re.findall(r"<(script|style)(\s[^>]*)?>\s*[^<\s]", html)
    assert inline, "Swagger UI's inline script and style"
    assert all(f'nonce="{nonce}"' in attributes for _tag, attributes in inline)
    # A second response gets a fresh nonce.
    again = parse_csp(actors["admin"].get("/api/docs/")["Content-Security-Policy"])
    assert f"'nonce-{nonce}'" not in again["script-src"]


@pytest.mark.django_db
def test_with_staff_sso_on_forms_may_lead_to_the_providers_origin_only(client, settings):
    """The "Sign in with …" button's redirect to the provider is a form target to the
    browser; every other directive stays as it was (tests/e2e/test_staff_sso.py clicks it)."""
    settings.OIDC_SERVER_URL = "https://idp.vendor.example/realms/staff"
    response = client.get("/login/")
    directives = parse_csp(response["Content-Security-Policy"])
    assert directives == {
        **EXPECTED_CSP,
        "form-action": {"'self'", "https://idp.vendor.example"},
    }
