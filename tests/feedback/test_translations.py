"""The board in Spanish and Greek: an idea's status agrees with "idea" in gender, dates
are written in words, and the API explains a refused title in the reader's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.statuses import IdeaStatus
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "status", "day"),
    [
        ("es", "Planificada", "15 de junio de 2026"),
        ("el", "Προγραμματισμένη", "15 Ιουνίου 2026"),
    ],
)
def test_an_idea_page_reads_in_the_readers_language(client_for, customer_a, language, status, day):
    idea = IdeaFactory(status=IdeaStatus.PLANNED)
    response = client_for(customer_a).get(
        reverse("feedback:idea", args=[idea.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert status in html
    assert day in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "El título debe tener al menos 5 caracteres."),
        ("el", "Ο τίτλος χρειάζεται τουλάχιστον 5 χαρακτήρες."),
    ],
)
def test_the_api_refuses_a_short_title_in_the_readers_language(
    client_for, customer_a, language, message
):
    response = client_for(customer_a).post(
        reverse("idea-list"),
        {"title": "Abc", "description": "Details"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert message in str(response.json())
