"""PBL team formation: learners to project teams that cover each project's must-have skills.

Model (schema in docs/programs.md). Every learner joins exactly one team; a project has ``teams`` teams of
``team_size`` members (an int, or ``{"min": a, "max": b}``). Hard: team sizes; at most
``max_per_institution`` members of one institution per team. Maximised, in points:

    sum of preference points (1st choice = K points, 2nd K-1, ..., unlisted 0; K = longest list)
    - coverage_penalty x (must-have skills of a team that no member has at the required level)
    - balance_penalty  x (strength points a team lies outside mean x size x (1 +- balance_tolerance))

where a learner's strength is her ``strength`` field or the sum of her skill levels.

Method: (1) start and first bound: the preference-only relaxation (no coverage, institution or balance
constraints) is a transportation problem, solved exactly as a min-cost flow; its optimum bounds the objective
because the penalties are non-negative. (2) Local search: best swaps repair institution excess, uncovered
skills and imbalance, then swaps towards preferred projects. (3) Bound: the LP relaxation of the whole model
with HiGHS (:func:`._teams_bound.lp_bound`). (4) Primal: a HiGHS MIP of the model restricted to each
learner's listed projects, current team and LP support (:func:`._teams_bound.mip_improve`); on a small
instance the MIP covers every pair instead and its dual bound is valid for the whole problem. (5) Unless the
gap is already at most ``stop_gap``: large-neighbourhood search with CP-SAT (a team and the teams its members
prefer, 12 by default, freed and re-solved exactly, hinted with the current teams) until the time limit;
without an LP bound, CP-SAT works on a relaxation of the whole problem on a second thread meanwhile (see
:func:`_relaxation_bound`). The reported gap is ``(bound - objective) / bound`` with the smallest valid
bound -- a certificate for the whole problem, never only for a restricted model.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from talentbridge.domain.errors import InstanceInvalid, Problem, SolverError

__all__ = ["form_teams"]

_SCALE = 100  # objective in hundredths of a point (balance uses fractional means)
_FULL_MIP_PAIRS = 20_000  # learners x teams up to which HiGHS solves the whole model as a MIP
_LP_PAIRS = 3_000_000  # ... up to which the LP relaxation of the whole model gives the bound


@dataclass
class _Teams:
    learner_ids: list[str]
    project_ids: list[str]
    team_project: list[int]  # team -> project
    team_names: list[str]
    size_min: list[int]
    size_max: list[int]
    institution: list[int]  # learner -> institution index (-1 none)
    cap_per_institution: int | None
    skills: list[dict[str, int]]
    strength: list[int]
    must_have: list[dict[str, int]]  # per project
    points: list[dict[int, int]]  # learner -> project -> points
    ranks: list[dict[int, int]]  # learner -> project -> 1-based rank
    coverage_penalty: int
    balance_penalty: int
    tolerance: float
    seed: int


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _parse(instance: Any) -> _Teams:
    problems: list[Problem] = []

    def bad(loc: tuple[str | int, ...], msg: str, value: Any = None, type: str = "invalid") -> None:
        problems.append(Problem(loc=loc, msg=msg, value=value, type=type))

    if not isinstance(instance, dict):
        raise InstanceInvalid("a team instance must be a JSON object", [Problem((), "must be an object")])
    learners = instance.get("learners")
    projects = instance.get("projects")
    if not isinstance(learners, list):
        bad(("learners",), "must be a list", learners)
        learners = []
    if not isinstance(projects, list):
        bad(("projects",), "must be a list", projects)
        projects = []
    size = instance.get("team_size", 5)
    if _is_int(size) and size >= 1:
        default_min = default_max = size
    elif (
        isinstance(size, dict)
        and _is_int(size.get("min"))
        and _is_int(size.get("max"))
        and 1 <= size["min"] <= size["max"]
    ):
        default_min, default_max = size["min"], size["max"]
    else:
        bad(("team_size",), 'must be a positive integer or {"min": a, "max": b} with 1 <= a <= b', size)
        default_min = default_max = 1
    cap = instance.get("max_per_institution")
    if cap is not None and (not _is_int(cap) or cap < 1):
        bad(("max_per_institution",), "must be a positive integer or null", cap)
        cap = None
    options = {}
    for key, default, check in (
        ("coverage_penalty", 10, lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0),
        ("balance_penalty", 1, lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0),
        (
            "balance_tolerance",
            0.2,
            lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1,
        ),
        ("seed", 0, lambda v: _is_int(v) and v >= 0),
    ):
        value = instance.get(key, default)
        if not check(value):
            bad((key,), "invalid value", value)
            value = default
        options[key] = value

    p_index: dict[str, int] = {}
    must_have: list[dict[str, int]] = []
    team_project: list[int] = []
    team_names: list[str] = []
    size_min: list[int] = []
    size_max: list[int] = []
    for j, proj in enumerate(projects):
        if not isinstance(proj, dict) or not isinstance(proj.get("id"), str) or not proj.get("id"):
            bad(
                ("projects", j, "id"),
                "must be a non-empty string",
                proj.get("id") if isinstance(proj, dict) else proj,
            )
            must_have.append({})
            continue
        pid = proj["id"]
        if pid in p_index:
            bad(("projects", j, "id"), "duplicate id", pid, "duplicate")
        p_index[pid] = j
        req = proj.get("must_have", {})
        if not isinstance(req, dict) or not all(
            isinstance(k, str) and _is_int(v) and v >= 1 for k, v in req.items()
        ):
            bad(("projects", j, "must_have"), "must map skill ids to required levels (integers >= 1)", req)
            req = {}
        must_have.append(dict(req))
        count = proj.get("teams", 1)
        if not _is_int(count) or count < 1:
            bad(("projects", j, "teams"), "must be a positive integer", count)
            count = 1
        for k in range(count):
            team_project.append(j)
            team_names.append(pid if count == 1 else f"{pid}#{k + 1}")
            size_min.append(default_min)
            size_max.append(default_max)

    l_index: dict[str, int] = {}
    inst_index: dict[str, int] = {}
    institution: list[int] = []
    skills: list[dict[str, int]] = []
    strength: list[int] = []
    prefs: list[list[int]] = []
    for i, learner in enumerate(learners):
        if not isinstance(learner, dict) or not isinstance(learner.get("id"), str) or not learner.get("id"):
            bad(
                ("learners", i, "id"),
                "must be a non-empty string",
                learner.get("id") if isinstance(learner, dict) else learner,
            )
            learner = {"id": f"#{i}"} if not isinstance(learner, dict) else learner
        lid = learner.get("id")
        if lid in l_index:
            bad(("learners", i, "id"), "duplicate id", lid, "duplicate")
        l_index[str(lid)] = i
        inst = learner.get("institution")
        if inst is not None and not isinstance(inst, str):
            bad(("learners", i, "institution"), "must be a string", inst)
            inst = None
        institution.append(-1 if inst is None else inst_index.setdefault(inst, len(inst_index)))
        sk = learner.get("skills", {})
        if not isinstance(sk, dict) or not all(
            isinstance(k, str) and _is_int(v) and v >= 0 for k, v in sk.items()
        ):
            bad(("learners", i, "skills"), "must map skill ids to levels (integers >= 0)", sk)
            sk = {}
        skills.append(dict(sk))
        st = learner.get("strength")
        if st is not None and (not _is_int(st) or st < 0):
            bad(("learners", i, "strength"), "must be a non-negative integer", st)
            st = None
        strength.append(sum(sk.values()) if st is None else st)
        plist = learner.get("preferences", [])
        if not isinstance(plist, list):
            bad(("learners", i, "preferences"), "must be a list of project ids", plist)
            plist = []
        seen: set[str] = set()
        mine = []
        for k, pid in enumerate(plist):
            if not isinstance(pid, str) or pid not in p_index:
                bad(("learners", i, "preferences", k), "unknown project id", pid, "unknown_id")
            elif pid in seen:
                bad(("learners", i, "preferences", k), "project listed twice", pid, "duplicate")
            else:
                seen.add(pid)
                mine.append(p_index[pid])
        prefs.append(mine)

    n, n_teams = len(learners), len(team_project)
    if n and not problems:
        if sum(size_min) > n or sum(size_max) < n:
            bad(
                ("team_size",),
                f"{n} learners cannot fill {n_teams} teams of {default_min}-{default_max} members",
                size,
            )
        if cap is not None:
            counts = np.bincount([x for x in institution if x >= 0], minlength=len(inst_index))
            names = list(inst_index)
            for k in np.flatnonzero(counts > cap * n_teams).tolist():
                bad(
                    ("max_per_institution",),
                    f"institution {names[k]!r} has {counts[k]} learners, more than {cap} x {n_teams} teams",
                    cap,
                )
    if problems:
        raise InstanceInvalid(
            f"team instance has {len(problems)} problem{'s' if len(problems) != 1 else ''}", problems
        )

    longest = max((len(p) for p in prefs), default=0)
    return _Teams(
        learner_ids=[x["id"] for x in learners],
        project_ids=[x["id"] for x in projects],
        team_project=team_project,
        team_names=team_names,
        size_min=size_min,
        size_max=size_max,
        institution=institution,
        cap_per_institution=cap,
        skills=skills,
        strength=strength,
        must_have=must_have,
        points=[{p: longest - k for k, p in enumerate(pl)} for pl in prefs],
        ranks=[{p: k + 1 for k, p in enumerate(pl)} for pl in prefs],
        coverage_penalty=round(options["coverage_penalty"] * _SCALE),
        balance_penalty=round(options["balance_penalty"] * _SCALE),
        tolerance=float(options["balance_tolerance"]),
        seed=int(options["seed"]),
    )


class _State:
    """A complete assignment with incremental team scores (hundredths of a point)."""

    def __init__(self, x: _Teams, team_of: list[int]) -> None:
        self.x = x
        self.team_of = team_of
        self.members: list[list[int]] = [[] for _ in x.team_project]
        for learner, team in enumerate(team_of):
            self.members[team].append(learner)
        n = len(team_of)
        self.mean = sum(x.strength) / n if n else 0.0
        # a must-have nobody in the cohort has cannot be covered: not penalised, reported
        self.coverable = [
            {s: lvl for s, lvl in req.items() if any(sk.get(s, 0) >= lvl for sk in x.skills)}
            for req in x.must_have
        ]
        self.scores = [self.team_score(t, self.members[t]) for t in range(len(self.members))]

    def team_penalty(self, t: int, members: list[int]) -> int:
        x = self.x
        req = self.coverable[x.team_project[t]]
        uncovered = sum(1 for s, lvl in req.items() if not any(x.skills[m].get(s, 0) >= lvl for m in members))
        total = sum(x.strength[m] for m in members)
        lo = self.mean * len(members) * (1 - x.tolerance)
        hi = self.mean * len(members) * (1 + x.tolerance)
        outside = max(0.0, lo - total, total - hi)
        excess = 0
        if x.cap_per_institution is not None:
            counts: dict[int, int] = {}
            for m in members:
                if x.institution[m] >= 0:
                    counts[x.institution[m]] = counts.get(x.institution[m], 0) + 1
            excess = sum(max(0, c - x.cap_per_institution) for c in counts.values())
        return uncovered * x.coverage_penalty + math.ceil(outside * x.balance_penalty - 1e-9) + excess * 10**9

    def team_score(self, t: int, members: list[int]) -> int:
        p = self.x.team_project[t]
        return sum(self.x.points[m].get(p, 0) for m in members) * _SCALE - self.team_penalty(t, members)

    def total(self) -> int:
        return sum(self.scores)

    def swap_gain(self, a: int, b: int) -> tuple[int, list[int], list[int], int, int]:
        ta, tb = self.team_of[a], self.team_of[b]
        ma = [b if m == a else m for m in self.members[ta]]
        mb = [a if m == b else m for m in self.members[tb]]
        sa, sb = self.team_score(ta, ma), self.team_score(tb, mb)
        return sa + sb - self.scores[ta] - self.scores[tb], ma, mb, sa, sb

    def apply(self, a: int, b: int, ma: list[int], mb: list[int], sa: int, sb: int) -> None:
        ta, tb = self.team_of[a], self.team_of[b]
        self.members[ta], self.members[tb] = ma, mb
        self.scores[ta], self.scores[tb] = sa, sb
        self.team_of[a], self.team_of[b] = tb, ta


def _flow_start(x: _Teams) -> tuple[list[int], int]:
    """Preference-only optimum by min-cost flow: learners -> teams (listed projects) or -> hub -> any team.
    Returns the assignment and its preference points (x _SCALE), an upper bound for the full objective."""
    from ortools.graph.python import min_cost_flow

    n, n_teams = len(x.learner_ids), len(x.team_project)
    hub, sink = n + n_teams, n + n_teams + 1
    teams_of_project: dict[int, list[int]] = {}
    for t, p in enumerate(x.team_project):
        teams_of_project.setdefault(p, []).append(t)
    tails, heads, caps, costs = [], [], [], []
    bonus = (max((max(pts.values(), default=0) for pts in x.points), default=0) + 1) * (n + 1)
    for learner, pts in enumerate(x.points):
        for p, value in pts.items():
            for t in teams_of_project.get(p, []):
                tails.append(learner)
                heads.append(n + t)
                caps.append(1)
                costs.append(-value)
        tails.append(learner)
        heads.append(hub)
        caps.append(1)
        costs.append(0)
    for t in range(n_teams):
        tails += [hub, n + t, n + t]
        heads += [n + t, sink, sink]
        caps += [x.size_max[t], x.size_min[t], x.size_max[t] - x.size_min[t]]
        costs += [0, -bonus, 0]  # the bonus forces the minimum sizes to fill first
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails), np.array(heads), np.array(caps), np.array(costs)
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n] = 1
    supplies[sink] = -n
    flow.set_nodes_supplies(np.arange(sink + 1), supplies)
    if flow.solve() != flow.OPTIMAL:
        raise SolverError("team sizes cannot be met (min-cost flow infeasible)")
    flows = flow.flows(arcs)
    team_of = [-1] * n
    hub_users = []
    for k, f in enumerate(flows.tolist()):
        if f <= 0:
            continue
        tail, head = tails[k], heads[k]
        if tail < n:
            if head == hub:
                hub_users.append(tail)
            else:
                team_of[tail] = head - n
    hub_to_team = [int(flows[k]) for k in range(len(tails)) if tails[k] == hub]
    slots = [t for t, f in enumerate(hub_to_team) for _ in range(f)]
    for learner, t in zip(hub_users, slots, strict=True):
        team_of[learner] = t
    bound = sum(x.points[i].get(x.team_project[team_of[i]], 0) for i in range(n)) * _SCALE
    return team_of, bound


def _repair(state: _State, rng: random.Random, deadline: float) -> None:
    """Best-improvement swaps on teams with a penalty, until none improves or time runs out."""
    x = state.x
    n = len(state.team_of)
    for _round in range(50):
        bad_teams = [t for t in range(len(state.members)) if state.team_penalty(t, state.members[t]) > 0]
        if not bad_teams or time.monotonic() > deadline:
            return
        improved = False
        rng.shuffle(bad_teams)
        for t in bad_teams:
            if time.monotonic() > deadline:
                return
            if state.team_penalty(t, state.members[t]) == 0:
                continue
            req = state.coverable[x.team_project[t]]
            missing = [
                s for s, lvl in req.items() if not any(x.skills[m].get(s, 0) >= lvl for m in state.members[t])
            ]
            if missing:
                s = missing[0]
                pool = [i for i in range(n) if x.skills[i].get(s, 0) >= req[s] and state.team_of[i] != t]
            else:
                pool = [i for i in range(n) if state.team_of[i] != t]
            candidates = rng.sample(pool, min(len(pool), 80))
            best = None
            for b in candidates:
                for a in state.members[t]:
                    gain = state.swap_gain(a, b)
                    if gain[0] > 0 and (best is None or gain[0] > best[0][0]):
                        best = (gain, a, b)
            if best is not None:
                (g, ma, mb, sa, sb), a, b = best
                state.apply(a, b, ma, mb, sa, sb)
                improved = True
        if not improved:
            return


def _improve(state: _State, deadline: float) -> None:
    """Swaps that move a learner towards a project she ranks higher, with any positive total gain."""
    x = state.x
    teams_of_project: dict[int, list[int]] = {}
    for t, p in enumerate(x.team_project):
        teams_of_project.setdefault(p, []).append(t)
    for _round in range(20):
        improved = False
        for a in range(len(state.team_of)):
            if time.monotonic() > deadline:
                return
            here = x.points[a].get(x.team_project[state.team_of[a]], 0)
            best = None
            for p, pts in x.points[a].items():
                if pts <= here:
                    continue
                for t in teams_of_project.get(p, []):
                    for b in state.members[t]:
                        gain = state.swap_gain(a, b)
                        if gain[0] > 0 and (best is None or gain[0] > best[0][0]):
                            best = (gain, b)
            if best is not None:
                (_g, ma, mb, sa, sb), b = best
                state.apply(a, b, ma, mb, sa, sb)
                improved = True
        if not improved:
            return


def _model(state: _State, pairs: dict[int, list[int]], teams: list[int]):  # type: ignore[no-untyped-def]
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
        if x.cap_per_institution is not None:
            per_inst: dict[int, list[Any]] = {}
            for i, v in members:
                if x.institution[i] >= 0:
                    per_inst.setdefault(x.institution[i], []).append(v)
            for vs in per_inst.values():
                if len(vs) > x.cap_per_institution:
                    model.add(sum(vs) <= x.cap_per_institution)
        for s, lvl in state.coverable[p].items():
            able = [v for i, v in members if x.skills[i].get(s, 0) >= lvl]
            covered = model.new_bool_var(f"c{t}_{s}")
            hints.append((covered, int(any(x.skills[m].get(s, 0) >= lvl for m in state.members[t]))))
            model.add(covered <= sum(able))
            objective.append(x.coverage_penalty * _SCALE * (covered - 1))
        if x.balance_penalty:
            # out >= |strength - mean x size| - tolerance x mean x size, in hundredths of a strength point
            strength = sum(x.strength[i] * _SCALE * v for i, v in members)
            hi = round(state.mean * (1 + x.tolerance) * _SCALE)
            lo = round(state.mean * (1 - x.tolerance) * _SCALE)
            top = (max(x.strength, default=0) * _SCALE + lo) * x.size_max[t]
            out = model.new_int_var(0, top, f"o{t}")
            model.add(out >= strength - hi * size)
            model.add(out >= lo * size - strength)
            objective.append(-x.balance_penalty * out)
            now = sum(x.strength[m] for m in state.members[t]) * _SCALE
            k = len(state.members[t])
            hints.append((out, min(top, max(0, now - hi * k, lo * k - now))))
        objective.extend(x.points[i][p] * _SCALE * _SCALE * v for i, v in members if x.points[i].get(p, 0))
    model.maximize(sum(objective))
    for (i, t), v in var.items():
        model.add_hint(v, state.team_of[i] == t)
    for v, value in hints:
        model.add_hint(v, value)
    return model, var


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
    return chosen, solver.status_name(status), solver.best_objective_bound / _SCALE / _SCALE


def _relaxation_bound(state: _State, deadline: float, seed: int) -> float | None:
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
        if x.cap_per_institution is not None:
            per_inst: dict[int, list[Any]] = {}
            for i, v in members:
                if x.institution[i] >= 0:
                    per_inst.setdefault(x.institution[i], []).append(v)
            for vs in per_inst.values():
                if len(vs) > x.cap_per_institution:
                    model.add(sum(vs) <= x.cap_per_institution)
        for sk, lvl in state.coverable[p].items():
            covered = model.new_bool_var("")
            w = model.new_bool_var("")
            model.add(w <= z[t])
            wild_cover.setdefault(sk, []).append((lvl, w))
            model.add(covered <= sum(v for i, v in members if x.skills[i].get(sk, 0) >= lvl) + w)
            objective.append(x.coverage_penalty * _SCALE * (covered - 1))
        if x.balance_penalty:
            strength = sum(x.strength[i] * _SCALE * v for i, v in members) + _SCALE * u[t]
            # the band rounded outwards: the relaxation must never charge more than the true penalty (rounding
            # to nearest made the bound up to 0.5 x size hundredths too low, below the optimum)
            hi = math.ceil(state.mean * (1 + x.tolerance) * _SCALE)
            lo = math.floor(state.mean * (1 - x.tolerance) * _SCALE)
            out = model.new_int_var(0, (max_s * _SCALE + lo) * x.size_max[t], "")
            model.add(out >= strength - hi * size)
            model.add(out >= lo * size - strength)
            objective.append(-x.balance_penalty * out)
        objective.extend(x.points[i][p] * _SCALE * _SCALE * v for i, v in members)
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
    return solver.best_objective_bound / _SCALE / _SCALE


def _lns(
    state: _State, rng: random.Random, deadline: float, neighbourhood: int, workers: int
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


def form_teams(
    instance: dict[str, Any],
    time_limit: float = 60.0,
    workers: int = 1,
    neighbourhood: int = 12,
    stop_gap: float = 0.01,
) -> dict[str, Any]:
    """Form PBL teams for ``instance`` (schema in docs/programs.md) within about ``time_limit`` seconds.

    Returns ``{"teams": [...], "assignments": {learner: team}, "diagnostics": {...}}`` with the objective,
    the best valid upper bound and the optimality gap ``(bound - objective) / bound``. Guarantees: team sizes
    and the institution cap hold; ``bound`` is a valid upper bound for the whole problem, so ``gap`` certifies
    how far from optimal the teams can be. Stops early once ``gap <= stop_gap``. ``workers``: CP-SAT workers
    per LNS sub-problem. Raises ``InstanceInvalid`` (every problem listed) and ``SolverError``.
    """
    from talentbridge.programs._teams_bound import lp_bound, mip_improve

    started = time.monotonic()
    deadline = started + time_limit
    x = _parse(instance)
    rng = random.Random(x.seed)
    n = len(x.learner_ids)
    if n == 0:
        return _result(x, _State(x, []), started, "EMPTY", 0.0, 0.0, None)
    team_of, bound_scaled = _flow_start(x)
    state = _State(x, team_of)
    _repair(state, rng, started + 0.15 * time_limit)
    _improve(state, started + 0.25 * time_limit)
    _repair(state, rng, started + 0.3 * time_limit)
    heuristic = state.total() / _SCALE
    flow_bound = bound_scaled / _SCALE
    n_teams = len(state.members)
    small = n * n_teams <= _FULL_MIP_PAIRS
    # (1) the LP relaxation of the full model: a valid bound and a guide for the MIP's candidate pairs
    lp, lp_x = (None, None)
    if not small and n * n_teams <= _LP_PAIRS:
        lp, lp_x = lp_bound(x, state.coverable, state.mean, 0.4 * (deadline - time.monotonic()))
    # (2) HiGHS MIP: on a small instance over every pair (then its dual bound is valid for the whole
    # problem); otherwise over listed projects + current team + the LP's support (a primal heuristic only)
    teams_of_project: dict[int, list[int]] = {}
    for t, p in enumerate(x.team_project):
        teams_of_project.setdefault(p, []).append(t)
    if small:
        pairs = {i: list(range(n_teams)) for i in range(n)}
    else:
        pairs = {}
        for i in range(n):
            cand = {state.team_of[i]} | {t for p in x.points[i] for t in teams_of_project.get(p, ())}
            if lp_x is not None:
                cand |= set(np.flatnonzero(lp_x[i] > 1e-6).tolist())
            pairs[i] = sorted(cand)
    mip_budget = (deadline - time.monotonic()) * (1.0 if small else 0.7) - 0.5
    assignment, mip_bound = mip_improve(x, state.coverable, state.mean, pairs, mip_budget)
    mip_used = False
    if assignment is not None and len(assignment) == n:
        members: list[list[int]] = [[] for _ in range(n_teams)]
        for i, t in assignment.items():
            members[t].append(i)
        sizes_ok = all(x.size_min[t] <= len(members[t]) <= x.size_max[t] for t in range(n_teams))
        scores = [state.team_score(t, members[t]) for t in range(n_teams)]
        if sizes_ok and sum(scores) > state.total() and all(sc > -(10**8) for sc in scores):
            state.members, state.scores = members, scores
            for i, t in assignment.items():
                state.team_of[i] = t
            mip_used = True
    full_mip = mip_bound if small else None
    bounds = [b for b in (flow_bound, lp, full_mip) if b is not None]

    def gap_now() -> float:
        best = min(bounds)
        return 0.0 if best <= 0 else (best - state.total() / _SCALE) / best

    # (3) CP-SAT LNS for the remaining time, unless the certified gap is already small; without an LP bound
    # (instance too large or LP out of time) a CP-SAT relaxation runs on a second thread for a bound
    box: dict[str, Any] = {}
    worker = None
    if lp is None and full_mip is None:

        def bound_worker() -> None:
            try:
                box["bound"] = _relaxation_bound(state, deadline - 0.3, x.seed)
            except Exception as exc:  # reported below, in the calling thread
                box["error"] = exc

        worker = threading.Thread(target=bound_worker, name="teams-bound")
        worker.start()
    tried = improved = 0
    if worker is not None or gap_now() > stop_gap:
        tried, improved = _lns(state, rng, deadline, neighbourhood, workers)
    if worker is not None:
        worker.join()
    if "error" in box:
        raise box["error"]
    if not _feasible(state):
        raise SolverError("no team assignment respects the institution cap")
    relaxed = box.get("bound")
    if relaxed is not None:
        bounds.append(relaxed)
    bound = min(bounds)
    status = "MIP" if mip_used else "LNS" if tried else "HEURISTIC"
    result = _result(x, state, started, status, bound, heuristic, None)
    result["diagnostics"]["bounds"] = {
        "preference_flow": round(flow_bound, 2),
        "lp": lp,
        "mip": None if full_mip is None else round(full_mip, 2),
        "relaxation": None if relaxed is None else round(relaxed, 2),
    }
    result["diagnostics"]["lns"] = {"neighbourhoods": tried, "improved": improved}
    return result


def _feasible(state: _State) -> bool:
    return all(s > -(10**8) for s in state.scores)


def _result(
    x: _Teams,
    state: _State,
    started: float,
    status: str,
    bound: float,
    heuristic: float,
    model_bound: float | None,
) -> dict[str, Any]:
    objective = state.total() / _SCALE
    teams = []
    uncovered_total = 0
    strengths = []
    rank_counts: dict[str, int] = {}
    for t, members in enumerate(state.members):
        p = x.team_project[t]
        req = x.must_have[p]
        uncovered = [s for s, lvl in req.items() if not any(x.skills[m].get(s, 0) >= lvl for m in members)]
        uncovered_total += len(uncovered)
        strength = sum(x.strength[m] for m in members)
        strengths.append(strength)
        for m in members:
            key = str(x.ranks[m][p]) if p in x.ranks[m] else "unlisted"
            rank_counts[key] = rank_counts.get(key, 0) + 1
        teams.append(
            {
                "team": x.team_names[t],
                "project": x.project_ids[p],
                "members": sorted((x.learner_ids[m] for m in members), key=x.learner_ids.index),
                "strength": strength,
                "uncovered": uncovered,
            }
        )
    # the objective is in whole hundredths; the bound is reported rounded up to hundredths (still a valid upper
    # bound), and the gap is computed from the two reported numbers
    bound = math.ceil(bound * 100 - 1e-6) / 100
    gap = 0.0 if bound <= 0 else max(0.0, (bound - objective) / bound)
    diagnostics: dict[str, Any] = {
        "status": status,
        "teams": len(teams),
        "assigned": len(state.team_of),
        "objective": round(objective, 2),
        "bound": round(bound, 2),
        "gap": round(gap, 5),
        "heuristic_objective": round(heuristic, 2),
        "seconds": round(time.monotonic() - started, 2),
        "uncovered_skills": uncovered_total,
        "uncoverable_skills": sum(
            len(req) - len(cov) for req, cov in zip(x.must_have, state.coverable, strict=True)
        )
        if state.team_of
        else 0,
        "strength": {
            "min": min(strengths, default=0),
            "max": max(strengths, default=0),
            "mean_per_member": round(state.mean, 3),
        },
        "preference_rank_distribution": dict(
            sorted(
                rank_counts.items(),
                key=lambda kv: (kv[0] == "unlisted", int(kv[0]) if kv[0] != "unlisted" else 0),
            )
        ),
    }
    if model_bound is not None:
        diagnostics["model_bound"] = round(model_bound, 2)
    return {
        "teams": teams,
        "assignments": {x.learner_ids[i]: x.team_names[t] for i, t in enumerate(state.team_of)},
        "diagnostics": diagnostics,
    }
