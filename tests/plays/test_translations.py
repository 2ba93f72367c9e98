"""The cockpit and the tasks panel in Spanish and Greek."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import AccountFactory
from tests.plays.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "panel"),
    [
        ("es", "Renovaciones en los próximos 90 días sin plan", "Añadir una tarea"),
        ("el", "Ανανεώσεις τις επόμενες 90 ημέρες χωρίς σχέδιο", "Προσθήκη εργασίας"),
    ],
)
def test_cockpit_and_panel_speak_the_language(csm, client_for, language, heading, panel):
    account = AccountFactory(csm_owner=csm)
    TaskFactory(account=account, owner=csm)
    client = client_for(csm)
    today = client.get(reverse("plays:today"), HTTP_ACCEPT_LANGUAGE=language)
    assert heading in today.content.decode()
    page = client.get(reverse("accounts:detail", args=[account.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert panel in page.content.decode()
