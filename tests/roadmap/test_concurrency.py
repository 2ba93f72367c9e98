"""Editors moving cards at the same moment on PostgreSQL: positions stay dense."""

from __future__ import annotations

import random
import threading
from functools import partial

import pytest
from django.db import connection
from django.urls import reverse

from roadmap import services
from roadmap.models import Column, RoadmapItem
from tests.concurrency import race

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


# --- An edit racing a delete ---------------------------------------------------------

PAIRS = 10


def _edits_racing_deletes(edit, delete) -> list[object]:
    """For each of PAIRS fresh items, ``edit(item)`` and ``delete(item)`` released at
    the same moment from two threads; every outcome (response or exception)."""
    outcomes: list[object] = []
    for n in range(PAIRS):
        item = services.item_create(title=f"Racing {n}", actor=None, column=Column.PLANNED)
        outcomes += race([partial(edit, item), partial(delete, item)], threads=2)
    return outcomes


def _codes(outcomes: list[object]) -> set[object]:
    return {getattr(outcome, "status_code", outcome) for outcome in outcomes}


@pytest.mark.parametrize("edit", ["patch", "move"])
def test_an_api_edit_racing_its_delete_answers_404_never_500(client_for, pm, edit):
    """The edit looked the item up before the delete committed and the service, holding
    the board lock, read it again after: that is a 404, as if it came a moment later."""
    editor, deleter = client_for(pm), client_for(pm)

    def change(item):
        if edit == "patch":
            url = reverse("roadmap-item-detail", kwargs={"pk": item.pk})
            return editor.patch(url, {"title": "Renamed"}, content_type="application/json")
        url = reverse("roadmap-item-move", kwargs={"pk": item.pk})
        return editor.post(url, {"column": Column.SHIPPED}, content_type="application/json")

    def delete(item):
        return deleter.delete(reverse("roadmap-item-detail", kwargs={"pk": item.pk}))

    outcomes = _edits_racing_deletes(change, delete)

    assert _codes(outcomes) <= {200, 204, 404}, outcomes
    assert not RoadmapItem.objects.exists()
    assert _positions_are_dense()


def test_a_page_edit_racing_its_delete_says_so_on_the_board(client_for, pm):
    editor, deleter = client_for(pm), client_for(pm)

    def move(item):
        url = reverse("roadmap:item_move", kwargs={"pk": item.pk})
        return editor.post(url, {"direction": "right"}, HTTP_HX_REQUEST="true")

    def delete(item):
        return deleter.post(reverse("roadmap:item_delete", kwargs={"pk": item.pk}))

    outcomes = _edits_racing_deletes(move, delete)

    # 200: the board (moved, or "deleted meanwhile"); 302: deleted; 404: looked up after.
    assert _codes(outcomes) <= {200, 302, 404}, outcomes
    assert not RoadmapItem.objects.exists()
