"""Step (5) of :mod:`talentbridge.programs.teams`: CP-SAT large-neighbourhood search and relaxation bound.

:func:`lns` frees a team and the teams its members prefer, re-solves that sub-problem exactly (hinted with the
current teams) and keeps it if the total improves. :func:`relaxation_bound` gives a valid upper bound for the
whole problem from CP-SAT on a relaxation of it, for when the LP bound is not available.
"""

from __future__ import annotations

import math
import random
import time
from typing import Any

from talentbridge.domain.errors import SolverError
from talentbridge.programs._teams_instance import SCALE
from talentbridge.programs._teams_scoring import TeamState

__all__ = ["lns", "relaxation_bound"]


def _model(state: TeamState, pairs: dict[int, list[int]], teams: list[int]):  # type: ignore[no-untyped-def]
    """CP-SAT model over ``pairs`` (learner -> candidate teams) within ``teams``, hinted with ``state``.
    Objective units: 1/10,000 of a preference point."""
    from ortools.sat.python import cp_model

    x = state.x
    model = cp_model.CpModel()
    var: dict[tuple[int, int], Any] = {}
    by_team: dict[int, list[tuple[int, Any]]] = {t: [] for t in teams}
    for i, cands in pairs.items():
        row = []
        for t in cands:
            v = model.new_bool_var(f"x{i}_{t}")
            var[i, t] = v
            by_team[t].append((i, v))
            row.append(v)
        model.add_exactly_one(row)
    objective = []
    hints: list[tuple[Any, int]] = []
    for t in teams:
        members = by_team[t]
        size = sum(v for _, v in members)
        model.add(size >= x.size_min[t])
        model.add(size <= x.size_max[t])
        p = x.team_project[t]
        _cap_institutions(model, x, members)
        for s, lvl in state.coverable[p].items():
            able = [v for i, v in members if x.skills[i].get(s, 0) >= lvl]
            covered = model.new_bool_var(f"c{t}_{s}")
            hints.append((covered, int(any(x.skills[m].get(s, 0) >= lvl for m in state.members[t]))))
            model.add(covered <= sum(able))
            objective.append(x.coverage_penalty * SCALE * (covered - 1))
        if x.balance_penalty:
            # out >= |strength - mean x size| - tolerance x mean x size, in hundredths of a strength point
            strength = sum(x.strength[i] * SCALE * v for i, v in members)
            hi = round(state.mean * (1 + x.tolerance) * SCALE)
            lo = round(state.mean * (1 - x.tolerance) * SCALE)
            top = (max(x.strength, default=0) * SCALE + lo) * x.size_max[t]
            out = model.new_int_var(0, top, f"o{t}")
            model.add(out >= strength - hi * size)
            model.add(out >= lo * size - strength)
            objective.append(-x.balance_penalty * out)
            now = sum(x.strength[m] for m in state.members[t]) * SCALE
            k = len(state.members[t])
            hints.append((out, min(top, max(0, now - hi * k, lo * k - now))))
        objective.extend(x.points[i][p] * SCALE * SCALE * v for i, v in members if x.points[i].get(p, 0))
    model.maximize(sum(objective))
    for (i, t), v in var.items():
        model.add_hint(v, state.team_of[i] == t)
    for v, value in hints:
        model.add_hint(v, value)
    return model, var


def _cap_institutions(model: Any, x: Any, members: list[tuple[int, Any]]) -> None:
    """At most ``cap_per_institution`` of a team's ``members`` (learner, variable) from one institution."""
    if x.cap_per_institution is None:
        return
    per_inst: dict[int, list[Any]] = {}
    for i, v in members:
        if x.institution[i] >= 0:
            per_inst.setdefault(x.institution[i], []).append(v)
    for vs in per_inst.values():
        if len(vs) > x.cap_per_institution:
            model.add(sum(vs) <= x.cap_per_institution)


def _solve(model, var, seconds: float, workers: int, seed: int):  # type: ignore[no-untyped-def]
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.status_name(status), None
    chosen = {i: t for (i, t), v in var.items() if solver.boolean_value(v)}
    return chosen, solver.status_name(status), solver.best_objective_bound / SCALE / SCALE


def relaxation_bound(state: TeamState, deadline: float, seed: int) -> float | None:
    """A valid upper bound (points) from CP-SAT on a relaxation of the whole problem.

    Listed pairs keep their variables; a learner not in a listed project becomes a "wildcard": teams take
    ``z_t`` wildcards, whose skills can cover must-haves only as many times as wildcards have them at the
    required level, whose strength is only known in total, and whose institutions are
    ignored. Every real assignment maps onto a solution of this model with the same objective, so CP-SAT's
    best bound after any time is a bound for the real problem."""
    from ortools.sat.python import cp_model

    x = state.x
    n, n_teams = len(state.team_of), len(state.members)
    teams_of_project: dict[int, list[int]] = {}
    for t, p in enumerate(x.team_project):
        teams_of_project.setdefault(p, []).append(t)
    model = cp_model.CpModel()
    by_team: list[list[tuple[int, Any]]] = [[] for _ in range(n_teams)]
    wild = []
    for i in range(n):
        row = []
        for p in x.points[i]:
            for t in teams_of_project.get(p, []):
                v = model.new_bool_var("")
                by_team[t].append((i, v))
                row.append(v)
        y = model.new_bool_var("")
        wild.append(y)
        model.add_exactly_one([*row, y])
    wild_cover: dict[str, list[Any]] = {}
    max_s = max(x.strength, default=0)
    min_s = min(x.strength, default=0)
    z = [model.new_int_var(0, x.size_max[t], "") for t in range(n_teams)]
    u = [model.new_int_var(0, max_s * x.size_max[t], "") for t in range(n_teams)]
    model.add(sum(z) == sum(wild))
    model.add(sum(u) == sum(x.strength[i] * wild[i] for i in range(n)))
    objective = []
    for t in range(n_teams):
        members = by_team[t]
        size = sum(v for _, v in members) + z[t]
        model.add(size >= x.size_min[t])
        model.add(size <= x.size_max[t])
        model.add(u[t] >= min_s * z[t])
        model.add(u[t] <= max_s * z[t])
        p = x.team_project[t]
        _cap_institutions(model, x, members)
        for sk, lvl in state.coverable[p].items():
            covered = model.new_bool_var("")
            w = model.new_bool_var("")
            model.add(w <= z[t])
            wild_cover.setdefault(sk, []).append((lvl, w))
            model.add(covered <= sum(v for i, v in members if x.skills[i].get(sk, 0) >= lvl) + w)
            objective.append(x.coverage_penalty * SCALE * (covered - 1))
        if x.balance_penalty:
            strength = sum(x.strength[i] * SCALE * v for i, v in members) + SCALE * u[t]
            # the band rounded outwards: the relaxation must never charge more than the true penalty (rounding
            # to nearest made the bound up to 0.5 x size hundredths too low, below the optimum)
            hi = math.ceil(state.mean * (1 + x.tolerance) * SCALE)
            lo = math.floor(state.mean * (1 - x.tolerance) * SCALE)
            out = model.new_int_var(0, (max_s * SCALE + lo) * x.size_max[t], "")
            model.add(out >= strength - hi * size)
            model.add(out >= lo * size - strength)
            objective.append(-x.balance_penalty * out)
        objective.extend(x.points[i][p] * SCALE * SCALE * v for i, v in members)
    # wildcards that cover a must-have at level >= L must have the skill at level >= L, one team each
    for sk, items in wild_cover.items():
        for level in sorted({lvl for lvl, _ in items}):
            ws = [w for lvl, w in items if lvl >= level]
            model.add(sum(ws) <= sum(wild[i] for i in range(n) if x.skills[i].get(sk, 0) >= level))
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        raise SolverError("team formation is infeasible (institution caps and team sizes conflict)")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None  # out of time before any bound: fall back to the flow bound
    return solver.best_objective_bound / SCALE / SCALE


def lns(
    state: TeamState, rng: random.Random, deadline: float, neighbourhood: int, workers: int
) -> tuple[int, int]:
    """Large-neighbourhood search: free the members of a few related teams (a team and the teams its members
    prefer), re-solve that sub-problem exactly with CP-SAT, keep it if the total improves."""
    x = state.x
    teams_of_project: dict[int, list[int]] = {}
    for t, p in enumerate(x.team_project):
        teams_of_project.setdefault(p, []).append(t)
    tried = improved = 0
    n_teams = len(state.members)
    neighbourhood = min(neighbourhood, n_teams)
    while time.monotonic() < deadline - 1.0:
        seed_team = rng.randrange(n_teams)
        chosen = {seed_team}
        frontier = [seed_team]
        while frontier and len(chosen) < neighbourhood:
            t = frontier.pop(rng.randrange(len(frontier)))
            wanted = [tt for m in state.members[t] for p in x.points[m] for tt in teams_of_project.get(p, [])]
            rng.shuffle(wanted)
            for tt in wanted:
                if tt not in chosen and len(chosen) < neighbourhood:
                    chosen.add(tt)
                    frontier.append(tt)
        while len(chosen) < neighbourhood:
            chosen.add(rng.randrange(n_teams))
        teams = sorted(chosen)
        learners = [m for t in teams for m in state.members[t]]
        model, var = _model(state, {i: teams for i in learners}, teams)
        before = sum(state.scores[t] for t in teams)
        assignment, _status, _bound = _solve(
            model, var, min(2.0, deadline - time.monotonic() - 0.2), workers, x.seed + tried
        )
        tried += 1
        if assignment is None:
            continue
        new_members: dict[int, list[int]] = {t: [] for t in teams}
        for i, t in assignment.items():
            new_members[t].append(i)
        new_scores = {t: state.team_score(t, new_members[t]) for t in teams}
        if sum(new_scores.values()) > before:
            for t in teams:
                state.members[t] = new_members[t]
                state.scores[t] = new_scores[t]
            for i, t in assignment.items():
                state.team_of[i] = t
            improved += 1
    return tried, improved
