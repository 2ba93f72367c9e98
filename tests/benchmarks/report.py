"""One printed line per benchmark figure: measured, reference, and their ratio."""

from __future__ import annotations

import statistics


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def report(name: str, *, measured: float, reference: float, unit: str) -> float:
    ratio = measured / reference
    print(
        f"\n[bench] {name}: measured {measured:,.1f} {unit}, "
        f"reference {reference:,.1f} {unit}, ratio {ratio:.2f}"
    )
    return ratio
