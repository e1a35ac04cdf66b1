"""Diagnostics of a matching: blocking pairs, unplaced applicants and why, empty seats, rank distribution.

All functions take the flat arrays of :class:`~talentbridge.programs._instance.Arrays` and a ``match`` array
(entry index per applicant or -1) and are vectorized with numpy: O(L) time and memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BlockingPairs", "blocking_pairs", "unmatched_reasons", "rank_distribution", "region_counts"]


@dataclass(frozen=True)
class BlockingPairs:
    """``total``: pairs that prefer each other to the matching. ``cap_limited``: those among them that the
    regional caps excuse (see :func:`blocking_pairs`). ``constrained = total - cap_limited`` is the count that
    matters under caps (zero for flexible DA)."""

    total: int
    cap_limited: int

    @property
    def constrained(self) -> int:
        return self.total - self.cap_limited


def _entry_app(app_ptr: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(app_ptr) - 1, dtype=np.int64), np.diff(app_ptr))


def region_counts(
    match: np.ndarray, app_prog: np.ndarray, prog_region: np.ndarray, n_regions: int
) -> np.ndarray:
    placed = app_prog[match[match >= 0]]
    regions = prog_region[placed]
    return np.bincount(regions[regions >= 0], minlength=n_regions)


def blocking_pairs(
    app_ptr: np.ndarray,
    app_prog: np.ndarray,
    app_prank: np.ndarray,
    capacity: np.ndarray,
    match: np.ndarray,
    prog_region: np.ndarray | None = None,
    region_cap: np.ndarray | None = None,
    target: np.ndarray | None = None,
) -> BlockingPairs:
    """Count pairs ``(a, p)``, mutually acceptable, where ``a`` prefers ``p`` to her assignment (or is
    unplaced) and ``p`` has an empty seat or prefers ``a`` to someone it holds.

    With regional caps and seat targets, ``cap_limited`` counts the pairs Kamada & Kojima's stability
    excuses: ``p`` has an empty seat (it holds nobody worse than ``a``), ``p``'s region is at its cap, and no
    program of the region exceeds its target by more than ``p``'s excess + 1 -- so filling the seat would
    break
    the cap or the even spreading of seats above targets."""
    m = len(capacity)
    ends = app_ptr[1:]
    cutoff = np.where(match >= 0, match, ends)  # entries before the match are the ones a prefers
    entry_app = _entry_app(app_ptr)
    cand = np.flatnonzero(np.arange(len(app_prog)) < cutoff[entry_app])
    placed = match[match >= 0]
    count = np.bincount(app_prog[placed], minlength=m)
    worst = np.full(m, -1, dtype=np.int64)
    np.maximum.at(worst, app_prog[placed], app_prank[placed])
    p = app_prog[cand]
    free_seat = count[p] < capacity[p]
    envy = app_prank[cand] < worst[p]
    blocking = free_seat | envy
    total = int(blocking.sum())
    if prog_region is None or region_cap is None or target is None or not (region_cap >= 0).any():
        return BlockingPairs(total, 0)
    n_regions = len(region_cap)
    full = region_counts(match, app_prog, prog_region, n_regions) >= np.where(
        region_cap >= 0, region_cap, np.inf
    )
    excess = count - target
    top_excess = np.full(n_regions, np.iinfo(np.int64).min, dtype=np.int64)
    in_region = prog_region >= 0
    np.maximum.at(top_excess, prog_region[in_region], excess[in_region])
    reg = prog_region[p]
    has_region = reg >= 0
    region_full = np.where(has_region, full[np.maximum(reg, 0)], False)
    evenly_spread = np.where(has_region, top_excess[np.maximum(reg, 0)] <= excess[p] + 1, False)
    limited = blocking & ~envy & region_full & evenly_spread
    return BlockingPairs(total, int(limited.sum()))


def rank_distribution(match: np.ndarray, app_listed_rank: np.ndarray) -> dict[str, int]:
    """How many placed applicants got their 1st, 2nd, ... choice (as submitted), keys as strings for JSON."""
    ranks = app_listed_rank[match[match >= 0]]
    values, counts = np.unique(ranks, return_counts=True)
    return {str(int(v)): int(c) for v, c in zip(values, counts, strict=True)}


def unmatched_reasons(
    app_ptr: np.ndarray,
    app_prog: np.ndarray,
    capacity: np.ndarray,
    match: np.ndarray,
    listed: np.ndarray,
    prog_region: np.ndarray,
    region_cap: np.ndarray,
) -> np.ndarray:
    """Why each applicant is unplaced, as a code per applicant (``""`` when placed):

    * ``empty_list`` -- submitted no preferences;
    * ``no_acceptable_choice`` -- every listed program does not rank her or a secondment rule forbids it;
    * ``regional_cap`` -- some acceptable program has an empty seat but its region is at its cap;
    * ``not_selected`` -- some acceptable program has an empty seat (max-welfare only: placing her would
      lower the total score);
    * ``capacity`` -- every acceptable program is full with applicants it ranks higher (or has no seats).
    """
    n, m = len(match), len(capacity)
    reasons = np.full(n, "", dtype=object)
    unplaced = match < 0
    lengths = np.diff(app_ptr)
    reasons[unplaced & (listed == 0)] = "empty_list"
    reasons[unplaced & (listed > 0) & (lengths == 0)] = "no_acceptable_choice"
    rest = unplaced & (lengths > 0)
    if not rest.any():
        return reasons
    placed = match[match >= 0]
    count = np.bincount(app_prog[placed], minlength=m)
    n_regions = len(region_cap)
    rcount = region_counts(match, app_prog, prog_region, n_regions)
    region_full = np.zeros(m, dtype=bool)
    has_region = prog_region >= 0
    if n_regions:
        cap_r = region_cap[prog_region[has_region]]
        region_full[has_region] = (cap_r >= 0) & (rcount[prog_region[has_region]] >= cap_r)
    entry_app = _entry_app(app_ptr)
    free_seat = (count < capacity)[app_prog]
    blocked_by_cap = np.zeros(n, dtype=bool)
    open_seat = np.zeros(n, dtype=bool)
    blocked_by_cap[entry_app[free_seat & region_full[app_prog]]] = True
    open_seat[entry_app[free_seat & ~region_full[app_prog]]] = True
    reasons[rest] = "capacity"
    reasons[rest & blocked_by_cap] = "regional_cap"
    reasons[rest & open_seat] = "not_selected"
    return reasons
