"""Feasible paths fast, on a compiled task: the closure of a set of courses, pruning to an irreducible set, an
h_add cover (Knuth's generalised Dijkstra over the AND-OR graph of courses and facts) and the repair of a set of
courses whose supports are cyclic."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable

from talentbridge.upskilling._task import Task

__all__ = ["closure", "prune", "cover", "repair", "h_values", "total"]


def total(task: Task, chosen: Iterable[int], dim: str | None = None) -> float:
    return sum(task.cost(i, dim) for i in chosen)


def closure(task: Task, chosen: Iterable[int], priority: dict[int, float] | None = None) -> tuple[list[int], set[int]]:
    """The courses of ``chosen`` that can be taken (in ``priority`` order, then index) and the facts then true."""
    pre, add = task.pre, task.add
    prio = priority or {}
    waiting: dict[int, list[int]] = defaultdict(list)
    missing: dict[int, int] = {}
    ready: list[tuple[float, int]] = []
    for i in chosen:
        missing[i] = len(pre[i])
        for f in pre[i]:
            waiting[f].append(i)
        if not pre[i]:
            heapq.heappush(ready, (prio.get(i, 0.0), i))
    true: set[int] = set()
    order: list[int] = []
    while ready:
        _, i = heapq.heappop(ready)
        order.append(i)
        for f in add[i]:
            if f in true:
                continue
            true.add(f)
            for j in waiting.get(f, ()):
                missing[j] -= 1
                if missing[j] == 0:
                    heapq.heappush(ready, (prio.get(j, 0.0), j))
    return order, true


def _ok(task: Task, chosen: list[int], goals: set[int]) -> bool:
    order, true = closure(task, chosen)
    return len(order) == len(chosen) and goals <= true


def prune(task: Task, chosen: Iterable[int], goals: set[int]) -> list[int]:
    """Drop courses, costliest first, while the rest can all be taken and still make ``goals`` true."""
    current = sorted(set(chosen))
    for i in sorted(current, key=lambda k: (-task.cost(k), -len(task.pre[k]), -k)):
        trial = [k for k in current if k != i]
        if _ok(task, trial, goals):
            current = trial
    return current


def h_values(task: Task, dim: str | None = None, agg: str = "sum") -> tuple[dict[int, float], dict[int, int]]:
    """Generalised Dijkstra (Knuth 1977): a course's value is its cost plus the sum (h_add) or max (h_max) of its
    preconditions' values, a fact's value the least value of a course adding it. Returns the values of the courses
    that can be taken and the order in which they were settled. With "max" the value of a course is a lower bound
    of the cost of any path that contains it. Computed once per task."""
    key = ("h", dim, agg)
    if key not in task.memo:
        task.memo[key] = _h_values(task, dim, agg)
    return task.memo[key]  # type: ignore[return-value]


def _h_values(task: Task, dim: str | None, agg: str) -> tuple[dict[int, float], dict[int, int]]:
    pre, add = task.pre, task.add
    waiting: dict[int, list[int]] = defaultdict(list)
    left: dict[int, int] = {}
    acc: dict[int, float] = {}
    heap: list[tuple[float, int, int]] = []  # (value, kind 0 fact / 1 course, id)
    for i in task.courses:
        left[i] = len(pre[i])
        acc[i] = 0.0
        for f in pre[i]:
            waiting[f].append(i)
        if not pre[i]:
            heapq.heappush(heap, (task.cost(i, dim), 1, i))
    fact_value: dict[int, float] = {}
    value: dict[int, float] = {}
    rank: dict[int, int] = {}
    while heap:
        v, kind, key = heapq.heappop(heap)
        if kind == 1:
            if key in value:
                continue
            value[key] = v
            rank[key] = len(rank)
            for f in add[key]:
                if f not in fact_value:
                    heapq.heappush(heap, (v, 0, f))
        elif key not in fact_value:
            fact_value[key] = v
            for i in waiting.get(key, ()):
                acc[i] = max(acc[i], v) if agg == "max" else acc[i] + v
                left[i] -= 1
                if left[i] == 0:
                    heapq.heappush(heap, (task.cost(i, dim) + acc[i], 1, i))
    return value, rank


def _extract(
    task: Task, value: dict[int, float], rank: dict[int, int], base: Iterable[int], facts: Iterable[int]
) -> set[int]:
    """``base`` plus, for every fact of ``facts`` and every precondition of a course taken, the provider of least
    value settled before the course that needs it (so the supports are acyclic)."""
    chosen: set[int] = set()
    order, true = closure(task, base)
    chosen.update(order)
    supplier: dict[int, int] = {}

    def pick(f: int, before: float) -> int | None:
        if f in supplier:
            return supplier[f]
        options = [d for d in task.providers.get(f, ()) if d in value and rank[d] < before]
        if not options:
            return None
        best = min(options, key=lambda d: (value[d], rank[d]))
        supplier[f] = best
        return best

    stack = [pick(f, float("inf")) for f in facts if f not in true]
    while stack:
        i = stack.pop()
        if i is None or i in chosen:
            continue
        chosen.add(i)
        for f in task.pre[i]:
            if f not in true:
                stack.append(pick(f, rank[i]))
    return chosen


def cover(task: Task, goals: set[int]) -> list[int]:
    """A feasible path making every fact of ``goals`` true (each must be reachable), pruned."""
    value, rank = h_values(task)
    return prune(task, _extract(task, value, rank, (), goals), goals)


def repair(task: Task, chosen: Iterable[int], goals: set[int]) -> list[int]:
    """Keep the courses of ``chosen`` that can be taken, add cheap supports for the rest and the goals, prune."""
    value, rank = h_values(task)
    order, _ = closure(task, chosen)
    needs = set(goals)
    for i in set(chosen) - set(order):
        needs |= task.pre[i] | task.add[i]
    needs &= set(task.providers)
    extended = _extract(task, value, rank, order, needs)
    if not _ok(task, sorted(extended), goals):
        return cover(task, goals)
    return prune(task, extended, goals)
