"""Board search and similar-idea suggestions: the LIKE fallback of the embedded mode and
PostgreSQL's full-text path, whose GIN index must actually answer the match."""

from __future__ import annotations

import pytest
from django.db import connection

from feedback.models import Idea
from feedback.search import ideas_matching
from feedback.selectors.board import board_ideas, similar_ideas
from feedback.statuses import IdeaStatus
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def _titles(ideas) -> list[str]:
    return [idea.title for idea in ideas]


def test_board_search_needs_every_word(customer_a):
    IdeaFactory(title="Export reports to Excel")
    IdeaFactory(title="Export audit log")
    assert _titles(board_ideas(user=customer_a, search="export excel")) == [
        "Export reports to Excel"
    ]


def test_similar_needs_any_word_and_ranks_more_votes_first_on_sqlite(customer_a):
    IdeaFactory(title="Export audit log", vote_count=2)
    IdeaFactory(title="Excel add-in", vote_count=9)
    IdeaFactory(title="Dark mode", vote_count=50)
    found = _titles(similar_ideas("Excel export", language="en", user=customer_a))
    assert set(found) == {"Export audit log", "Excel add-in"}
    if connection.vendor == "sqlite":
        assert found == ["Excel add-in", "Export audit log"]


def test_the_last_word_matches_as_a_prefix_while_typing(customer_a):
    IdeaFactory(title="Salesforce integration")
    assert _titles(similar_ideas("salesfo", language="en", user=customer_a)) == [
        "Salesforce integration"
    ]


def test_search_keeps_the_other_filters_and_hides_merged(customer_a):
    target = IdeaFactory(title="Export to Excel", status=IdeaStatus.PLANNED)
    IdeaFactory(title="Export to Excel too", status=IdeaStatus.MERGED, merged_into=target)
    IdeaFactory(title="Export to Excel, open", status=IdeaStatus.OPEN)
    found = board_ideas(user=customer_a, search="excel", status=IdeaStatus.PLANNED)
    assert _titles(found) == ["Export to Excel"]


def test_a_chosen_sort_wins_over_relevance(customer_a):
    IdeaFactory(title="Excel export excel excel", vote_count=1)
    IdeaFactory(title="Excel", vote_count=5)
    assert _titles(board_ideas(user=customer_a, search="excel", sort="top")) == [
        "Excel",
        "Excel export excel excel",
    ]


def test_stop_words_alone_find_nothing(customer_a):
    IdeaFactory(title="The best idea")
    assert _titles(similar_ideas("the and of", language="en", user=customer_a)) == []


@pytest.mark.needs_postgres
def test_postgres_ranks_ideas_matching_more_words_first(customer_a):
    IdeaFactory(title="Export audit log", vote_count=40)
    IdeaFactory(title="Scheduled Excel export of reports", vote_count=1)
    IdeaFactory(title="Excel add-in", vote_count=30)
    found = _titles(similar_ideas("Excel export", language="en", user=customer_a))
    assert found[0] == "Scheduled Excel export of reports"
    assert set(found) == {"Export audit log", "Scheduled Excel export of reports", "Excel add-in"}


@pytest.mark.needs_postgres
def test_postgres_stems_words(customer_a):
    IdeaFactory(title="Exporting dashboards")
    assert _titles(board_ideas(user=customer_a, search="dashboard exports")) == [
        "Exporting dashboards"
    ]


@pytest.mark.needs_postgres
@pytest.mark.parametrize("any_word", [False, True])
def test_postgres_search_uses_the_gin_index(any_word):
    """The match is answered by idea_search_gin (migration 0007), the index on the stored
    vector, not by a scan of every idea."""
    Idea.objects.bulk_create(
        Idea(title=f"Idea {n} about {word}", description="Some words")
        for n, word in enumerate(["billing", "exports", "sso", "reports", "mobile"] * 100)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feedback_idea")
        # A small table would be scanned anyway; forbid the scan to see whether the
        # index can serve the query at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
    queryset = ideas_matching(Idea.objects.on_board(), "billing export", any_word=any_word)
    plan = queryset.explain()
    assert "idea_search_gin" in plan, plan
    assert len(list(queryset)) == (200 if any_word else 0)
