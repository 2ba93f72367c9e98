"""Editors moving cards at the same moment on PostgreSQL: positions stay dense."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection

from roadmap import services
from roadmap.models import Column, RoadmapItem

pytestmark = [pytest.mark.needs_postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6
MOVES_PER_THREAD = 5


def _positions_are_dense() -> bool:
    for column in Column.values:
        positions = list(
            RoadmapItem.objects.filter(column=column)
            .order_by("position")
            .values_list("position", flat=True)
        )
        if positions != list(range(len(positions))):
            return False
    return True


def test_concurrent_moves_and_creates_keep_every_column_dense():
    """GIVEN a board of twelve items, WHEN six editors each move five random cards and
    add one at the same time, THEN no column has a gap or a tie and nothing failed."""
    items = [
        services.item_create(title=f"Item {n}", actor=None, column=Column.values[n % 3])
        for n in range(12)
    ]
    pks = [item.pk for item in items]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def editor(seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait()
            for _ in range(MOVES_PER_THREAD):
                item = RoadmapItem(pk=rng.choice(pks))
                services.item_move(
                    item=item, column=rng.choice(Column.values), position=rng.randint(0, 6)
                )
            services.item_create(title=f"New {seed}", actor=None, column=Column.PLANNED)
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert RoadmapItem.objects.count() == 12 + THREADS
    assert _positions_are_dense()
    # The check constraint held throughout: every shipped item has its date.
    assert not RoadmapItem.objects.filter(column=Column.SHIPPED, shipped_on__isnull=True)
