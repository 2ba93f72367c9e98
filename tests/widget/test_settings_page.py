"""The admins' settings page: the snippet, allowed origins (validated), the look."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.actors import ACTORS
from widget.models import AllowedOrigin, WidgetSettings
from widget.services import origin_normalise

pytestmark = pytest.mark.django_db

PAGE = "/widget/settings/"


@pytest.mark.parametrize("actor", ACTORS)
def test_only_admins_open_the_settings(actors, actor):
    response = actors[actor].get(PAGE)
    expected = {"anonymous": 302, "customer": 403, "csm": 403, "pm": 403, "admin": 200}
    assert response.status_code == expected[actor]


def test_the_page_shows_the_snippet_with_this_installations_address(actors, settings):
    settings.SITE_URL = "https://cs.vendor.example"
    page = actors["admin"].get(PAGE).content.decode()
    assert "https://cs.vendor.example/widget.js" in page
    assert "data-token" in page


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://App.Vendor.example", "https://app.vendor.example"),
        ("https://app.vendor.example:443/", "https://app.vendor.example"),
        ("https://app.vendor.example:8443", "https://app.vendor.example:8443"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://127.0.0.2:8000", "http://127.0.0.2:8000"),
    ],
)
def test_origins_are_stored_as_browsers_send_them(typed, stored):
    assert origin_normalise(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "app.vendor.example",
        "https://app.vendor.example/path",
        "https://app.vendor.example?x=1",
        "https://*.vendor.example",
        "http://app.vendor.example",
        "https://user@app.vendor.example",
        "ftp://app.vendor.example",
        "",
    ],
)
def test_anything_but_an_origin_is_refused(typed):
    with pytest.raises(ValidationError):
        origin_normalise(typed)


def test_admins_add_and_remove_origins(actors):
    admin = actors["admin"]
    assert (
        admin.post(PAGE + "origins/", {"origin": "https://app.vendor.example"}).status_code == 302
    )
    origin = AllowedOrigin.objects.get()
    assert origin.origin == "https://app.vendor.example"
    duplicate = admin.post(PAGE + "origins/", {"origin": "https://APP.vendor.example/"})
    assert duplicate.status_code == 400
    assert "allowed already" in duplicate.content.decode()
    bad = admin.post(PAGE + "origins/", {"origin": "https://app.vendor.example/app"})
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.content.decode()
    assert admin.post(PAGE + f"origins/{origin.pk}/remove/").status_code == 302
    assert not AllowedOrigin.objects.exists()
    assert actors["csm"].post(PAGE + "origins/", {"origin": "https://x.example"}).status_code == 403


def test_admins_set_the_look(actors):
    response = actors["admin"].post(
        PAGE + "look/",
        {"accent_colour": "#AA3300", "position": "bottom-left", "show_ideas": "on"},
    )
    assert response.status_code == 302
    row = WidgetSettings.objects.get()
    assert (row.accent_colour, row.position) == ("#aa3300", "bottom-left")
    assert (row.show_checklist, row.show_whats_new, row.show_ideas) == (False, False, True)
    bad = actors["admin"].post(PAGE + "look/", {"accent_colour": "red", "position": "top"})
    assert bad.status_code == 400


def test_the_manage_menu_links_the_page_for_admins_only(actors):
    link = f'href="{PAGE}"'
    assert link in actors["admin"].get("/jobs/").content.decode()
    assert link not in actors["csm"].get("/jobs/").content.decode()
