"""The web process's garbage collector, tuned for a server that keeps large caches (issue #18).

A web worker holds about 430,000 Python objects once warm (taxonomy, models' vocabularies, the talent index's
companions, the lexical pool, the recommendation lists kept). CPython's cyclic collector scanned all of them in
each full (generation 2) collection: 250–450 ms with the process's requests stopped, about every 4 s per worker
under 200 requests a second (``benchmarks/bench_scale.py``, 4 workers on 2 cores) — the recommendation endpoints'
p95 was that pause. Two changes, in ``serve``'s processes only (never in tests or the CLI):

* ``THRESHOLDS``: the youngest generation is collected every 20,000 allocations instead of 700, so that the objects
  of requests in flight are rarely caught alive by a collection and promoted (they die young, freed by reference
  counting); the older generations follow 50 and 100 of those. Full collections went from 39 over 100 ms to 4 in
  the same 40 s run.
* ``settle()`` after the warm-up: one full collection, then ``gc.freeze()`` — everything alive then (the loaded
  models and taxonomy) moves to the permanent generation, which no later collection scans. Reference counting
  still frees those objects; only cycles among them would stay until the next ``settle``.
"""

from __future__ import annotations

import gc

__all__ = ["THRESHOLDS", "tune", "settle"]

#: ``gc.set_threshold`` for a web process (CPython's default: 700, 10, 10).
THRESHOLDS = (20_000, 50, 100)


def tune() -> None:
    """Set ``THRESHOLDS`` (a web process, at start)."""
    gc.set_threshold(*THRESHOLDS)


def settle() -> None:
    """Collect everything once, then freeze what is alive (after the warm-up: the long-lived part of the heap)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
