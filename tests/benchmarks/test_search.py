"""Search on PostgreSQL (`make bench`): a broad board search over 10,000 matching ideas,
and how often similar-idea suggestions find the true duplicate.

Broad search: 10,000 ideas in English, Spanish and Greek all contain the searched word,
among 10,000 that do not. Measured: the SQL time of the board's search page as a
customer (match, rank, count and first page), median of 20 requests, against the 130 ms
the same search spent in SQL when the vector was computed for every matching row, and
the page's query count, which must not change with the search.

Duplicates: recall@5 of the true duplicate over the labelled pairs of
tests/feedback/data/duplicates.csv, against the 0.8 it must reach.
"""

from __future__ import annotations

import statistics
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from core.roles import Role
from feedback.models import Idea
from tests.accounts.factories import UserFactory
from tests.benchmarks.pages import query_count, signed_in_get, sql_time
from tests.benchmarks.report import report
from tests.feedback import duplicates

pytestmark = [pytest.mark.benchmark, pytest.mark.needs_postgres, pytest.mark.timeout(900)]

MATCHING = 10_000
OTHERS = 10_000
REQUESTS = 20
SEARCHED = "excel"
#: SQL time of this search with the vector computed per row, before it was stored.
REFERENCE_SQL_MS = 130.0
#: The matching ideas, per language; every title names the searched word.
SENTENCES = {
    "en": ("Export {n}: reports to Excel every week", "Customers ask to export their data."),
    "es": ("Exportación {n} de informes a Excel", "Queremos exportar los informes cada semana."),
    "el": ("Εξαγωγή {n} αναφορών σε Excel", "Θέλουμε εξαγωγή των αναφορών κάθε εβδομάδα."),
}


@pytest.fixture(scope="module")
def customer(django_db_setup, django_db_blocker):
    """20,000 ideas loaded in SQL and committed; the customer who searches them."""
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            for language, (title, description) in SENTENCES.items():
                cursor.execute(
                    """
                    INSERT INTO feedback_idea (title, description, description_html, status,
                        language, vote_count, comment_count, trend_score, created_at,
                        updated_at)
                    SELECT replace(%s, '{n}', g::text), %s, '', 'open', %s, g %% 97, 0, 0,
                           now(), now()
                    FROM generate_series(1, %s) g
                    """,
                    [title, description, language, MATCHING // len(SENTENCES) + 1],
                )
            cursor.execute(
                """
                INSERT INTO feedback_idea (title, description, description_html, status,
                    language, vote_count, comment_count, trend_score, created_at, updated_at)
                SELECT 'Dark mode ' || g, 'Easier on the eyes at night.', '', 'open', 'en',
                       g %% 89, 0, 0, now(), now()
                FROM generate_series(1, %s) g
                """,
                [OTHERS],
            )
            cursor.execute("VACUUM ANALYZE feedback_idea")
        yield UserFactory(role=Role.CUSTOMER)


def test_broad_search_over_10k_matches(customer, db):
    get = signed_in_get(customer)
    search = get(f"{reverse('feedback:board')}?{urlencode({'q': SEARCHED})}")
    narrow = get(f"{reverse('feedback:board')}?{urlencode({'q': 'dark'})}")
    search()  # warm caches and connections
    spent = []
    for _ in range(REQUESTS):
        with sql_time() as statements:
            search()
        spent.append(sum(statements))
    matches = Idea.objects.matching(SEARCHED).count()
    with sql_time() as statements:
        search()
    print(
        f"\n[bench] broad search: {matches:,} matching ideas; SQL per query (ms): "
        + ", ".join(f"{ms:.1f}" for ms in statements)
    )
    ratio = report(
        "broad search, SQL per page",
        measured=statistics.median(spent),
        reference=REFERENCE_SQL_MS,
        unit="ms",
    )
    assert matches >= MATCHING
    assert ratio < 1
    assert query_count(search) == query_count(narrow)


@pytest.mark.django_db
def test_similar_ideas_recall_at_5():
    rows = duplicates.pairs()
    duplicates.board_of(rows)
    recall = duplicates.recall_at_k(rows)
    print(
        f"\n[bench] duplicates: {recall.found} of {recall.total} found in the first {duplicates.K}"
    )
    for new, existing, suggested in recall.misses:
        print(f"[bench]   missed {existing!r} for {new!r}; suggested {suggested}")
    report(
        f"similar ideas recall@{duplicates.K}",
        measured=recall.value * 100,
        reference=duplicates.RECALL_TARGET * 100,
        unit="%",
    )
    assert recall.value >= duplicates.RECALL_TARGET
