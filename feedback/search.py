"""Finding ideas by words: PostgreSQL full-text search, or LIKE on SQLite.

``search_vector()`` is the exact expression the GIN index of migration 0002 is built on;
PostgreSQL uses the index only when the query repeats it, so both take it from here.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

WORD = re.compile(r"\w+", re.UNICODE)
#: Words too common to say anything about an idea's subject (PostgreSQL drops its own).
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "be", "but", "by", "can", "for", "from", "have", "i", "in",
    "is", "it", "of", "on", "or", "should", "that", "the", "this", "to", "we", "with", "would",
    "you", "please", "add", "allow",
})  # fmt: skip


def search_vector():
    return SearchVector("title", "description", config="english")


def words(text: str, *, limit: int = 8) -> list[str]:
    found = [w.lower() for w in WORD.findall(text)]
    return [w for w in found if len(w) > 1 and w not in STOP_WORDS][:limit]


def ideas_matching(queryset: QuerySet, text: str, *, any_word: bool = False) -> QuerySet:
    """Ideas whose title or description contain the words of ``text``, best first.

    ``any_word`` ORs the words (similar-idea suggestions, where a title being typed
    shares only some words with the duplicate); otherwise all words must match (search).
    The last word is matched as a prefix, since it may still be being typed.
    """
    terms = words(text)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        joiner = " | " if any_word else " & "
        raw = joiner.join([*terms[:-1], f"{terms[-1]}:*"])
        query = SearchQuery(raw, search_type="raw", config="english")
        # Filtering on the annotated vector repeats the indexed expression, so the GIN
        # index answers the match; the rank orders the few rows that match.
        return (
            queryset.annotate(search=search_vector())
            .filter(search=query)
            .annotate(search_rank=SearchRank(F("search"), query))
            .order_by("-search_rank", "-vote_count", "-pk")
        )
    condition = Q()
    for term in terms:
        match = Q(title__icontains=term) | Q(description__icontains=term)
        condition = (condition | match) if any_word else (condition & match)
    return queryset.filter(condition).order_by("-vote_count", "-pk")
