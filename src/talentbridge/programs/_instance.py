"""Validating a matching instance (plain dict, as in JSON) and turning it into flat arrays.

The schema is documented in docs/programs.md. Every problem is collected and reported at once as
:class:`~talentbridge.domain.errors.InstanceInvalid`; nothing is solved from a malformed instance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from talentbridge.domain.errors import InstanceInvalid, Problem

__all__ = ["Arrays", "DuplicateEntries", "assemble", "parse_carefully", "parse_instance", "SECONDMENT_RULES"]

#: Why a listed pair cannot be matched, in the order they are checked.
SECONDMENT_RULES = ("own_employer", "affiliate", "competitor", "term")
EXCLUSION_REASONS = ("not_ranked_by_program", *SECONDMENT_RULES)


@dataclass
class Arrays:
    """A validated instance as flat arrays (see :mod:`talentbridge.programs.deferred_acceptance`)."""

    applicant_ids: list[str]
    program_ids: list[str]
    region_ids: list[str]
    app_ptr: np.ndarray  # (n+1) CSR over acceptable entries, applicant's order
    app_prog: np.ndarray  # (L) program index
    app_prank: np.ndarray  # (L) program's strict rank of the applicant (ties broken by the lottery)
    app_listed_rank: np.ndarray  # (L) 1-based position in the applicant's submitted list
    score: np.ndarray  # (L) fit score of the pair (0 when the program gives none)
    capacity: np.ndarray  # (m)
    target: np.ndarray  # (m) seat target within the region (flexible DA); = capacity where no cap
    prog_region: np.ndarray  # (m) region index or -1
    region_cap: np.ndarray  # (R) most placements in the region, -1 = no cap
    listed: np.ndarray  # (n) length of each submitted list
    seed: int
    lottery: np.ndarray  # (n) applicant indices in lottery order (earlier wins a tie)
    tied_groups: int
    excluded_pairs: dict[str, int] = field(default_factory=dict)
    excluded_by_applicant: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.applicant_ids)

    @property
    def m(self) -> int:
        return len(self.program_ids)

    @property
    def has_caps(self) -> bool:
        return bool((self.region_cap >= 0).any())


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


def parse_instance(instance: Any) -> Arrays:
    """Validate ``instance`` and build :class:`Arrays`. Raises ``InstanceInvalid`` listing every problem.

    A well-formed instance without secondment fields takes the vectorised path (``_instance_fast``); anything
    else, and every instance with a problem, is checked here entry by entry so that every problem is listed."""
    from talentbridge.programs._instance_fast import parse_fast

    fast = parse_fast(instance)
    if fast is not None:
        return fast
    return parse_carefully(instance)


def parse_carefully(instance: Any) -> Arrays:
    """The entry-by-entry path of :func:`parse_instance` (every problem listed)."""
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
        secondment = _Secondment(prog_org, prog_group, prog_comp, prog_term, app_emp, app_group, app_aff, app_comp,
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


@dataclass
class _Secondment:
    """The secondment fields of an instance that uses them (per program, per applicant)."""

    prog_org: list[str | None]
    prog_group: list[str | None]
    prog_comp: list[frozenset[str]]
    prog_term: list[int | None]
    app_emp: list[str | None]
    app_group: list[str | None]
    app_aff: list[frozenset[str]]
    app_comp: list[frozenset[str]]
    app_months: list[int | None]

    def reasons(self, ranked: np.ndarray, ae_app: np.ndarray, ae_prog: np.ndarray, reason: np.ndarray) -> None:
        """Mark each ranked pair a secondment rule forbids with its reason (index into EXCLUSION_REASONS)."""
        for k in np.flatnonzero(ranked):
            a, p = int(ae_app[k]), int(ae_prog[k])
            org, emp = self.prog_org[p], self.app_emp[a]
            if org is not None and org == emp:
                reason[k] = 1
            elif (org is not None and org in self.app_aff[a]) or (
                self.prog_group[p] is not None and self.prog_group[p] == self.app_group[a]
            ):
                reason[k] = 2
            elif (org is not None and org in self.app_comp[a]) or (emp is not None and emp in self.prog_comp[p]):
                reason[k] = 3
            elif (
                self.prog_term[p] is not None and self.app_months[a] is not None and self.prog_term[p] > self.app_months[a]
            ):
                reason[k] = 4


#: Below this many (programme, applicant) cells, a dense table finds each applicant entry's rank.
DENSE_CELLS = 8_000_000


class DuplicateEntries(Exception):
    """A list names the same id twice (found while assembling an instance the fast path took unchecked)."""


def _program_ranks(
    pe_prog: np.ndarray,
    pe_app: np.ndarray,
    strict_rank: np.ndarray,
    ae_prog: np.ndarray,
    ae_app: np.ndarray,
    n: int,
    m: int,
    check_duplicates: bool,
) -> np.ndarray:
    """For each applicant entry (a, p): p's strict rank of a, or -1 when p does not rank a. With
    ``check_duplicates``, raises DuplicateEntries when a programme or an applicant lists someone twice."""
    pe_key = pe_prog * n + pe_app
    ae_key = ae_prog * n + ae_app
    if n * m <= DENSE_CELLS:
        if check_duplicates and len(pe_key) and (
            np.bincount(pe_key, minlength=n * m).max() > 1 or np.bincount(ae_key, minlength=n * m).max() > 1
        ):
            raise DuplicateEntries
        table = np.full(n * m, -1, dtype=np.int64)
        table[pe_key] = strict_rank
        return table[ae_key]
    pe_order = np.argsort(pe_key)
    pe_sorted = pe_key[pe_order]
    ae_order = np.argsort(ae_key)
    queries = ae_key[ae_order]
    if check_duplicates and (bool((pe_sorted[1:] == pe_sorted[:-1]).any()) or bool((queries[1:] == queries[:-1]).any())):
        raise DuplicateEntries
    pos = np.minimum(np.searchsorted(pe_sorted, queries), max(len(pe_sorted) - 1, 0))  # monotone: cache-friendly
    prank = np.full(len(ae_key), -1, dtype=np.int64)
    if len(pe_sorted):
        hit = pe_sorted[pos] == queries
        prank[ae_order[hit]] = strict_rank[pe_order[pos[hit]]]
    return prank


def assemble(
    *,
    applicant_ids: list[str],
    program_ids: list[str],
    region_ids: list[str],
    pe_prog: np.ndarray,
    pe_app: np.ndarray,
    pe_tier: np.ndarray,
    ae_app: np.ndarray,
    ae_prog: np.ndarray,
    ae_rank: np.ndarray,
    sc_key: np.ndarray,
    sc_val: np.ndarray,
    capacity: np.ndarray,
    target: np.ndarray,
    prog_region: np.ndarray,
    region_cap: np.ndarray,
    listed: np.ndarray,
    seed: int,
    tied_groups: int,
    secondment: _Secondment | None = None,
    check_duplicates: bool = False,
) -> Arrays:
    """:class:`Arrays` from a validated instance's flat entries (``pe_*``: programs' ranked applicants with their
    tier; ``ae_*``: applicants' listed programs with their 1-based position; ``sc_*``: scores keyed p*n+a)."""
    n, m, n_regions = len(applicant_ids), len(program_ids), len(region_ids)
    pe_prog_a, pe_app_a, ae_app_a, ae_prog_a = pe_prog, pe_app, ae_app, ae_prog
    # --- single tie-breaking: one lottery over all applicants
    lottery = np.random.default_rng(seed).permutation(n).astype(np.int64)
    lottery_pos = np.empty(n, dtype=np.int64)
    lottery_pos[lottery] = np.arange(n, dtype=np.int64)

    starts = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(pe_prog_a, minlength=m), out=starts[1:])
    position = np.arange(len(pe_prog_a), dtype=np.int64)
    if tied_groups == 0 and bool((pe_prog_a[1:] >= pe_prog_a[:-1]).all()) and np.array_equal(
        pe_tier, position - starts[pe_prog_a]
    ):
        strict_rank = pe_tier  # one applicant per tier, in list order: the rank is the position
    else:
        order = np.lexsort((lottery_pos[pe_app_a], pe_tier, pe_prog_a))
        strict_rank = np.empty(len(order), dtype=np.int64)
        strict_rank[order] = position - starts[pe_prog_a[order]]
    prank = _program_ranks(pe_prog_a, pe_app_a, strict_rank, ae_prog_a, ae_app_a, n, m, check_duplicates)
    ranked = prank >= 0

    # --- secondment rules (only evaluated when the instance uses them)
    reason = np.where(ranked, -1, 0)  # index into EXCLUSION_REASONS, -1 = acceptable
    if secondment is not None:
        secondment.reasons(ranked, ae_app_a, ae_prog_a, reason)

    ae_key = ae_prog_a * max(n, 1) + ae_app_a
    keep = reason < 0
    excluded_pairs = {
        name: int(c)
        for name, c in zip(EXCLUSION_REASONS, np.bincount(reason[~keep], minlength=5), strict=True)
    }
    excluded_by_applicant: dict[int, dict[str, int]] = {}
    pairs, counts = np.unique(ae_app_a[~keep] * len(EXCLUSION_REASONS) + reason[~keep], return_counts=True)
    for pair, count in zip(pairs.tolist(), counts.tolist(), strict=True):
        a, r = divmod(pair, len(EXCLUSION_REASONS))
        excluded_by_applicant.setdefault(a, {})[EXCLUSION_REASONS[r]] = count

    score = np.zeros(len(ae_key), dtype=np.float64)
    if len(sc_key):
        so = np.argsort(sc_key)
        sk_sorted = sc_key[so]
        spos = np.minimum(np.searchsorted(sk_sorted, ae_key), len(sc_key) - 1)
        hit = sk_sorted[spos] == ae_key
        score[hit] = sc_val[so[spos[hit]]]

    app_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(ae_app_a[keep], minlength=n), out=app_ptr[1:])

    # seat targets (Kamada & Kojima): explicit, else the region cap shared in proportion to capacity
    target = target.copy()
    for r in range(n_regions):
        members = np.flatnonzero(prog_region == r)
        if region_cap[r] < 0:
            target[members] = capacity[members]
            continue
        unset = members[target[members] < 0]
        spare = int(region_cap[r] - target[members][target[members] >= 0].sum())
        total = int(capacity[unset].sum())
        if total > 0:
            target[unset] = np.minimum(capacity[unset], (capacity[unset] * spare) // total)
        else:
            target[unset] = 0
    target[prog_region < 0] = capacity[prog_region < 0]

    return Arrays(
        applicant_ids=applicant_ids,
        program_ids=program_ids,
        region_ids=region_ids,
        app_ptr=app_ptr,
        app_prog=ae_prog_a[keep],
        app_prank=prank[keep],
        app_listed_rank=ae_rank[keep],
        score=score[keep],
        capacity=capacity,
        target=target,
        prog_region=prog_region,
        region_cap=region_cap,
        listed=listed,
        seed=seed,
        lottery=lottery,
        tied_groups=tied_groups,
        excluded_pairs=excluded_pairs,
        excluded_by_applicant=excluded_by_applicant,
    )
