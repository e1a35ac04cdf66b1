"""LP/MIP models for PBL team formation (private to :mod:`talentbridge.programs.teams`).

:func:`lp_bound` solves the linear relaxation of the *full* assignment model -- every learner x every team,
team sizes, institution caps, one covering variable per (team, coverable must-have) and the balance excess
per team -- with HiGHS (``scipy.optimize.linprog``). Its optimum is an upper bound for the real objective
because (a) every integral assignment is feasible for it, with ``covered = 1`` exactly when a member covers
the skill, and (b) its balance term ``balance_penalty x excess`` is never larger than the real one, which
rounds up to a hundredth of a point. Nothing is dropped or aggregated, so the bound holds for the whole
problem. :func:`mip_improve` solves the same model as a MIP over a *restricted* set of (learner, team) pairs
with HiGHS; it only produces assignments (its bound is not reported: it is not valid for the whole problem).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["lp_bound", "mip_improve"]


def _build(x: Any, coverable: list[dict[str, int]], mean: float, ci: np.ndarray, ct: np.ndarray):  # type: ignore[no-untyped-def]
    """Columns: assignment pairs (ci[k], ct[k]), then covering variables, then balance excesses.
    Returns (cost, A_ub, b_ub, A_eq, b_eq, bounds, constant, n_pairs); cost is minimised."""
    from scipy import sparse

    n, n_teams = len(x.learner_ids), len(x.team_project)
    nx = len(ci)
    cover_cols = [(t, s, lvl) for t, p in enumerate(x.team_project) for s, lvl in coverable[p].items()]
    nc = len(cover_cols)
    balance = x.balance_penalty > 0
    no = n_teams if balance else 0
    ncols = nx + nc + no
    pen_cov = x.coverage_penalty / 100.0  # points per uncovered must-have
    pen_bal = x.balance_penalty / 100.0  # points per strength point outside the band

    project = np.asarray(x.team_project)[ct]
    cost = np.zeros(ncols)
    cost[:nx] = [-x.points[i].get(p, 0) for i, p in zip(ci.tolist(), project.tolist(), strict=True)]
    cost[nx : nx + nc] = -pen_cov
    cost[nx + nc :] = pen_bal
    constant = -pen_cov * nc
    cols = np.arange(nx)
    a_eq = sparse.csr_matrix((np.ones(nx), (ci, cols)), shape=(n, ncols))
    b_eq = np.ones(n)

    rows: list[np.ndarray] = [ct, n_teams + ct]
    colz: list[np.ndarray] = [cols, cols]
    vals: list[np.ndarray] = [np.ones(nx), -np.ones(nx)]
    b_ub: list[float] = [float(v) for v in x.size_max] + [-float(v) for v in x.size_min]
    r = 2 * n_teams
    if x.cap_per_institution is not None:
        inst = np.asarray(x.institution)[ci]
        counts = np.bincount(np.asarray([k for k in x.institution if k >= 0], dtype=np.int64))
        for k in np.flatnonzero(counts > x.cap_per_institution).tolist():
            sel = np.flatnonzero(inst == k)
            rows.append(r + ct[sel])
            colz.append(sel)
            vals.append(np.ones(len(sel)))
            b_ub += [float(x.cap_per_institution)] * n_teams
            r += n_teams
    # coverage: c[t,s] - sum_{able i} x[i,t] <= 0
    by_team: list[list[int]] = [[] for _ in range(n_teams)]
    for k, t in enumerate(ct.tolist()):
        by_team[t].append(k)
    for k, (t, s, lvl) in enumerate(cover_cols):
        able = [c for c in by_team[t] if x.skills[int(ci[c])].get(s, 0) >= lvl]
        rows.append(np.full(len(able) + 1, r))
        colz.append(np.asarray([nx + k, *able], dtype=np.int64))
        vals.append(np.concatenate([[1.0], -np.ones(len(able))]))
        b_ub.append(0.0)
        r += 1
    if balance:
        # S_t - hi * size_t - o_t <= 0 ;  lo * size_t - S_t - o_t <= 0
        strength = np.asarray(x.strength, dtype=float)[ci]
        hi, lo = mean * (1 + x.tolerance), mean * (1 - x.tolerance)
        o = nx + nc + np.arange(n_teams)
        rows += [r + ct, r + n_teams + ct, r + np.arange(n_teams), r + n_teams + np.arange(n_teams)]
        colz += [cols, cols, o, o]
        vals += [strength - hi, lo - strength, -np.ones(n_teams), -np.ones(n_teams)]
        b_ub += [0.0] * (2 * n_teams)
        r += 2 * n_teams
    a_ub = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(colz))), shape=(r, ncols)
    )
    bounds = np.zeros((ncols, 2))
    bounds[:, 1] = 1.0
    bounds[nx + nc :, 1] = np.inf
    return cost, a_ub, np.asarray(b_ub), a_eq, b_eq, bounds, constant, nx


def lp_bound(
    x: Any, coverable: list[dict[str, int]], mean: float, time_limit: float
) -> tuple[float | None, np.ndarray | None]:
    """Upper bound (points) from the LP relaxation of the full model and its assignment values (learners x
    teams), or ``(None, None)`` when HiGHS finds no optimum in time."""
    from scipy.optimize import linprog

    n, n_teams = len(x.learner_ids), len(x.team_project)
    if n == 0 or n_teams == 0 or time_limit <= 0:
        return None, None
    ci = np.repeat(np.arange(n), n_teams)
    ct = np.tile(np.arange(n_teams), n)
    cost, a_ub, b_ub, a_eq, b_eq, bounds, constant, nx = _build(x, coverable, mean, ci, ct)
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=bounds,
        method="highs",
        options={"time_limit": float(time_limit)},
    )
    if res.status != 0 or res.fun is None:
        return None, None
    value = -float(res.fun) + constant
    # objectives are multiples of 1/100 point: round down after a tolerance for the LP's own accuracy
    bound = math.floor((value + 1e-6 * max(1.0, abs(value))) * 100) / 100
    return bound, np.asarray(res.x[:nx]).reshape(n, n_teams)


def mip_improve(
    x: Any, coverable: list[dict[str, int]], mean: float, pairs: dict[int, list[int]], time_limit: float
) -> tuple[dict[int, int] | None, float | None]:
    """HiGHS MIP over the allowed ``pairs`` (learner -> candidate teams): an assignment (or None) and the
    MIP's dual bound in points (or None). The bound is valid for the whole problem only when ``pairs`` holds
    every (learner, team) pair."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    if time_limit <= 0.5 or not pairs:
        return None, None
    ci = np.asarray([i for i, ts in pairs.items() for _ in ts], dtype=np.int64)
    ct = np.asarray([t for ts in pairs.values() for t in ts], dtype=np.int64)
    cost, a_ub, b_ub, a_eq, b_eq, bounds, constant, nx = _build(x, coverable, mean, ci, ct)
    integrality = np.zeros(len(cost))
    integrality[:nx] = 1
    res = milp(
        cost,
        constraints=[LinearConstraint(a_ub, -np.inf, b_ub), LinearConstraint(a_eq, b_eq, b_eq)],
        integrality=integrality,
        bounds=Bounds(bounds[:, 0], bounds[:, 1]),
        options={"time_limit": float(time_limit)},
    )
    dual = getattr(res, "mip_dual_bound", None)
    bound = None
    if dual is not None and math.isfinite(dual):
        value = -float(dual) + constant
        bound = math.floor((value + 1e-6 * max(1.0, abs(value))) * 100) / 100
    if res.x is None:
        return None, bound
    chosen = np.flatnonzero(res.x[:nx] > 0.5)
    return {int(ci[k]): int(ct[k]) for k in chosen}, bound
