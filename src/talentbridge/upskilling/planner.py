"""Learning paths: the cheapest sequence of courses that takes a person from their skills to a target.

``plan(instance)`` (dicts in, dicts out, like ``programs.solve``):

* Every course on the path has its requirements met when it starts (by the profile or an earlier course).
* Every target that some sequence of courses can reach is reached, unless the budget forbids it; then as many
  targets as the budget allows are reached (reason ``budget`` for the rest).
* Among such paths the cost (number of courses, hours or fee) is minimal: the instance is compiled and reduced
  (``_task``: reachability, relevance, dominance), a fast path is the start (``_start``: h_add cover, pruned), and
  CP-SAT solves the order-free relaxation with lazy cycle cuts (``_exact``). When the time limit stops the search,
  the best path found and a lower bound (the relaxation's, or h_max) are reported.

``greedy_plan(instance)`` is the set-cover baseline of JCRec (SIGIR 2024): repeatedly take the course, among
those whose prerequisites are met, that meets the most target skills not yet met.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import defaultdict
from typing import Any

from talentbridge.upskilling._exact import solve
from talentbridge.upskilling._instance import Instance, parse_instance
from talentbridge.upskilling._start import cover, h_values, total
from talentbridge.upskilling._task import compile_task

__all__ = ["plan", "greedy_plan", "plan_instance"]


class _Catalog:
    """Indexes over the courses: who provides a skill at which level, who requires it."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.courses = inst.courses

    @functools.cached_property
    def providers(self) -> dict[str, list[tuple[int, int]]]:
        """skill -> (course, level)"""
        out: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, c in enumerate(self.courses):
            for s, lv in c.provides.items():
                out[s].append((i, lv))
        return out

    def cost(self, i: int) -> float:
        c = self.courses[i]
        return 1.0 if self.inst.objective == "courses" else c.hours if self.inst.objective == "hours" else float(c.fee)

    def providers_of(self, skill: str, level: int) -> list[int]:
        return [i for i, lv in self.providers.get(skill, ()) if lv >= level]

    def unmet(self, i: int) -> list[tuple[str, int]]:
        profile = self.inst.profile
        return [(s, lv) for s, lv in self.courses[i].requires.items() if profile.get(s, 0) < lv]

    def closure(self, subset: list[int], priority: dict[int, float] | None = None) -> tuple[list[int], dict[str, int]]:
        """Take every course of ``subset`` whose requirements become met, in ``priority`` order (then index);
        returns the courses taken in order and the final skill levels. O(total requirements · log n)."""
        state = dict(self.inst.profile)
        waiting: dict[str, list[tuple[int, int]]] = defaultdict(list)
        missing: dict[int, int] = {}
        ready: list[tuple[float, int]] = []
        for i in subset:
            gaps = [(s, lv) for s, lv in self.courses[i].requires.items() if state.get(s, 0) < lv]
            missing[i] = len(gaps)
            for s, lv in gaps:
                waiting[s].append((i, lv))
            if not gaps:
                heapq.heappush(ready, ((priority or {}).get(i, 0.0), i))
        order: list[int] = []
        while ready:
            _, i = heapq.heappop(ready)
            order.append(i)
            for s, lv in self.courses[i].provides.items():
                old = state.get(s, 0)
                if lv <= old:
                    continue
                state[s] = lv
                for j, need in waiting.get(s, ()):
                    if old < need <= lv:
                        missing[j] -= 1
                        if missing[j] == 0:
                            heapq.heappush(ready, ((priority or {}).get(j, 0.0), j))
        return order, state


def _within_budget(cat: _Catalog, chosen: list[int]) -> bool:
    b = cat.inst.budget
    if "courses" in b and len(chosen) > b["courses"] + 1e-9:
        return False
    if "hours" in b and sum(cat.courses[i].hours for i in chosen) > b["hours"] + 1e-9:
        return False
    return not ("fee" in b and sum(cat.courses[i].fee for i in chosen) > b["fee"] + 1e-9)


def _greedy(cat: _Catalog, needed: dict[str, int], pool: list[int]) -> list[int]:
    state = dict(cat.inst.profile)
    taken: list[int] = []
    left = set(pool)
    while True:
        best: tuple[float, float, int] | None = None
        for i in left:
            c = cat.courses[i]
            if any(state.get(s, 0) < lv for s, lv in c.requires.items()):
                continue
            gain = sum(1 for s, lv in needed.items() if state.get(s, 0) < lv <= c.provides.get(s, 0))
            if gain == 0 or not _within_budget(cat, [*taken, i]):
                continue
            key = (-gain, cat.cost(i), i)
            if best is None or key < best:
                best = key
        if best is None:
            return taken
        i = best[2]
        taken.append(i)
        left.discard(i)
        for s, lv in cat.courses[i].provides.items():
            state[s] = max(state.get(s, 0), lv)


def _result(
    cat: _Catalog,
    chosen: list[int],
    priority: dict[int, float],
    reasons: dict[str, str],
    optimal: bool,
    bound: float | None,
) -> dict[str, Any]:
    inst = cat.inst
    order, state = cat.closure(chosen, priority)
    assert len(order) == len(chosen), "internal error: a chosen course cannot be taken"
    path = [
        {"course": cat.courses[i].id, "order": k + 1, "provides": sorted(cat.courses[i].provides)}
        for k, i in enumerate(order)
    ]
    reached = [{"skill": s, "level": state.get(s, 0)} for s, lv in inst.target.items() if state.get(s, 0) >= lv]
    uncovered = [
        {"skill": s, "level": lv, "reason": reasons.get(s, "budget")}
        for s, lv in inst.target.items()
        if state.get(s, 0) < lv
    ]
    total_hours = sum(cat.courses[i].hours for i in order)
    total = {"courses": len(order), "hours": round(total_hours, 2), "fee": sum(cat.courses[i].fee for i in order)}
    value = total[inst.objective]
    if bound is None:
        bound_out: float | int | None = value if optimal else None
    elif inst.objective == "hours":
        bound_out = round(min(float(bound), float(value)), 2)
    else:
        bound_out = int(min(math.ceil(bound - 1e-9), value))
    return {
        "path": path,
        "reached": reached,
        "uncovered": uncovered,
        "total": total,
        "bound": bound_out,
        "optimal": optimal,
        "status": "optimal" if optimal else "feasible",
    }


def plan_instance(inst: Instance) -> dict[str, Any]:
    """``plan`` on a validated instance."""
    cat = _Catalog(inst)
    task = compile_task(inst)
    goals = set(task.goals.values())
    if not goals:
        return _result(cat, [], {}, task.reasons, True, 0)
    start = cover(task, goals)
    if inst.budget and not _within_budget(cat, start):
        start = _greedy(cat, dict(inst.target), task.courses)
    floor: float | None = None
    if not inst.budget:  # the start is optimal when it costs no more than an admissible bound (h_max)
        lower, _ = h_values(task, agg="max")
        floor = max(min(lower[d] for d in task.providers[f] if d in lower) for f in goals)
        if floor >= total(task, start) - 1e-9:
            return _result(cat, start, {}, task.reasons, True, floor)
    outcome = solve(task, start, inst.time_limit_s)
    bound = outcome.bound if floor is None or outcome.bound is None else max(floor, outcome.bound)
    return _result(cat, outcome.chosen, {}, task.reasons, outcome.optimal, floor if bound is None else bound)


def plan(instance: dict[str, Any]) -> dict[str, Any]:
    """The cheapest learning path to a target; see the module docstring and docs/upskilling.md.

    Raises ``InstanceInvalid`` listing every problem of a malformed instance.
    """
    return plan_instance(parse_instance(instance))


def greedy_plan(instance: dict[str, Any]) -> dict[str, Any]:
    """JCRec's greedy set-cover baseline, in the same result format (never claims optimality)."""
    inst = parse_instance(instance)
    cat = _Catalog(inst)
    needed = {s: lv for s, lv in inst.target.items() if inst.profile.get(s, 0) < lv}
    reach_order, reach_state = cat.closure(list(range(len(cat.courses))))
    reasons = {
        s: ("prerequisites_unmet" if cat.providers_of(s, lv) else "no_course")
        for s, lv in needed.items()
        if reach_state.get(s, 0) < lv
    }
    taken = _greedy(cat, needed, list(range(len(cat.courses))))
    result = _result(cat, taken, {c: float(k) for k, c in enumerate(taken)}, reasons, False, None)
    for item in result["uncovered"]:
        if item["reason"] == "budget" and not inst.budget:
            item["reason"] = "not_found"  # reachable, but the greedy rule did not find the way
    return result
