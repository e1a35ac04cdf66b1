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
:func:`._teams_cpsat.relaxation_bound`). The reported gap is ``(bound - objective) / bound`` with the
smallest valid bound -- a certificate for the whole problem, never only for a restricted model.

Modules: validation in ``_teams_instance``, the objective team by team in ``_teams_scoring``, steps (1)-(2) in
``_teams_search``, (3)-(4) in ``_teams_bound``, (5) in ``_teams_cpsat``; this module runs them and reports.
"""

from __future__ import annotations

import math
import random
import threading
import time
from typing import Any

import numpy as np

from talentbridge.domain.errors import SolverError
from talentbridge.programs._teams_cpsat import lns, relaxation_bound
from talentbridge.programs._teams_instance import SCALE, Teams, parse_teams
from talentbridge.programs._teams_scoring import TeamState
from talentbridge.programs._teams_search import flow_start, improve, repair

__all__ = ["form_teams"]

_FULL_MIP_PAIRS = 20_000  # learners x teams up to which HiGHS solves the whole model as a MIP
_LP_PAIRS = 3_000_000  # ... up to which the LP relaxation of the whole model gives the bound


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
    x = parse_teams(instance)
    rng = random.Random(x.seed)
    n = len(x.learner_ids)
    if n == 0:
        return _result(x, TeamState(x, []), started, "EMPTY", 0.0, 0.0, None)
    team_of, bound_scaled = flow_start(x)
    state = TeamState(x, team_of)
    repair(state, rng, started + 0.15 * time_limit)
    improve(state, started + 0.25 * time_limit)
    repair(state, rng, started + 0.3 * time_limit)
    heuristic = state.total() / SCALE
    flow_bound = bound_scaled / SCALE
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
        return 0.0 if best <= 0 else (best - state.total() / SCALE) / best

    # (3) CP-SAT LNS for the remaining time, unless the certified gap is already small; without an LP bound
    # (instance too large or LP out of time) a CP-SAT relaxation runs on a second thread for a bound
    box: dict[str, Any] = {}
    worker = None
    if lp is None and full_mip is None:

        def bound_worker() -> None:
            try:
                box["bound"] = relaxation_bound(state, deadline - 0.3, x.seed)
            except Exception as exc:  # reported below, in the calling thread
                box["error"] = exc

        worker = threading.Thread(target=bound_worker, name="teams-bound")
        worker.start()
    tried = improved = 0
    if worker is not None or gap_now() > stop_gap:
        tried, improved = lns(state, rng, deadline, neighbourhood, workers)
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


def _feasible(state: TeamState) -> bool:
    return all(s > -(10**8) for s in state.scores)


def _result(
    x: Teams,
    state: TeamState,
    started: float,
    status: str,
    bound: float,
    heuristic: float,
    model_bound: float | None,
) -> dict[str, Any]:
    objective = state.total() / SCALE
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
