"""The careful way from a matching instance (a plain dict, as in JSON) to its arrays
(:class:`~talentbridge.programs._instance.Arrays`).

Every entry is checked one by one against the schema of docs/programs.md, every problem is collected and reported at
once as :class:`~talentbridge.domain.errors.InstanceInvalid`, and nothing is solved from a malformed instance.
:func:`~talentbridge.programs._instance.parse_instance` comes here for any instance that the fast path
(``_instance_fast``) does not take: one with secondment fields, or with a problem.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from talentbridge.domain.errors import InstanceInvalid, Problem
from talentbridge.programs._instance import Arrays, Secondment, assemble

__all__ = ["parse_carefully"]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, loc: tuple[str | int, ...], msg: str, value: Any = None, type: str = "invalid") -> None:
        self.problems.append(Problem(loc=loc, msg=msg, value=value, type=type))


def _ids(items: list[Any], kind: str, pc: _Collector) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            pc.add((kind, i), "must be an object", item)
            continue
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            pc.add(
                (kind, i, "id"),
                "must be a non-empty string",
                ident,
                "missing" if ident is None else "invalid",
            )
        elif ident in index:
            pc.add((kind, i, "id"), f"duplicate id (first at {kind}[{index[ident]}])", ident, "duplicate")
        else:
            index[ident] = i
    return index


def _optional(
    item: dict[str, Any], key: str, check: Any, msg: str, loc: tuple[str | int, ...], pc: _Collector
) -> Any:
    value = item.get(key)
    if value is not None and not check(value):
        pc.add((*loc, key), msg, value)
        return None
    return value


def parse_carefully(instance: Any) -> Arrays:
    """The entry-by-entry path of :func:`~talentbridge.programs._instance.parse_instance` (every problem listed)."""
    pc = _Collector()
    if not isinstance(instance, dict):
        raise InstanceInvalid("a matching instance must be a JSON object", [Problem((), "must be an object")])
    lists = {}
    for key, required in (("applicants", True), ("programs", True), ("regions", False)):
        value = instance.get(key, None if required else [])
        if not isinstance(value, list):
            pc.add((key,), "must be a list", value, "missing" if value is None else "invalid")
            value = []
        lists[key] = value
    seed = instance.get("seed", 0)
    if not _is_int(seed) or seed < 0:
        pc.add(("seed",), "must be a non-negative integer", seed)
        seed = 0
    applicants, programs, regions = lists["applicants"], lists["programs"], lists["regions"]
    a_index = _ids(applicants, "applicants", pc)
    p_index = _ids(programs, "programs", pc)
    r_index = _ids(regions, "regions", pc)
    n, m, n_regions = len(applicants), len(programs), len(regions)

    region_cap = np.full(n_regions, -1, dtype=np.int64)
    for i, reg in enumerate(regions):
        if not isinstance(reg, dict):
            continue
        cap = reg.get("cap")
        if cap is not None and (not _is_int(cap) or cap < 0):
            pc.add(("regions", i, "cap"), "must be a non-negative integer or null (no cap)", cap)
        elif cap is not None:
            region_cap[i] = cap

    # --- programs: capacities, regions, ranked applicants with ties, scores, secondment fields
    capacity = np.zeros(m, dtype=np.int64)
    target = np.full(m, -1, dtype=np.int64)
    prog_region = np.full(m, -1, dtype=np.int64)
    pe_prog: list[int] = []
    pe_app: list[int] = []
    pe_tier: list[int] = []
    sc_key: list[int] = []
    sc_val: list[float] = []
    tied_groups = 0
    prog_org: list[str | None] = [None] * m
    prog_group: list[str | None] = [None] * m
    prog_comp: list[frozenset[str]] = [frozenset()] * m
    prog_term: list[int | None] = [None] * m
    for p, prog in enumerate(programs):
        if not isinstance(prog, dict):
            continue
        loc: tuple[str | int, ...] = ("programs", p)
        cap = prog.get("capacity")
        if not _is_int(cap) or cap < 0:
            pc.add(
                (*loc, "capacity"),
                "must be a non-negative integer",
                cap,
                "missing" if cap is None else "invalid",
            )
        else:
            capacity[p] = cap
        tgt = _optional(
            prog, "target", lambda v: _is_int(v) and v >= 0, "must be a non-negative integer", loc, pc
        )
        if tgt is not None:
            if _is_int(cap) and tgt > cap:
                pc.add((*loc, "target"), f"exceeds capacity {cap}", tgt)
            target[p] = tgt
        region = prog.get("region")
        if region is not None:
            if not isinstance(region, str) or region not in r_index:
                pc.add((*loc, "region"), "unknown region id", region, "unknown_id")
            else:
                prog_region[p] = r_index[region]
        prefs = prog.get("preferences")
        if not isinstance(prefs, list):
            pc.add(
                (*loc, "preferences"),
                "must be a list of applicant ids (a nested list is a tie)",
                prefs,
                "missing" if prefs is None else "invalid",
            )
            prefs = []
        seen: set[str] = set()
        for t, entry in enumerate(prefs):
            group = entry if isinstance(entry, list) else [entry]
            if isinstance(entry, list) and len(entry) > 1:
                tied_groups += 1
            for j, aid in enumerate(group):
                where = (*loc, "preferences", t, j) if isinstance(entry, list) else (*loc, "preferences", t)
                if not isinstance(aid, str) or aid not in a_index:
                    pc.add(where, "unknown applicant id", aid, "unknown_id")
                elif aid in seen:
                    pc.add(where, "applicant listed twice", aid, "duplicate")
                else:
                    seen.add(aid)
                    pe_prog.append(p)
                    pe_app.append(a_index[aid])
                    pe_tier.append(t)
        scores = prog.get("scores")
        if scores is not None:
            if not isinstance(scores, dict):
                pc.add((*loc, "scores"), "must be an object of applicant id to number", scores)
            else:
                for aid, val in scores.items():
                    if aid not in a_index:
                        pc.add((*loc, "scores", aid), "unknown applicant id", aid, "unknown_id")
                    elif not isinstance(val, int | float) or isinstance(val, bool) or not math.isfinite(val):
                        pc.add((*loc, "scores", aid), "must be a finite number", val)
                    else:
                        sc_key.append(p * n + a_index[aid])
                        sc_val.append(float(val))
        prog_org[p] = _optional(
            prog, "organization", lambda v: isinstance(v, str), "must be a string", loc, pc
        )
        prog_group[p] = _optional(prog, "group", lambda v: isinstance(v, str), "must be a string", loc, pc)
        prog_comp[p] = frozenset(
            _optional(prog, "competitors", _str_list, "must be a list of strings", loc, pc) or ()
        )
        prog_term[p] = _optional(
            prog, "term_months", lambda v: _is_int(v) and v > 0, "must be a positive integer", loc, pc
        )

    # --- applicants
    ae_app: list[int] = []
    ae_prog: list[int] = []
    ae_rank: list[int] = []
    listed = np.zeros(n, dtype=np.int64)
    app_emp: list[str | None] = [None] * n
    app_group: list[str | None] = [None] * n
    app_aff: list[frozenset[str]] = [frozenset()] * n
    app_comp: list[frozenset[str]] = [frozenset()] * n
    app_months: list[int | None] = [None] * n
    for a, app in enumerate(applicants):
        if not isinstance(app, dict):
            continue
        loc = ("applicants", a)
        prefs = app.get("preferences")
        if not isinstance(prefs, list):
            pc.add(
                (*loc, "preferences"),
                "must be a list of program ids",
                prefs,
                "missing" if prefs is None else "invalid",
            )
            prefs = []
        listed[a] = len(prefs)
        seen = set()
        for j, pid in enumerate(prefs):
            if not isinstance(pid, str) or pid not in p_index:
                pc.add((*loc, "preferences", j), "unknown program id", pid, "unknown_id")
            elif pid in seen:
                pc.add((*loc, "preferences", j), "program listed twice", pid, "duplicate")
            else:
                seen.add(pid)
                ae_app.append(a)
                ae_prog.append(p_index[pid])
                ae_rank.append(j + 1)
        app_emp[a] = _optional(app, "employer", lambda v: isinstance(v, str), "must be a string", loc, pc)
        app_group[a] = _optional(app, "group", lambda v: isinstance(v, str), "must be a string", loc, pc)
        app_aff[a] = frozenset(
            _optional(app, "affiliates", _str_list, "must be a list of strings", loc, pc) or ()
        )
        app_comp[a] = frozenset(
            _optional(app, "competitors", _str_list, "must be a list of strings", loc, pc) or ()
        )
        app_months[a] = _optional(
            app,
            "available_months",
            lambda v: _is_int(v) and v >= 0,
            "must be a non-negative integer",
            loc,
            pc,
        )

    # --- regional caps against explicit targets
    for r in range(n_regions):
        if region_cap[r] < 0:
            continue
        members = np.flatnonzero(prog_region == r)
        explicit = target[members]
        if explicit[explicit >= 0].sum() > region_cap[r]:
            pc.add(("regions", r, "cap"), "is below the sum of its programs' targets", int(region_cap[r]))

    if pc.problems:
        count = len(pc.problems)
        raise InstanceInvalid(
            f"matching instance has {count} problem{'s' if count != 1 else ''}", pc.problems
        )

    secondment = None
    if any(x is not None for x in app_emp + app_group + app_months) or any(app_aff) or any(app_comp):
        secondment = Secondment(prog_org, prog_group, prog_comp, prog_term, app_emp, app_group, app_aff, app_comp,
                                 app_months)  # fmt: skip
    return assemble(
        applicant_ids=[x["id"] for x in applicants],
        program_ids=[x["id"] for x in programs],
        region_ids=[x["id"] for x in regions],
        pe_prog=np.asarray(pe_prog, dtype=np.int64),
        pe_app=np.asarray(pe_app, dtype=np.int64),
        pe_tier=np.asarray(pe_tier, dtype=np.int64),
        ae_app=np.asarray(ae_app, dtype=np.int64),
        ae_prog=np.asarray(ae_prog, dtype=np.int64),
        ae_rank=np.asarray(ae_rank, dtype=np.int64),
        sc_key=np.asarray(sc_key, dtype=np.int64),
        sc_val=np.asarray(sc_val, dtype=np.float64),
        capacity=capacity,
        target=target,
        prog_region=prog_region,
        region_cap=region_cap,
        listed=listed,
        seed=seed,
        tied_groups=tied_groups,
        secondment=secondment,
    )
