"""Every door that searches ideas (board, API, triage, similar-ideas box) runs the same
number of queries whether a few ideas match or many, in every language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.feedback.factories import IdeaFactory, TagFactory, VoteFactory

pytestmark = pytest.mark.django_db

TITLES = ("Export reports to Excel {n}", "Exportar informes a Excel {n}", "Εξαγωγή σε Excel {n}")
DOORS = [
    ("feedback:board", {"q": "excel"}, "customer_a"),
    ("idea-list", {"search": "excel"}, "customer_a"),
    ("feedback:triage", {"q": "excel"}, "pm"),
    ("feedback:similar", {"title": "Excel reports"}, "customer_a"),
]


def _seed(count: int) -> None:
    tag = TagFactory()
    for n in range(count):
        for language, title in zip(("en", "es", "el"), TITLES, strict=True):
            idea = IdeaFactory(title=title.format(n=n), language=language)
            idea.tags.add(tag)
            VoteFactory(idea=idea)


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("name", "params", "actor"), DOORS, ids=[d[0] for d in DOORS])
def test_search_query_count_does_not_grow_with_matches(request, client_for, name, params, actor):
    client = client_for(request.getfixturevalue(actor))
    url = reverse(name)
    _seed(1)
    _queries(client, url, params)  # warm the caches (status labels, session)
    few = _queries(client, url, params)
    _seed(10)
    assert _queries(client, url, params) == few
