"""Shared pieces of the demo generator: the reference date, the block size of deterministic streams, and
weighted picks."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from itertools import accumulate
from typing import Generic, TypeVar

from pydantic import BaseModel

#: The reference date of the demo (so the same seed gives the same dates on every day).
DEMO_TODAY = date(2026, 11, 1)
#: Records per random stream (each block of records draws from its own seeded stream: demo/_generate.py).
BLOCK = 1000

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class _Pick(Generic[T]):
    """Weighted choice by bisection over cumulative weights (faster than ``random.choices`` per call)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum = list(accumulate(float(p[1]) for p in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> T:
        i = bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]
