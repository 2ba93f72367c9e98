"""Finding ideas by words: PostgreSQL full-text search in each idea's language, or LIKE on
SQLite.

Every idea stores its search vector (``search_vector``, a generated column of migration
0007): title weighted above description, stemmed with the text-search configuration of
the idea's language (``SEARCH_CONFIGS``). A query cannot know which language the idea it
looks for is written in (a Spanish-speaking customer may well be after an English idea),
so the searched words are parsed with every configuration and the parsed queries are
OR'd: an idea matches when its vector matches the query as its own language would stem
it. Being one constant tsquery, it is answered by the GIN index on the column. A Spanish
idea's vector also holds its words stemmed without accents (migration 0009), so a query
typed without them finds it too.

Similar-idea suggestions (duplicates while a title is being typed) add trigram
similarity of titles (``pg_trgm``) to the full-text rank: the words a person types for
the same need are often not the same words ("Export health scores to Excel" against
"Export any table to CSV"), and the stemmed words alone let two shared common words
outrank the one word that names the need.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryCombinable,
    SearchRank,
    SearchVectorField,
    TrigramDistance,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import BooleanField, Expression, F, Func, Q, QuerySet, Value

WORD = re.compile(r"\w+", re.UNICODE)

#: Language code -> PostgreSQL text-search configuration. Any other language is indexed
#: with ``simple`` (lower-cased words, no stemming). Migration 0007 writes this mapping
#: into the generated column; a test checks that the two agree.
SEARCH_CONFIGS: dict[str, str] = {"en": "english", "es": "spanish", "el": "greek"}
FALLBACK_CONFIG = "simple"

#: Words too common to say anything about an idea's subject, per language, written
#: without accents (``fold``). PostgreSQL drops its own English and Spanish stop words
#: but has no Greek list, and trigram similarity and LIKE see every word, so the words are
#: dropped here for every path. Requests' own filler ("please add", "permitir") included.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset({
        "a", "an", "and", "are", "as", "be", "but", "by", "can", "for", "from", "have", "i",
        "in", "is", "it", "of", "on", "or", "should", "that", "the", "this", "to", "we",
        "with", "would", "you", "please", "add", "allow", "our", "my", "me", "us", "so",
        "when", "into", "at", "any", "all", "more", "new", "need", "want", "let", "way",
    }),
    "es": frozenset({
        "a", "al", "de", "del", "el", "la", "las", "lo", "los", "un", "una", "unos", "unas",
        "y", "o", "u", "e", "en", "con", "por", "para", "que", "se", "su", "sus", "es", "son",
        "como", "mas", "pero", "sin", "sobre", "entre", "desde", "hasta", "cada", "este",
        "esta", "estos", "estas", "ese", "esa", "nos", "les", "le", "me", "mi", "mis", "tu",
        "cuando", "todo", "todos", "todas", "cualquier", "nuestro", "nuestra", "nuestros",
        "poder", "favor", "anadir", "agregar", "permitir", "nuevo", "nueva",
    }),
    "el": frozenset({
        "ο", "η", "το", "οι", "τα", "του", "τησ", "των", "τον", "την", "τη", "στο", "στη",
        "στην", "στον", "στα", "στουσ", "στισ", "σε", "και", "κι", "να", "με", "για", "απο",
        "ενα", "ενασ", "μια", "ειναι", "θα", "δεν", "μη", "μην", "που", "οτι", "ωσ", "αλλα",
        "καθε", "οταν", "πωσ", "αν", "ασ", "μασ", "σασ", "μου", "σου", "τουσ", "τισ", "ολα",
        "ολουσ", "ολεσ", "οποιο", "οποιοδηποτε", "παρακαλω", "προσθηκη", "νεο", "νεα",
    }),
}  # fmt: skip
ALL_STOP_WORDS = frozenset().union(*STOP_WORDS.values())
#: How much a title's trigram similarity (0..1) counts beside the full-text rank (of the
#: order of 0.1 to 1 for words matched in a title), tuned on the labelled pairs of
#: tests/feedback/data/duplicates.csv: 0.91 recall@5 without trigrams, 0.94 with.
TRIGRAM_WEIGHT = 1.0
#: How many ideas of each signal the similar-ideas ranking considers: far more than the
#: handful it shows, so the sum of the two signals still picks the best.
SIMILAR_CANDIDATES = 200


def search_config(language: str) -> str:
    """The text-search configuration of a language code ("es", "es-ar" -> spanish)."""
    return SEARCH_CONFIGS.get(language.lower().split("-")[0], FALLBACK_CONFIG)


def fold(word: str) -> str:
    """A word lower-cased without accents and with one sigma: how stop words are written."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("ς", "σ")


def words(text: str, *, limit: int = 8) -> list[str]:
    """The words of ``text`` that say something, in order, lower-cased, at most ``limit``.

    Stop words of every language are dropped, whatever the text's language: the lists
    hardly overlap, and a Spanish title often carries English product words.
    """
    found = [w.lower() for w in WORD.findall(text)]
    return [w for w in found if len(w) > 1 and fold(w) not in ALL_STOP_WORDS][:limit]


class StoredVector(Expression):
    """``search_vector`` of the idea table, which Django does not model (see migration
    0007): read under whatever alias the table has in the query."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


class TrigramMatch(Func):
    """``a % b``: pg_trgm's similarity of the two above its threshold (0.3 unless set),
    the form of the test its GIN index answers."""

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _query(terms: list[str], *, any_word: bool, configs: Iterable[str]) -> SearchQueryCombinable:
    """``terms`` as one tsquery per configuration, OR'd; the last term is a prefix, since
    it may still be being typed. Terms are ``\\w+`` only, so they need no quoting."""
    joiner = " | " if any_word else " & "
    raw = joiner.join([*terms[:-1], f"{terms[-1]}:*"])
    queries = [SearchQuery(raw, search_type="raw", config=config) for config in configs]
    combined: SearchQueryCombinable = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined


def _every_config() -> list[str]:
    return [*dict.fromkeys(SEARCH_CONFIGS.values()), FALLBACK_CONFIG]


def ideas_matching(queryset: QuerySet, text: str, *, any_word: bool = False) -> QuerySet:
    """Ideas whose title or description contain the words of ``text``, best first.

    ``any_word`` ORs the words (a title being typed shares only some words with the idea
    it repeats); otherwise all words must match (search).
    """
    terms = words(text)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        query = _query(terms, any_word=any_word, configs=_every_config())
        return (
            queryset.annotate(search=StoredVector())
            .filter(search=query)
            .annotate(search_rank=SearchRank(F("search"), query))
            .order_by("-search_rank", "-vote_count", "-pk")
        )
    return _like(queryset, terms, any_word=any_word)


def ideas_similar(queryset: QuerySet, text: str, *, language: str) -> QuerySet:
    """Ideas that may be the one ``text`` (a title, in ``language``) asks for, best first.

    On PostgreSQL an idea qualifies by sharing a word (stemmed as ``language`` stems it,
    or as written) or by a title alike in its letters (pg_trgm's ``%``, similarity of at
    least 0.3), and ranks by the sum of the two signals; ties go to the idea more people
    want. SQLite shares any word.

    Only the best :data:`SIMILAR_CANDIDATES` ideas of each signal are ranked: the words'
    by their rank, and the titles nearest ``text`` from the GiST trigram index
    (migration 0011), whatever their similarity. An idea outside both lists trails 200
    others on each signal, and could reach the handful shown only by being close behind
    on both at once: an approximation, which the recall of the labelled pairs
    (``tests/benchmarks/test_search.py``) keeps honest. In exchange a board whose titles
    all look alike no longer computes every title's similarity.
    """
    terms = words(text)
    if not terms:
        return queryset.none()
    if connection.vendor != "postgresql":
        return _like(queryset, terms, any_word=True)
    query = _query(terms, any_word=True, configs=[search_config(language), FALLBACK_CONFIG])
    cleaned = " ".join(terms)
    by_words = (
        queryset.alias(search=StoredVector(), words_rank=SearchRank(StoredVector(), query))
        .filter(search=query)
        .order_by("-words_rank")
        .values("pk")[:SIMILAR_CANDIDATES]
    )
    by_title = queryset.order_by(TrigramDistance("title", cleaned)).values("pk")[
        :SIMILAR_CANDIDATES
    ]
    # Aliases, not annotations: a selected similarity would be computed once more per
    # row besides the rank's (PostgreSQL does not share the two).
    return (
        queryset.filter(Q(pk__in=by_words) | Q(pk__in=by_title))
        .alias(search=StoredVector(), title_similarity=TrigramSimilarity("title", cleaned))
        .filter(Q(search=query) | Q(TrigramMatch(F("title"), Value(cleaned))))
        .annotate(
            similar_rank=SearchRank(F("search"), query) + F("title_similarity") * TRIGRAM_WEIGHT
        )
        .order_by("-similar_rank", "-vote_count", "-pk")
    )


def _like(queryset: QuerySet, terms: list[str], *, any_word: bool) -> QuerySet:
    """The embedded database's fallback: LIKE on every word, more votes first."""
    condition = Q()
    for term in terms:
        match = Q(title__icontains=term) | Q(description__icontains=term)
        condition = (condition | match) if any_word else (condition & match)
    return queryset.filter(condition).order_by("-vote_count", "-pk")
