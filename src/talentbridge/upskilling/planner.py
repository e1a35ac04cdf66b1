"""Learning paths: the cheapest sequence of courses that takes a person from their skills to a target.

``plan(instance)`` (dicts in, dicts out, like ``programs.solve``):

* Every course on the path has its requirements met when it starts (by the profile or an earlier course).
* Every target that some sequence of courses can reach is reached, unless the budget forbids it; then as many
  targets as the budget allows are reached (reason ``budget`` for the rest).
* Among such paths the cost (number of courses, hours or fee) is minimal: exact, by CP-SAT over the courses that
  matter to the target (those teaching a target skill and, transitively, their prerequisites), with precedence
  as "a course that supplies a prerequisite starts earlier". A fast heuristic (every relevant course, then
  pruned to an irreducible set) is the start; when the time limit stops the search, the best path found and the
  solver's lower bound are reported.

``greedy_plan(instance)`` is the set-cover baseline of JCRec (SIGIR 2024): repeatedly take the course, among
those whose prerequisites are met, that meets the most target skills not yet met.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from typing import Any

from talentbridge.upskilling._instance import Instance, parse_instance

__all__ = ["plan", "greedy_plan", "plan_instance"]


class _Catalog:
    """Indexes over the courses: who provides a skill at which level, who requires it."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.courses = inst.courses
        self.providers: dict[str, list[tuple[int, int]]] = defaultdict(list)  # skill -> (course, level)
        for i, c in enumerate(self.courses):
            for s, lv in c.provides.items():
                self.providers[s].append((i, lv))

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


def _covers(state: dict[str, int], targets: dict[str, int]) -> set[str]:
    return {s for s, lv in targets.items() if state.get(s, 0) >= lv}


def _within_budget(cat: _Catalog, chosen: list[int]) -> bool:
    b = cat.inst.budget
    if "courses" in b and len(chosen) > b["courses"] + 1e-9:
        return False
    if "hours" in b and sum(cat.courses[i].hours for i in chosen) > b["hours"] + 1e-9:
        return False
    return not ("fee" in b and sum(cat.courses[i].fee for i in chosen) > b["fee"] + 1e-9)


def _prune(cat: _Catalog, chosen: list[int], must_cover: set[str], needed: dict[str, int]) -> list[int]:
    """Drop courses, costliest first, while the rest stays feasible and still covers ``must_cover``."""
    current = list(chosen)
    for i in sorted(chosen, key=lambda k: (-cat.cost(k), -k)):
        trial = [k for k in current if k != i]
        order, state = cat.closure(trial)
        if len(order) == len(trial) and must_cover <= _covers(state, needed):
            current = trial
    return current


def _relevant(cat: _Catalog, reachable: set[int], targets: dict[str, int]) -> list[int]:
    """Reachable courses that teach a needed (skill, level), and transitively those teaching their prerequisites."""
    seen_pairs: set[tuple[str, int]] = set()
    queue = list(targets.items())
    relevant: set[int] = set()
    while queue:
        pair = queue.pop()
        if pair in seen_pairs:
            continue
        seen_pairs.add(pair)
        for i in cat.providers_of(*pair):
            if i in reachable and i not in relevant:
                relevant.add(i)
                queue.extend(cat.unmet(i))
    return sorted(relevant)


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


def _dimension_cost(cat: _Catalog, dim: str, i: int) -> float:
    c = cat.courses[i]
    return 1.0 if dim == "courses" else c.hours if dim == "hours" else float(c.fee)


def _values(cat: _Catalog, pool: list[int], dim: str, agg: str) -> tuple[dict[int, float], dict[int, int]]:
    """Generalised Dijkstra over the AND-OR graph of courses and (skill, level) needs (Knuth 1977).

    A course's value is its cost plus the ``agg`` ("max" or "sum") of the values of its unmet requirements; a
    need's value is the least value of a course providing it. With "max" a course's value is a lower bound of
    the cost of any feasible path that contains it (h_max, admissible); "sum" (h_add) guides the heuristic.
    Returns the values of the courses that can be taken and the order in which they were settled.
    """
    profile = cat.inst.profile
    waiting: dict[tuple[str, int], list[int]] = defaultdict(list)
    left: dict[int, int] = {}
    acc: dict[int, float] = {}
    heap: list[tuple[float, int, int, Any]] = []  # (value, kind 0 need / 1 course, tiebreak, key)
    for i in pool:
        gaps = [(s, lv) for s, lv in cat.courses[i].requires.items() if profile.get(s, 0) < lv]
        left[i] = len(gaps)
        acc[i] = 0.0
        for pair in gaps:
            waiting[pair].append(i)
        if not gaps:
            heapq.heappush(heap, (_dimension_cost(cat, dim, i), 1, i, i))
    need_value: dict[tuple[str, int], float] = {}
    course_value: dict[int, float] = {}
    settled: dict[int, int] = {}
    levels_needed: dict[str, list[int]] = defaultdict(list)
    for s, lv in waiting:
        levels_needed[s].append(lv)
    while heap:
        value, kind, _, key = heapq.heappop(heap)
        if kind == 1:
            if key in course_value:
                continue
            course_value[key] = value
            settled[key] = len(settled)
            for s, lv in cat.courses[key].provides.items():
                for need in levels_needed.get(s, ()):
                    if need <= lv and (s, need) not in need_value:
                        heapq.heappush(heap, (value, 0, len(heap), (s, need)))
        else:
            if key in need_value:
                continue
            need_value[key] = value
            for i in waiting.get(key, ()):
                acc[i] = max(acc[i], value) if agg == "max" else acc[i] + value
                left[i] -= 1
                if left[i] == 0:
                    heapq.heappush(heap, (_dimension_cost(cat, dim, i) + acc[i], 1, i, i))
    return course_value, settled


def _cheap_cover(cat: _Catalog, pool: list[int], targets: dict[str, int]) -> list[int]:
    """A feasible path reaching every target: for each need, the provider of least h_add settled before the
    course that needs it (so the supports are acyclic); then pruned to an irreducible set."""
    value, rank = _values(cat, pool, cat.inst.objective, "sum")
    profile = cat.inst.profile
    chosen: set[int] = set()
    supplier: dict[tuple[str, int], int] = {}

    def pick(pair: tuple[str, int], before: float) -> int:
        if pair in supplier:
            return supplier[pair]
        options = [d for d in cat.providers_of(*pair) if d in value and rank[d] < before]
        best = min(options, key=lambda d: (value[d], rank[d]))
        supplier[pair] = best
        return best

    stack = [pick(pair, float("inf")) for pair in targets.items()]
    while stack:
        i = stack.pop()
        if i in chosen:
            continue
        chosen.add(i)
        for s, lv in cat.courses[i].requires.items():
            if profile.get(s, 0) < lv:
                stack.append(pick((s, lv), rank[i]))
    return _prune(cat, sorted(chosen), set(targets), targets)


def _cpsat(
    cat: _Catalog, relevant: list[int], targets: dict[str, int], start: list[int]
) -> tuple[list[int], dict[int, float], bool, float | None]:
    """Exact search; returns (chosen courses, their positions, proven optimal, lower bound of the cost)."""
    from ortools.sat.python import cp_model

    inst = cat.inst
    n = len(relevant)
    index = {c: k for k, c in enumerate(relevant)}
    model = cp_model.CpModel()
    x = [model.NewBoolVar(f"x{k}") for k in range(n)]
    pos = [model.NewIntVar(0, max(n - 1, 0), f"p{k}") for k in range(n)]
    before: dict[tuple[int, int], Any] = {}
    for k, c in enumerate(relevant):
        for s, lv in cat.unmet(c):
            supply = [index[d] for d in cat.providers_of(s, lv) if d in index and d != c]
            if not supply:
                model.Add(x[k] == 0)
                continue
            lits = []
            for j in supply:
                z = before.get((j, k))
                if z is None:
                    z = model.NewBoolVar(f"z{j}_{k}")
                    model.AddImplication(z, x[j])
                    model.Add(pos[j] + 1 <= pos[k]).OnlyEnforceIf(z)
                    before[(j, k)] = z
                lits.append(z)
            model.AddBoolOr(lits).OnlyEnforceIf(x[k])
    covered = {}
    for s, lv in targets.items():
        supply = [index[d] for d in cat.providers_of(s, lv) if d in index]
        cov = model.NewBoolVar(f"cov_{s}")
        model.AddBoolOr([x[j] for j in supply]).OnlyEnforceIf(cov)
        covered[s] = cov
    b = inst.budget
    if "courses" in b:
        model.Add(sum(x) <= int(math.floor(b["courses"] + 1e-9)))
    if "hours" in b:
        model.Add(
            sum(int(round(cat.courses[c].hours * 100)) * x[k] for k, c in enumerate(relevant))
            <= int(math.floor(b["hours"] * 100 + 1e-6))
        )
    if "fee" in b:
        model.Add(sum(cat.courses[c].fee * x[k] for k, c in enumerate(relevant)) <= int(math.floor(b["fee"] + 1e-9)))
    order, _ = cat.closure(start)
    rank = {c: r for r, c in enumerate(order)}
    for k, c in enumerate(relevant):
        model.AddHint(x[k], 1 if c in rank else 0)
    scale = {
        "courses": lambda c: 1,
        "hours": lambda c: int(round(cat.courses[c].hours * 100)),
        "fee": lambda c: cat.courses[c].fee,
    }[inst.objective]
    cost = sum(scale(c) * x[k] for k, c in enumerate(relevant))
    solver = cp_model.CpSolver()
    solver.parameters.num_search_workers = 2
    solver.parameters.random_seed = 7
    optimal = True
    budget_phase = bool(b)
    time_left = inst.time_limit_s
    if budget_phase:
        model.Maximize(sum(covered.values()))
        solver.parameters.max_time_in_seconds = time_left / 2
        status = solver.Solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return start, {c: float(r) for c, r in rank.items()}, False, None
        optimal = status == cp_model.OPTIMAL
        best_cov = int(round(solver.ObjectiveValue()))
        time_left = max(time_left - solver.WallTime(), 0.05)
        model.ClearHints()
        for k in range(n):
            model.AddHint(x[k], int(solver.Value(x[k])))
        model.Add(sum(covered.values()) >= best_cov)
    else:
        for cov in covered.values():
            model.Add(cov == 1)
    model.Minimize(cost)
    solver.parameters.max_time_in_seconds = time_left
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start, {c: float(r) for c, r in rank.items()}, False, None
    optimal = optimal and status == cp_model.OPTIMAL
    chosen = [c for k, c in enumerate(relevant) if solver.Value(x[k])]
    positions = {c: float(solver.Value(pos[k])) for k, c in enumerate(relevant) if solver.Value(x[k])}
    bound = solver.BestObjectiveBound()
    if inst.objective == "hours":
        bound = bound / 100
    return chosen, positions, optimal, bound


def _layered(
    cat: _Catalog, relevant: list[int], targets: dict[str, int], start: list[int], layers: int, time_limit: float
) -> tuple[list[int], dict[int, float], bool, float | None, int]:
    """Time-indexed model for large catalogues (a course in layer t relies only on courses of earlier layers);
    its LP relaxation is far tighter than precedence with positions. Exact when the path found has at most
    ``layers`` courses (every cheaper path then fits in the layers). Returns (chosen, layer of each, optimal
    for the layered problem, bound, number of layers used)."""
    from ortools.sat.python import cp_model

    profile = cat.inst.profile
    earliest, _ = _values(cat, relevant, "courses", "max")  # 1 + depth of the shallowest chain
    index = {c: k for k, c in enumerate(relevant)}
    model = cp_model.CpModel()
    x: dict[tuple[int, int], Any] = {}
    for c in relevant:
        for t in range(int(earliest.get(c, layers + 1)), layers + 1):
            x[(c, t)] = model.NewBoolVar(f"x{c}_{t}")
    taken = {c: [x[(c, t)] for t in range(1, layers + 1) if (c, t) in x] for c in relevant}
    for lits in taken.values():
        if len(lits) > 1:
            model.AddAtMostOne(lits)
    needs: dict[tuple[str, int], list[int]] = {}

    def supply(pair: tuple[str, int]) -> list[int]:
        if pair not in needs:
            needs[pair] = [d for d in cat.providers_of(*pair) if d in index]
        return needs[pair]

    have: dict[tuple[tuple[str, int], int], Any] = {}

    def had_by(pair: tuple[str, int], t: int) -> Any:
        """A literal: ``pair`` is provided by a course of layer ≤ t."""
        key = (pair, t)
        if key not in have:
            lits = [x[(d, u)] for d in supply(pair) for u in range(1, t + 1) if (d, u) in x]
            var = model.NewBoolVar(f"h{len(have)}")
            if lits:
                model.AddBoolOr(lits).OnlyEnforceIf(var)
            else:
                model.Add(var == 0)
            have[key] = var
        return have[key]

    for (c, t), var in x.items():
        for s, lv in cat.courses[c].requires.items():
            if profile.get(s, 0) < lv:
                model.AddImplication(var, had_by((s, lv), t - 1))
    for pair in targets.items():
        model.AddBoolOr([x[(d, u)] for d in supply(pair) for u in range(1, layers + 1) if (d, u) in x])
    scale = {
        "courses": lambda c: 1,
        "hours": lambda c: int(round(cat.courses[c].hours * 100)),
        "fee": lambda c: cat.courses[c].fee,
    }[cat.inst.objective]
    model.Minimize(sum(scale(c) * var for (c, _), var in x.items()))
    order, _ = cat.closure(start)
    layer_of: dict[int, int] = {}
    for c in order:  # ASAP layers of the start
        req = [d for d in order if d in layer_of]
        deps = [
            min((layer_of[d] for d in req if cat.courses[d].provides.get(s, 0) >= lv), default=0)
            for s, lv in cat.courses[c].requires.items()
            if profile.get(s, 0) < lv
        ]
        layer_of[c] = 1 + max(deps, default=0)
    for (c, t), var in x.items():
        model.AddHint(var, 1 if layer_of.get(c) == t else 0)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_search_workers = 2
    solver.parameters.random_seed = 7
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start, {c: float(layer_of.get(c, 0)) for c in start}, False, None, layers
    chosen = sorted({c for (c, t), var in x.items() if solver.Value(var)})
    positions = {c: float(t) for (c, t), var in x.items() if solver.Value(var)}
    bound = solver.BestObjectiveBound()
    if cat.inst.objective == "hours":
        bound /= 100
    return chosen, positions, status == cp_model.OPTIMAL, bound, layers


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
    needed = {s: lv for s, lv in inst.target.items() if inst.profile.get(s, 0) < lv}
    reach_order, reach_state = cat.closure(list(range(len(cat.courses))))
    reachable = set(reach_order)
    reasons: dict[str, str] = {}
    for s, lv in needed.items():
        if reach_state.get(s, 0) < lv:
            reasons[s] = "prerequisites_unmet" if cat.providers_of(s, lv) else "no_course"
    targets = {s: lv for s, lv in needed.items() if s not in reasons}
    if not targets:
        return _result(cat, [], {}, reasons, True, 0)
    relevant = _relevant(cat, reachable, targets)
    cover = _cheap_cover(cat, relevant, targets)
    greedy = _greedy(cat, targets, relevant)
    if len(_covers(cat.closure(greedy)[1], targets)) == len(targets) and sum(map(cat.cost, greedy)) < sum(
        map(cat.cost, cover)
    ):
        cover = _prune(cat, greedy, set(targets), targets)
    start = cover if _within_budget(cat, cover) else greedy
    # Courses that cannot be in a path cheaper than the start (or within the budget) are left out of the search:
    # h_max is a lower bound of the cost of any path containing the course.
    limits = dict(cat.inst.budget)
    if not limits:
        limits[inst.objective] = sum(map(cat.cost, start))
    keep = set(relevant)
    for dim, limit in limits.items():
        lower, _ = _values(cat, relevant, dim, "max")
        keep &= {i for i in relevant if lower.get(i, math.inf) <= limit + 1e-9}
    candidates = _relevant(cat, keep, targets)
    if not cat.inst.budget:
        lower, _ = _values(cat, candidates, inst.objective, "max")
        floor = max(min(lower[d] for d in cat.providers_of(s, lv) if d in lower) for s, lv in targets.items())
        if floor >= sum(map(cat.cost, start)) - 1e-9:  # the start is already optimal
            return _result(cat, start, {}, reasons, True, floor)
    if len(candidates) <= 150 or cat.inst.budget:
        chosen, positions, optimal, bound = _cpsat(cat, candidates, targets, start)
    else:
        # Layers: start small; a path of k courses never needs more than k layers, so a layered optimum with
        # no more courses than layers is the true optimum (for the number of courses; for hours or fees the
        # result is reported optimal only when every layer the catalogue could need is there).
        layers = min(4, len(candidates))
        deadline = inst.time_limit_s
        while True:
            chosen, positions, optimal, bound, used = _layered(cat, candidates, targets, start, layers, deadline)
            exact = len(chosen) <= layers if inst.objective == "courses" else layers >= len(candidates)
            if exact or layers >= len(candidates) or not optimal:
                optimal = optimal and exact
                break
            layers = min(len(candidates), max(layers * 2, len(chosen)))
            start = chosen
    order, state = cat.closure(chosen, positions)
    if len(order) != len(chosen) or not _within_budget(cat, chosen):  # never expected; keep the safe start
        chosen, positions, optimal, bound = start, {}, False, bound
    chosen = _prune(cat, chosen, _covers(cat.closure(chosen, positions)[1], targets), targets)
    return _result(cat, chosen, positions, reasons, optimal, bound)


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
