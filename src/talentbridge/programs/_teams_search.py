"""Steps (1) and (2) of :mod:`talentbridge.programs.teams`: the start, its bound, and the local search.

:func:`flow_start` solves the preference-only relaxation (no coverage, institution or balance constraints), a
transportation problem, exactly as a min-cost flow; its optimum bounds the objective because the penalties are
non-negative. :func:`repair` swaps learners to remove institution excess, uncovered skills and imbalance;
:func:`improve` swaps learners towards projects they rank higher. Both stop at their deadline.
"""

from __future__ import annotations

import random
import time

import numpy as np

from talentbridge.domain.errors import SolverError
from talentbridge.programs._teams_instance import SCALE, Teams
from talentbridge.programs._teams_scoring import TeamState

__all__ = ["flow_start", "improve", "repair"]


def flow_start(x: Teams) -> tuple[list[int], int]:
    """Preference-only optimum by min-cost flow: learners -> teams (listed projects) or -> hub -> any team.
    Returns the assignment and its preference points (x SCALE), an upper bound for the full objective."""
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
    bound = sum(x.points[i].get(x.team_project[team_of[i]], 0) for i in range(n)) * SCALE
    return team_of, bound


def repair(state: TeamState, rng: random.Random, deadline: float) -> None:
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


def improve(state: TeamState, deadline: float) -> None:
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
