"""The cast of the demo: which story each demo account is built to tell.

Pure: numbers in, parts out, no database. Every demo module builds its share of the data
to fit each account's part, so the stories hold on any day and for any seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

ENGAGED, DECLINING, DORMANT = "engaged", "declining", "dormant"
FAST, ON_TRACK, LATE, STUCK = "fast", "on_track", "late", "stuck"
#: Days the demo's usage goes back (demo.services.activity); established accounts
#: started before it, so their onboarding is history checked off by hand.
USAGE_DAYS = 160
#: Onboarding journeys: how many days ago each kind started. The default template's
#: target is 60 days and "at risk" starts at 75% of it (45 days).
JOURNEY_AGES = {FAST: (25, 40), ON_TRACK: (8, 20), LATE: (68, 80), STUCK: (47, 57)}


@dataclass(frozen=True)
class Part:
    """The story one demo account plays, decided before any of its data is made.

    ``usage``: engaged (steady use: green), declining (use fading over three months:
    yellow) or dormant (silent for the last six weeks or so: red on any day, by every
    measure that reads usage). ``journey``: "" for an account onboarded long ago, else
    the onboarding it is in the middle of. ``renews_in``: days to a renewal the story
    needs soon, else None (the next contract anniversary).
    """

    usage: str
    journey: str = ""
    renews_in: int | None = None


def cast(count: int, seed: int) -> list[Part]:
    """The part of each of ``count`` demo accounts, in external-ID order.

    Built, not drawn: whatever the seed and the day, about a sixth of the book is dormant
    (one more than 15%, because the health demo overrides one of them to yellow and gives
    another a gamed green sentiment), one onboarding is late and one stuck, and a few
    accounts renew within 90 days, two of them red. The seed only decides who plays which
    part. The first account, whose champion is the demo customer, is always engaged.
    """
    if count < 1:
        return []
    dormant = min(count, math.ceil(0.15 * count) + 1)
    parts = [
        Part(DORMANT, renews_in=40),
        Part(DORMANT, renews_in=75),
        *(Part(DORMANT) for _ in range(dormant - 2)),
        Part(ENGAGED, journey=LATE),
        Part(ENGAGED, journey=STUCK),
        *(Part(ENGAGED, journey=FAST) for _ in range(math.ceil(0.08 * count))),
        *(Part(ENGAGED, journey=ON_TRACK) for _ in range(math.ceil(0.05 * count))),
        Part(DECLINING, renews_in=20),
        *(Part(DECLINING) for _ in range(round(0.25 * count) - 1)),
        Part(ENGAGED, renews_in=60),
        Part(ENGAGED, renews_in=85),
    ][:count]
    parts += [Part(ENGAGED)] * (count - len(parts))
    rng = random.Random(f"cast-{seed}")
    rng.shuffle(parts)
    engaged = [i for i, part in enumerate(parts) if part.usage == ENGAGED]
    if not engaged:  # a book of one or two: the demo customer's account is healthy
        parts[0] = Part(ENGAGED)
    elif engaged[0]:
        parts[0], parts[engaged[0]] = parts[engaged[0]], parts[0]
    return parts
