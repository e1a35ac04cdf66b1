"""``solve(instance)``: validate a matching instance, run a mechanism on its arrays, and report the result.

The dict-in/dict-out wrapper around the array functions; the schema is documented in docs/programs.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.programs import diagnostics as diag
from talentbridge.programs._instance import Arrays, parse_instance

__all__ = ["solve", "solve_arrays", "MECHANISMS", "PROPOSING"]

MECHANISMS = ("da", "flexible-da", "max-welfare")
PROPOSING = ("applicants", "programs")


def _check_options(mechanism: str, proposing: str) -> None:
    problems = []
    if mechanism not in MECHANISMS:
        problems.append(Problem(("mechanism",), f"must be one of {', '.join(MECHANISMS)}", mechanism))
    if proposing not in PROPOSING:
        problems.append(Problem(("proposing",), f"must be one of {', '.join(PROPOSING)}", proposing))
    elif mechanism == "flexible-da" and proposing != "applicants":
        problems.append(Problem(("proposing",), "flexible DA is applicant-proposing only", proposing))
    if problems:
        raise ValidationFailed("invalid solve options", problems)


def solve_arrays(arrays: Arrays, mechanism: str = "da", proposing: str = "applicants") -> np.ndarray:
    """Run ``mechanism`` on validated arrays; returns ``match`` (entry index or -1 per applicant)."""
    _check_options(mechanism, proposing)
    x = arrays
    if mechanism == "da":
        from talentbridge.programs.deferred_acceptance import applicant_proposing, program_proposing

        run = applicant_proposing if proposing == "applicants" else program_proposing
        return run(x.app_ptr, x.app_prog, x.app_prank, x.capacity)
    if mechanism == "flexible-da":
        from talentbridge.programs.flexible_da import flexible_deferred_acceptance

        return flexible_deferred_acceptance(
            x.app_ptr, x.app_prog, x.app_prank, x.capacity, x.target, x.prog_region, x.region_cap
        )
    from talentbridge.programs.welfare import max_welfare

    return max_welfare(x.app_ptr, x.app_prog, x.score, x.capacity, x.prog_region, x.region_cap)


def _stable_reference(x: Arrays, proposing: str) -> tuple[str, np.ndarray]:
    if x.has_caps:
        return "flexible-da", solve_arrays(x, "flexible-da", "applicants")
    return "da", solve_arrays(x, "da", proposing)


def _diagnostics(x: Arrays, match: np.ndarray, mechanism: str) -> dict[str, Any]:
    placed = match[match >= 0]
    count = np.bincount(x.app_prog[placed], minlength=x.m)
    empty = x.capacity - count
    bp = diag.blocking_pairs(
        x.app_ptr, x.app_prog, x.app_prank, x.capacity, match, x.prog_region, x.region_cap, x.target
    )
    reasons = diag.unmatched_reasons(
        x.app_ptr, x.app_prog, x.capacity, match, x.listed, x.prog_region, x.region_cap
    )
    unmatched = np.flatnonzero(match < 0)
    per_applicant: dict[str, Any] = {}
    by_reason: dict[str, int] = {}
    for a in unmatched.tolist():
        code = str(reasons[a])
        by_reason[code] = by_reason.get(code, 0) + 1
        item: dict[str, Any] = {"reason": code}
        if a in x.excluded_by_applicant:
            item["excluded"] = x.excluded_by_applicant[a]
        per_applicant[x.applicant_ids[a]] = item
    rcount = diag.region_counts(match, x.app_prog, x.prog_region, len(x.region_ids))
    regions = {}
    for r, rid in enumerate(x.region_ids):
        members = x.prog_region == r
        cap = int(x.region_cap[r]) if x.region_cap[r] >= 0 else None
        regions[rid] = {
            "cap": cap,
            "placed": int(rcount[r]),
            "seats": int(x.capacity[members].sum()),
            "target": int(x.target[members].sum()),
            "over_cap": max(0, int(rcount[r]) - cap) if cap is not None else 0,
        }
    capped = mechanism != "da"
    return {
        "placed": len(placed),
        "unmatched": len(unmatched),
        "empty_seats": int(empty.sum()),
        "blocking_pairs": bp.constrained if capped else bp.total,
        "blocking_pairs_ignoring_caps": bp.total,
        "rank_distribution": diag.rank_distribution(match, x.app_listed_rank),
        "unmatched_by_reason": dict(sorted(by_reason.items())),
        "unmatched_reasons": per_applicant,
        "empty_seats_by_program": {
            x.program_ids[p]: int(empty[p]) for p in np.flatnonzero(empty > 0).tolist()
        },
        "excluded_pairs": x.excluded_pairs,
        "total_score": round(float(x.score[placed].sum()), 6),
        "regions": regions,
        "targets": {x.program_ids[p]: int(x.target[p]) for p in np.flatnonzero(x.prog_region >= 0).tolist()},
    }


def result_dict(x: Arrays, match: np.ndarray, mechanism: str, proposing: str) -> dict[str, Any]:
    """The result document for ``match`` (see docs/programs.md)."""
    prog_of = np.full(len(match), -1, dtype=np.int64)
    prog_of[match >= 0] = x.app_prog[match[match >= 0]]
    assignments = {
        aid: (x.program_ids[p] if p >= 0 else None)
        for aid, p in zip(x.applicant_ids, prog_of.tolist(), strict=True)
    }
    members: dict[str, list[str]] = {pid: [] for pid in x.program_ids}
    placed = np.flatnonzero(match >= 0)
    order = placed[np.lexsort((x.app_prank[match[placed]], prog_of[placed]))]
    for a in order.tolist():
        members[x.program_ids[prog_of[a]]].append(x.applicant_ids[a])
    tie_breaking: dict[str, Any] = {"rule": "single", "seed": x.seed, "tied_groups": x.tied_groups}
    if x.tied_groups:
        tie_breaking["lottery"] = [x.applicant_ids[a] for a in x.lottery.tolist()]
    return {
        "mechanism": mechanism,
        "proposing": proposing,
        "assignments": assignments,
        "programs": members,
        "tie_breaking": tie_breaking,
        "diagnostics": _diagnostics(x, match, mechanism),
    }


def solve(instance: dict[str, Any], mechanism: str = "da", proposing: str = "applicants") -> dict[str, Any]:
    """Solve a cohort matching instance (schema in docs/programs.md) and return the result document.

    ``mechanism``: ``"da"`` (deferred acceptance: stable; with ``proposing="applicants"`` applicant-optimal
    and strategy-proof for applicants; ignores regional caps but reports any excess), ``"flexible-da"``
    (Kamada-Kojima: respects regional caps, stable in the constrained sense, strategy-proof), or
    ``"max-welfare"`` (largest total fit score under capacities and caps; reports the blocking pairs it
    creates and the stable matching it was compared with).

    Raises ``InstanceInvalid`` listing every problem of a malformed instance, ``ValidationFailed`` for bad
    options and ``SolverError`` when the optimiser fails.
    """
    _check_options(mechanism, proposing)
    x = parse_instance(instance)
    match = solve_arrays(x, mechanism, proposing)
    result = result_dict(x, match, mechanism, proposing)
    if mechanism == "max-welfare":
        ref_name, ref = _stable_reference(x, proposing)
        ref_placed = ref[ref >= 0]
        result["diagnostics"]["stable_reference"] = {
            "mechanism": ref_name,
            "proposing": "applicants" if ref_name == "flexible-da" else proposing,
            "total_score": round(float(x.score[ref_placed].sum()), 6),
            "placed": len(ref_placed),
            "assignments_changed": int((ref != match).sum()),
        }
    return result
