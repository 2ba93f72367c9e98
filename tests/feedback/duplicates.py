"""The labelled duplicate set (``data/duplicates.csv``) and how well similar-idea
suggestions find its duplicates: shared by the test and by ``make bench``.

Each row pairs a title being typed with an idea already on the board, in one language,
and says whether the two ask for the same thing. Every existing title of the file is
on the board at once, so each search sees all the others as distractors, including the
non-duplicates chosen for sharing words with the typed title.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from feedback.models import Idea
from feedback.selectors.board import similar_ideas

DATA = Path(__file__).parent / "data" / "duplicates.csv"
#: Suggestions the similar-ideas box shows: the true duplicate must be among them.
K = 5
RECALL_TARGET = 0.8


@dataclass(frozen=True)
class Pair:
    language: str
    new_title: str
    existing_title: str
    duplicate: bool


def pairs() -> list[Pair]:
    with DATA.open(encoding="utf-8") as file:
        return [
            Pair(row["language"], row["new_title"], row["existing_title"], row["duplicate"] == "1")
            for row in csv.DictReader(file)
        ]


def board_of(rows: list[Pair]) -> None:
    """Every existing title of the set, once, as an idea in its language."""
    titles = {(row.existing_title, row.language) for row in rows}
    Idea.objects.bulk_create(
        Idea(title=title, language=language) for title, language in sorted(titles)
    )


@dataclass(frozen=True)
class Recall:
    found: int
    total: int
    misses: list[tuple[str, str, list[str]]]

    @property
    def value(self) -> float:
        return self.found / self.total


def recall_at_k(rows: list[Pair]) -> Recall:
    """Share of duplicate pairs whose existing idea is among the first ``K`` suggestions
    for the new title; the misses say what was suggested instead."""
    found, misses = 0, []
    duplicates = [row for row in rows if row.duplicate]
    for row in duplicates:
        suggested = [idea.title for idea in similar_ideas(row.new_title, language=row.language)]
        if row.existing_title in suggested[:K]:
            found += 1
        else:
            misses.append((row.new_title, row.existing_title, suggested))
    return Recall(found=found, total=len(duplicates), misses=misses)
