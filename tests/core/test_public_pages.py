"""The doors a visitor meets first: the signed-out home, the API docs and Django's admin
site answer with our own pages (sign in, 403), and the header's user menu."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_signed_out_home_says_what_the_site_is_and_what_one_may_read(client):
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Customer success, self-hosted" in html
    assert len(re.findall(r'<p class="page-subtitle">', html)) == 2
    links = re.findall(r'<ul class="welcome-links">(.*?)</ul>', html, re.S)[0]
    assert f'href="{reverse("roadmap:public")}"' in links
    assert f'href="{reverse("roadmap:changelog")}"' in links
    assert f'href="{reverse("login")}"' in links
    # The board is not public by default, so it is not offered.
    assert f'href="{reverse("feedback:board")}"' not in links


def test_the_home_of_a_signed_in_user_is_their_roles_page(actors):
    assert actors["csm"].get(reverse("home"))["Location"] == reverse("plays:today")


def test_the_api_docs_send_a_signed_out_visitor_to_sign_in_and_back(client):
    response = client.get("/api/docs/", HTTP_ACCEPT="text/html")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/api/docs/"


def test_the_admin_site_sends_a_signed_out_visitor_to_our_sign_in(client):
    response = client.get("/admin/roadmap/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next=/admin/roadmap/"
    assert "Sign in to csplatform" in response.content.decode()


@pytest.mark.parametrize("actor", ["customer", "csm", "pm"])
def test_the_admin_site_shows_our_403_page_to_whoever_is_not_an_admin(actors, actor):
    response = actors[actor].get("/admin/", follow=True)
    assert response.status_code == 403
    assert "have access to this page" in response.content.decode()
    assert "Django administration" not in response.content.decode()


def test_an_admin_reaches_the_admin_site(actors):
    assert actors["admin"].get("/admin/").status_code == 200
    back = actors["admin"].get("/admin/login/?next=/admin/roadmap/")
    assert back["Location"] == "/admin/roadmap/"


def test_the_admin_sign_in_does_not_send_anyone_to_another_site(actors):
    response = actors["admin"].get("/admin/login/?next=https://elsewhere.example/")
    assert response["Location"] == reverse("admin:index")


def _user_menu(html: str) -> str:
    return re.findall(r'<details class="user-menu".*?</details>', html, re.S)[0]


def test_the_user_menu_names_the_person_and_role_once_and_the_admin_site_to_admins(actors):
    admin_menu = _user_menu(actors["admin"].get(reverse("roadmap:public")).content.decode())
    assert admin_menu.count("Administration site") == 1
    assert admin_menu.count(">Admin<") == 1  # the role, said once
    assert "Sign out" in admin_menu
    csm_menu = _user_menu(actors["csm"].get(reverse("roadmap:public")).content.decode())
    assert "Administration site" not in csm_menu
    assert "Customer success manager" in csm_menu
