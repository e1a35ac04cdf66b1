"""The score table of a recommendation ("How the score was made"): one row per criterion that counted, with its
weight, how well the pair did on it, and the points it added.

Guarantees (tests/web/test_score_table.py checks them on random breakdowns):
- the weights shown add up to exactly 100.0 % (shares of the criteria that applied, rounded to 0.1 by largest
  remainder, so rounding never shows 99 % or 101 %);
- the points shown add up to the score, to 0.1 (largest-remainder rounding of the exact points);
- each row's points equal its weight times its criterion score, to within rounding (0.1 point).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["criteria_rows", "largest_remainder"]


def largest_remainder(values: list[float], total: int, caps: list[int] | None = None) -> list[int]:
    """Integers proportional to ``values`` that add up to exactly ``total`` (Hamilton's method). ``caps``: an
    integer no row is rounded up past (a row at its cap gives its turn to the next remainder)."""
    if not values:
        return []
    scale = sum(values)
    if scale <= 0:
        return [0] * len(values)
    exact = [v * total / scale for v in values]
    floors = [math.floor(x) for x in exact]
    short = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    if caps is not None:  # floating-point error can put a row at its cap a hair above it
        order = [i for i in order if floors[i] < caps[i]] + [i for i in order if floors[i] >= caps[i]]
    for i in order[:short]:
        floors[i] += 1
    return floors


def criteria_rows(breakdown: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Rows ``{"name", "weight", "score", "points"}`` (weight and score in %, points out of 100) of the criteria
    that applied, and their totals ``{"weight": 100.0, "points": <score>}``."""
    used = [
        (name, float(b.get("weight") or 0.0), float(b.get("score") or 0.0), float(b.get("points") or 0.0))
        for name, b in breakdown.items()
        if b.get("applicable") and float(b.get("weight") or 0.0) > 0
    ]
    if not used:
        return {"rows": [], "total_weight": 0.0, "total_points": 0.0}
    tenths = largest_remainder([w for _, w, _, _ in used], 1000)
    # Points from the weights as shown (so a row never shows more points than its weight): weight × score, then
    # largest-remainder rounding to the total, which keeps each row within 0.1 of weight × score.
    exact_points = [(t / 10) * s for (_, _, s, _), t in zip(used, tenths, strict=True)]
    score = sum(exact_points)
    point_tenths = largest_remainder(exact_points, round(score * 10), tenths) if score > 0 else [0] * len(used)
    rows = [
        {"name": name, "weight": t / 10, "score": round(100 * s, 1), "points": p / 10}
        for (name, _, s, _), t, p in zip(used, tenths, point_tenths, strict=True)
    ]
    return {"rows": rows, "total_weight": sum(tenths) / 10, "total_points": sum(point_tenths) / 10}
