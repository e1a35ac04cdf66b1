"""The exact search: CP-SAT on the order-free relaxation, with cycle cuts added lazily.

Model: one Boolean per course (x) and per needed fact (y: some chosen course needs it); every target fact has a
chosen course adding it, and every precondition of a chosen course has a chosen course adding it (never itself: a
course does not add what it requires). This says nothing about order, so a solution may hold courses that support
each other in a cycle (A needs what B teaches, B needs what A teaches) and can never start; its optimum is a lower
bound of the true one. When a solution is cyclic, take a course that cannot start, the stuck courses it depends on
(transitively, through the facts it misses) and F, the facts they miss. Any path that needs a fact of F must take
a course adding a fact of F *without needing one* (the first course to make any fact of F true), so
``y_f ⇒ OR(x_a : a adds a fact of F, a needs none)`` for every f of F. The solution violates it; solving again
converges to an acyclic optimum, which is the true optimum. The relaxation's bound stays a valid lower bound at
every step, so a time limit still reports one. Each cyclic solution is also repaired into a feasible path (the
incumbent, and CP-SAT's hint for the next round).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from talentbridge.upskilling._start import closure, prune, repair, total
from talentbridge.upskilling._task import Task

__all__ = ["Outcome", "solve"]


@dataclass
class Outcome:
    chosen: list[int]
    optimal: bool
    bound: float | None  # lower bound of the cost, in the objective's units
    rounds: int = 0
    cuts: int = 0


def _scale(task: Task, dim: str) -> tuple[dict[int, int], float]:
    """Integer coefficients of a dimension and the factor back to its unit."""
    if dim == "courses":
        return {i: 1 for i in task.courses}, 1.0
    if dim == "hours":
        return {i: int(round(task.inst.courses[i].hours * 100)) for i in task.courses}, 0.01
    return {i: int(task.inst.courses[i].fee) for i in task.courses}, 1.0


class _Model:
    def __init__(self, task: Task, goals: dict[str, int], required: bool) -> None:
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.task = task
        m = self.model = cp_model.CpModel()
        self.x = {i: m.new_bool_var(f"x{i}") for i in task.courses}
        x = self.x
        self.covered: dict[str, Any] = {}
        for s, f in goals.items():
            lits = [x[d] for d in task.providers.get(f, ())]
            if required:
                m.add_bool_or(lits)
            else:
                cov = m.new_bool_var(f"cov_{s}")
                m.add_bool_or(lits).only_enforce_if(cov)
                self.covered[s] = cov
        # y[f]: some chosen course adds f. One clause per fact, and an implication per precondition (a clause
        # per precondition listing every provider would be ~40 times larger).
        self.y: dict[int, Any] = {}
        for i in task.courses:
            for f in task.pre[i]:
                if f not in self.y:
                    self.y[f] = m.new_bool_var(f"y{f}")
                    m.add_bool_or([x[d] for d in task.providers.get(f, ())]).only_enforce_if(self.y[f])
                m.add_implication(x[i], self.y[f])
        budget = task.inst.budget
        for dim, limit in budget.items():
            coef, unit = _scale(task, dim)
            cap = int(math.floor(limit / unit + 1e-6))
            m.add(self.weighted(coef) <= cap)
        self.coef, self.unit = _scale(task, task.inst.objective)
        self.cost = self.weighted(self.coef)

    def floor(self, value: int) -> None:
        """Start the objective's domain at ``value`` (a proven lower bound, in the model's integer units): the
        bound of an earlier round stays valid once cuts are added, and CP-SAT then need not prove it again. Set
        on the objective's domain, not as a constraint (a constraint parallel to the objective slows the LP)."""
        domain = self.model.proto.objective.domain
        domain.clear()
        domain.extend([value, sum(self.coef.values())])

    def weighted(self, coef: dict[int, int]) -> Any:
        courses = self.task.courses
        return self.cp_model.LinearExpr.weighted_sum([self.x[i] for i in courses], [coef[i] for i in courses])

    def hint(self, chosen: list[int]) -> None:
        self.model.clear_hints()
        on = set(chosen)
        for i, var in self.x.items():
            self.model.add_hint(var, i in on)

    def cut(self, chosen: list[int], required: bool) -> int:
        """Cuts against the cyclic part of ``chosen``; returns how many were added (0: ``chosen`` is acyclic)."""
        task, x, m = self.task, self.x, self.model
        order, reached = closure(task, chosen)
        stuck = set(chosen) - set(order)
        if not stuck:
            return 0
        missing = {c: task.pre[c] - reached for c in stuck}
        suppliers: dict[int, list[int]] = {}
        for c in stuck:
            for f in missing[c]:
                suppliers.setdefault(f, [d for d in stuck if f in task.add[d]])
        seen: set[frozenset[int]] = set()
        for c in sorted(stuck):
            # the stuck courses c depends on, through the facts it misses: they cannot start either
            group, queue = {c}, [c]
            while queue:
                for f in missing[queue.pop()]:
                    for d in suppliers[f]:
                        if d not in group:
                            group.add(d)
                            queue.append(d)
            facts = frozenset().union(*(missing[d] for d in group))
            if facts in seen:
                continue
            seen.add(facts)
            entry = [x[a] for a in task.courses if task.add[a] & facts and not task.pre[a] & facts]
            # Whatever needs a fact of F (not only this group) needs a course entering F: y[f] ⇒ enter.
            enter = m.new_bool_var(f"enter{len(seen)}")
            m.add_bool_or(entry).only_enforce_if(enter)
            for f in facts:
                m.add_implication(self.y[f], enter)
        return len(seen)


def _run(model: _Model, seconds: float) -> tuple[int, Any]:
    solver = model.cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    solver.parameters.random_seed = 7
    # Measured on the JCRec catalogue (40 plans): without presolve the mean time of this model halves (its
    # reductions are already done by the task compiler); the LP relaxation (level 2) is what proves optimality.
    solver.parameters.cp_model_presolve = False
    status = solver.solve(model.model)
    return status, solver


def _within(task: Task, chosen: list[int]) -> bool:
    return all(total(task, chosen, dim) <= limit + 1e-9 for dim, limit in task.inst.budget.items())


def solve(task: Task, start: list[int], time_limit: float) -> Outcome:
    """The cheapest path reaching every goal of ``task`` (no budget), or the most goals within the budget and the
    cheapest such path. ``start`` is a feasible path (within the budget when there is one)."""
    deadline = time.monotonic() + time_limit
    required = not task.inst.budget
    model = _Model(task, task.goals, required)
    cp_model = model.cp_model
    all_goals = set(task.goals.values())
    outcome = Outcome(list(start), False, None)

    def met(chosen: list[int]) -> set[int]:
        return closure(task, chosen)[1] & all_goals

    def relaxed(solver: Any) -> tuple[list[int], set[int]]:
        chosen = [i for i in task.courses if solver.value(model.x[i])]
        if required:
            return chosen, all_goals
        return chosen, {task.goals[s] for s, cov in model.covered.items() if solver.value(cov)}

    def consider(candidate: list[int], need: int) -> None:
        reached = met(candidate)
        candidate = prune(task, candidate, reached)
        if not _within(task, candidate) or len(reached) < need:
            return
        best = len(met(outcome.chosen))
        if len(reached) > best or (len(reached) == best and total(task, candidate) < total(task, outcome.chosen)):
            outcome.chosen = candidate

    need = len(all_goals)
    if not required:  # phase 1: the most goals the budget allows
        model.model.maximize(cp_model.LinearExpr.sum(list(model.covered.values())))
        while True:
            model.hint(outcome.chosen)
            status, solver = _run(model, deadline - time.monotonic())
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return outcome
            chosen, _ = relaxed(solver)
            outcome.rounds += 1
            added = model.cut(chosen, False)
            consider(closure(task, chosen)[0], 0)
            if not added:
                if status != cp_model.OPTIMAL:
                    return outcome
                break
            outcome.cuts += added
            if time.monotonic() >= deadline:
                return outcome
        need = len(met(outcome.chosen))
        model.model.add(cp_model.LinearExpr.sum(list(model.covered.values())) >= need)
    model.model.minimize(model.cost)
    floor = 0  # the best bound proven so far, in the model's units
    while True:
        model.hint(outcome.chosen)
        model.floor(floor)
        status, solver = _run(model, deadline - time.monotonic())
        if status == cp_model.INFEASIBLE:  # cannot happen: the start satisfies the model
            return outcome
        bound = solver.best_objective_bound * model.unit  # a lower bound even when no solution was found in time
        if math.isfinite(bound):
            outcome.bound = bound if outcome.bound is None else max(outcome.bound, bound)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return outcome
        chosen, targets = relaxed(solver)
        outcome.rounds += 1
        added = model.cut(chosen, required)
        if math.isfinite(solver.best_objective_bound):
            floor = max(floor, int(math.ceil(solver.best_objective_bound - 1e-6)))
        consider(chosen if not added else repair(task, chosen, targets), need)
        if outcome.bound is not None and total(task, outcome.chosen) <= outcome.bound + 1e-6:
            outcome.optimal = True
            return outcome
        if not added:  # acyclic: the relaxed optimum is a path, and the true optimum if CP-SAT proved it
            outcome.optimal = status == cp_model.OPTIMAL
            return outcome
        outcome.cuts += added
        if time.monotonic() >= deadline:
            return outcome
