"""The public roadmap and the changelog in Spanish and Greek: column names, the day an
item shipped in one whole sentence, and months as each language names them."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from roadmap.models import Column
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

SHIPPED = date(2026, 6, 5)


@pytest.mark.parametrize(
    ("language", "column", "shipped"),
    [
        ("es", "Planificado", 'Lanzado el <time datetime="2026-06-05">5 de junio de 2026</time>'),
        (
            "el",
            "Προγραμματισμένα",
            'Κυκλοφόρησε στις <time datetime="2026-06-05">5 Ιουνίου 2026</time>',
        ),
    ],
)
def test_the_public_roadmap_reads_in_the_readers_language(client, language, column, shipped):
    RoadmapItemFactory(column=Column.PLANNED)
    RoadmapItemFactory(column=Column.SHIPPED, shipped_on=SHIPPED)
    response = client.get(reverse("roadmap:public"), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200
    assert column in html
    assert shipped in html


@pytest.mark.parametrize(("language", "month"), [("es", "junio de 2026"), ("el", "Ιούνιος 2026")])
def test_the_changelog_groups_by_month_in_the_readers_language(client, language, month):
    RoadmapItemFactory(column=Column.SHIPPED, shipped_on=SHIPPED)
    response = client.get(reverse("roadmap:changelog"), HTTP_ACCEPT_LANGUAGE=language)
    assert month in response.content.decode()
