"""Assets come from our own static files; pages carry the shell and the role's navigation."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_plotly_js_is_found_in_the_installed_plotly_package():
    path = finders.find("vendor/plotly.min.js")
    assert path is not None
    assert Path(path).stat().st_size > 1_000_000


@pytest.mark.parametrize(
    "asset", ["css/app.css", "vendor/htmx.min.js", "vendor/plotly.min.js", "vendor/plotly.css"]
)
def test_assets_are_served_by_the_app(client, asset):
    response = client.get(f"/static/{asset}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) > 1000


def test_no_template_or_stylesheet_loads_anything_from_another_host():
    external = re.compile(r"""(src|href)=["']?(https?:)?//""")
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("core/static/css/*.css")]:
        text = path.read_text()
        if external.search(text) or "@import url(http" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


INLINE_CODE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "inline style": re.compile(r"<style\b"),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*="),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: link": re.compile(r"javascript:", re.IGNORECASE),
    "htmx eval": re.compile(r"\shx-on|\shx-vars=|js:"),
}


def test_no_template_carries_inline_code_that_the_csp_refuses():
    """Our Content-Security-Policy allows our static files only: what a template writes
    inline would be refused by the browser. Only the API docs' page (a library's) uses a
    nonce."""
    offenders = []
    for path in ROOT.glob("templates/**/*.html"):
        text = path.read_text()
        name = str(path.relative_to(ROOT))
        if name == "templates/core/api_docs.html":
            continue
        offenders += [f"{name}: {what}" for what, rule in INLINE_CODE.items() if rule.search(text)]
        if "csp_nonce" in text:
            offenders.append(f"{name}: nonce")
    assert offenders == []


@pytest.mark.django_db
def test_navigation_shows_each_role_only_what_it_may_open(actors):
    def nav(actor):
        response = actors[actor].get(reverse("roadmap:public"))
        items = response.context["nav_items"] + response.context["manage_items"]
        html = response.content.decode()
        assert all(f'href="{item["url"]}"' in html for item in items)
        return {str(item["label"]) for item in items}

    assert "Portfolio" not in nav("customer")
    assert "Ideas" in nav("customer")
    assert {"Portfolio", "Ideas"} <= nav("csm")
    assert "Getting started" not in nav("csm")
    assert "Triage" in nav("pm")
    assert {"Getting started", "Portfolio", "Triage"} <= nav("admin")
    assert nav("anonymous") <= {"Roadmap", "Changelog"}
    assert {"Health scorecards", "Onboarding milestones", "Recompute jobs"} <= nav("admin")
    assert not {"Health scorecards", "Onboarding milestones"} & nav("csm")


@pytest.mark.django_db
def test_set_up_pages_sit_in_the_manage_menu(actors):
    response = actors["admin"].get(reverse("accounts:portfolio"))
    main = {str(item["label"]) for item in response.context["nav_items"]}
    manage = {str(item["label"]) for item in response.context["manage_items"]}
    assert "Portfolio" in main
    assert {"Getting started", "Import data", "Health scorecards", "API docs"} <= manage
    assert not main & manage
    assert "<summary>Manage</summary>" in response.content.decode()


@pytest.mark.django_db
def test_times_are_shown_in_the_users_zone(client_for, csm):
    from django.utils import timezone

    from core.middleware import UserTimezoneMiddleware

    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return None

    csm.time_zone = "Asia/Tokyo"
    request = type("R", (), {"user": csm})()
    UserTimezoneMiddleware(view)(request)
    assert seen["zone"] == "Asia/Tokyo"


@pytest.mark.django_db
def test_only_the_deepest_matching_link_is_active(actors):
    response = actors["admin"].get(reverse("accounts:getting_started"))
    context = response.context
    items = context["nav_items"] + context["manage_items"]
    assert [str(item["label"]) for item in items if item["active"]] == ["Getting started"]
    assert context["manage_active"]
