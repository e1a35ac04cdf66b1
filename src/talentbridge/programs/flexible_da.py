"""Flexible deferred acceptance under regional caps (Kamada & Kojima 2015).

Y. Kamada and F. Kojima, "Efficient Matching under Distributional Constraints: Theory and Applications",
American Economic Review 105(1), 2015, pp. 67-99.

Each region ``r`` may place at most ``cap[r]`` applicants in its programs (e.g. the capital area, to steer
secondees to regional manufacturers). Each program ``h`` in a capped region has a seat target ``target[h]``
(the targets of a region sum to at most its cap). Applicants propose as in deferred acceptance; a capped
region chooses among the applicants proposing to (or held by) its programs as follows: every program first
takes its best applicants up to its target, then the region's remaining seats are handed out one at a time,
cycling through the region's programs in a fixed order (their index), each taking its next-best applicant
while it has a physical seat left. Programs outside capped regions choose their best up to capacity.

Guarantees (Kamada & Kojima 2015, Theorems 2-3): the result respects every capacity and cap, is
strategy-proof for applicants, and is stable in their constrained sense. No program prefers an applicant who
wants it to one it holds; every remaining blocking pair ``(a, h)`` has ``h`` with an empty seat, ``h``'s
region
at its cap, and no program of the region above its target by more than ``h``'s excess over target + 1 -- the
seat could only be filled by breaking the cap or the even spreading of seats beyond targets. (Note this is
weaker than "no blocking pair that leaves the cap intact": an applicant may envy an empty seat in another
program of her own region when moving would unbalance the region's seats above targets.)
"""

from __future__ import annotations

import numpy as np

__all__ = ["flexible_deferred_acceptance", "region_choice"]


def region_choice(
    candidates: list[list[tuple[int, int, int]]], capacity: list[int], target: list[int], cap: int
) -> list[int]:
    """How many of each program's best candidates a capped region keeps.

    ``candidates[i]`` are program i's proposers as ``(rank, applicant, entry)`` sorted best first. Returns the
    number kept per program: up to its target first, then round-robin one seat at a time until the cap.
    """
    limit = [min(c, len(cands)) for c, cands in zip(capacity, candidates, strict=True)]
    take = [min(t, lim) for t, lim in zip(target, limit, strict=True)]
    remaining = cap - sum(take)
    while remaining > 0:
        progressed = False
        for i in range(len(take)):
            if remaining > 0 and take[i] < limit[i]:
                take[i] += 1
                remaining -= 1
                progressed = True
        if not progressed:
            break
    return take


def flexible_deferred_acceptance(
    app_ptr: np.ndarray,
    app_prog: np.ndarray,
    app_prank: np.ndarray,
    capacity: np.ndarray,
    target: np.ndarray,
    prog_region: np.ndarray,
    region_cap: np.ndarray,
) -> np.ndarray:
    """Applicant-proposing flexible deferred acceptance; returns ``match`` (entry index or -1) per applicant.

    Arrays as in :mod:`talentbridge.programs.deferred_acceptance`, plus ``target`` (m), ``prog_region`` (m,
    region index or -1) and ``region_cap`` (R, -1 = no cap). Proposals are made in rounds (all free applicants
    at once); the outcome does not depend on the order because the region choice is substitutable and
    size-monotone (Hatfield & Milgrom 2005). O(rounds x size of the capped regions touched + L log c).
    """
    ptr = app_ptr.tolist()
    prog = app_prog.tolist()
    prank = app_prank.tolist()
    cap = capacity.tolist()
    tgt = target.tolist()
    reg = prog_region.tolist()
    rcap = region_cap.tolist()
    n, m = len(ptr) - 1, len(cap)
    members: dict[int, list[int]] = {}
    for p in range(m):
        if reg[p] >= 0 and rcap[reg[p]] >= 0:
            members.setdefault(reg[p], []).append(p)
    held: list[list[tuple[int, int, int]]] = [[] for _ in range(m)]
    nxt = ptr[:-1]
    match = [-1] * n
    free = list(range(n))
    while free:
        incoming: dict[int, list[tuple[int, int, int]]] = {}
        for a in free:
            e = nxt[a]
            if e < ptr[a + 1]:
                nxt[a] = e + 1
                incoming.setdefault(prog[e], []).append((prank[e], a, e))
        if not incoming:
            break
        free = []
        regions_touched: set[int] = set()
        for p, props in incoming.items():
            r = reg[p]
            if r >= 0 and rcap[r] >= 0:
                held[p] = sorted(held[p] + props)
                regions_touched.add(r)
                continue
            pool = sorted(held[p] + props)
            held[p] = pool[: cap[p]]
            for _, a, _e in pool[cap[p] :]:
                free.append(a)
        for r in regions_touched:
            progs = members[r]
            take = region_choice(
                [held[p] for p in progs], [cap[p] for p in progs], [tgt[p] for p in progs], rcap[r]
            )
            for p, k in zip(progs, take, strict=True):
                for _, a, _e in held[p][k:]:
                    free.append(a)
                held[p] = held[p][:k]
        for a in free:
            match[a] = -1
        for p in incoming:
            for _, a, e in held[p]:
                match[a] = e
        for r in regions_touched:
            for p in members[r]:
                for _, a, e in held[p]:
                    match[a] = e
    return np.asarray(match, dtype=np.int64)
