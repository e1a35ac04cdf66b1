"""Maximum-welfare assignment: the largest total fit score subject to capacities and regional caps.

A min-cost flow (OR-Tools ``SimpleMinCostFlow``): source -> applicant (1 seat) -> program (one arc per
mutually acceptable pair) -> region (program capacity) -> sink (regional cap), plus a source -> sink arc so
applicants may stay unplaced. Because every program lies in exactly one region the constraint matrix is a
network matrix, so the flow optimum is an integral optimum of the assignment problem -- no LP rounding.

The objective is lexicographic: first the total fit score (in hundredths), then the number placed and how
high each placed applicant ranked the program. The result is generally *not* stable; :mod:`diagnostics`
counts the blocking pairs it creates.
"""

from __future__ import annotations

import numpy as np

from talentbridge.domain.errors import SolverError

__all__ = ["max_welfare"]

_COST_LIMIT = 2**60


def max_welfare(
    app_ptr: np.ndarray,
    app_prog: np.ndarray,
    score: np.ndarray,
    capacity: np.ndarray,
    prog_region: np.ndarray,
    region_cap: np.ndarray,
) -> np.ndarray:
    """Return ``match`` (entry index or -1 per applicant) maximising the total ``score`` of the entries used.

    Guarantees: capacities and caps respected; the total score is maximal among all such assignments of
    mutually acceptable pairs; among those, as many applicants as possible are placed, then at better ranks.
    Raises ``SolverError`` if the solver does not report an optimum. Polynomial (cost scaling).
    """
    from ortools.graph.python import min_cost_flow

    n, m = len(app_ptr) - 1, len(capacity)
    n_regions = len(region_cap)
    lengths = np.diff(app_ptr)
    entry_app = np.repeat(np.arange(n, dtype=np.int64), lengths)
    rank0 = np.arange(len(app_prog), dtype=np.int64) - np.repeat(app_ptr[:-1], lengths)
    longest = int(lengths.max()) if n else 0
    cents = np.rint(score * 100).astype(np.int64)
    scale = n * (longest + 1) + 1  # the secondary term of all placed applicants together stays below one cent
    # cost scaling multiplies costs by about the node count; keep every intermediate inside int64
    if (int(np.abs(cents).max(initial=0)) + 1) * scale * (n + m + n_regions + 3) >= _COST_LIMIT:
        raise SolverError("fit scores too large for exact max-welfare costs; rescale them below 1e6")
    gain = cents * scale + (longest + 1 - rank0)

    source, sink = 0, 1 + n + m + n_regions + 1
    app_node = 1 + np.arange(n, dtype=np.int64)
    prog_node = 1 + n + np.arange(m, dtype=np.int64)
    region_node = 1 + n + m + np.arange(n_regions, dtype=np.int64)
    tails = [np.zeros(n, dtype=np.int64), app_node[entry_app]]
    heads = [app_node, prog_node[np.asarray(app_prog, dtype=np.int64)]]
    caps = [np.ones(n, dtype=np.int64), np.ones(len(app_prog), dtype=np.int64)]
    costs = [np.zeros(n, dtype=np.int64), -gain]
    capped = (
        (prog_region >= 0) & (region_cap[np.maximum(prog_region, 0)] >= 0) if n_regions else np.zeros(m, bool)
    )
    tails.append(prog_node)
    heads.append(np.where(capped, region_node[np.maximum(prog_region, 0)] if n_regions else 0, sink))
    caps.append(np.asarray(capacity, dtype=np.int64))
    costs.append(np.zeros(m, dtype=np.int64))
    tails.append(region_node)
    heads.append(np.full(n_regions, sink, dtype=np.int64))
    caps.append(np.maximum(region_cap, 0))
    costs.append(np.zeros(n_regions, dtype=np.int64))
    tails.append(np.array([source]))
    heads.append(np.array([sink]))
    caps.append(np.array([n]))
    costs.append(np.array([0]))

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolverError(f"max-welfare min-cost flow failed with status {status}", status=int(status))
    pair_arcs = arcs[n : n + len(app_prog)]
    used = np.flatnonzero(flow.flows(pair_arcs) > 0)
    match = np.full(n, -1, dtype=np.int64)
    match[entry_app[used]] = used
    return match
