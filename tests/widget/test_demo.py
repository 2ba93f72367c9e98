"""The demo's stand-in vendor page: off unless asked for, and the demo allows it."""

from __future__ import annotations

import pytest

from accounts import services as account_services
from demo.services.widget import seed_widget
from widget.models import AllowedOrigin

pytestmark = pytest.mark.django_db

DEMO = "/widget/demo/"


def test_the_demo_page_is_not_served_unless_asked_for(client, settings):
    settings.WIDGET_DEMO_PAGE = False
    assert client.get(DEMO).status_code == 404


def test_the_demo_page_embeds_the_widget_for_the_demo_customer(
    client, settings, admin_user, customer_a
):
    settings.WIDGET_DEMO_PAGE = True
    account_services.sso_secret_rotate(actor=admin_user)
    page = client.get(DEMO).content.decode()
    assert 'src="/widget.js"' in page
    assert 'data-token="ey' in page
    assert customer_a.contact.email in page


def test_the_demo_allows_its_own_origin_once(settings, admin_user):
    settings.SITE_URL = "http://127.0.0.1:8000"
    seed_widget(admin=admin_user)
    seed_widget(admin=admin_user)
    assert list(AllowedOrigin.objects.values_list("origin", flat=True)) == ["http://127.0.0.1:8000"]
