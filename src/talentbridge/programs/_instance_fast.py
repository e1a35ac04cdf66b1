"""The fast way from a well-formed instance to :class:`~talentbridge.programs._instance.Arrays`.

National rounds are large (50,000 applicants x 6,400 programmes, 1.5 million list entries), and a per-entry Python
loop that checks each id, looks it up and appends it costs more than the matching itself. Here ids are mapped a list
at a time (``map`` over a dict lookup, at C speed) and every check that can be one (duplicates, list lengths,
ranks) is a numpy operation on the flat arrays.

``parse_fast`` only answers for instances it can take whole: the lists, capacities, targets, regions, scores and
ties of the schema in docs/programs.md, without the secondment fields. For anything else, and for any problem at
all, it returns None, and :func:`~talentbridge.programs._instance.parse_instance` validates the instance the careful
way and lists every problem. Both give equal arrays (a property test checks it).
"""

from __future__ import annotations

import math
from itertools import chain
from typing import Any

import numpy as np

from talentbridge.programs._instance import Arrays, DuplicateEntries, assemble

__all__ = ["parse_fast"]

#: Fields the fast path takes; any other field of an applicant or a program (the secondment fields) means the
#: careful path. Unknown extra fields are allowed by the schema, so they send an instance to the careful path too.
APPLICANT_FIELDS = frozenset({"id", "preferences"})
PROGRAM_FIELDS = frozenset({"id", "capacity", "preferences", "target", "region", "scores"})


class _Careful(Exception):
    """The instance needs the careful path (a problem to report, or a field the fast path does not take)."""


def _index(items: Any) -> tuple[list[str], dict[str, int]]:
    if type(items) is not list:
        raise _Careful
    try:
        ids = [item["id"] for item in items]
    except (TypeError, KeyError) as exc:
        raise _Careful from exc
    index = dict(zip(ids, range(len(ids)), strict=True))
    if len(index) != len(ids) or "" in index or not all(type(i) is str for i in ids):
        raise _Careful
    return ids, index


def _whole(value: Any) -> bool:
    return type(value) is int and value >= 0


def parse_fast(instance: Any) -> Arrays | None:
    """``Arrays`` of a well-formed instance the fast path takes; None otherwise (the careful path decides)."""
    try:
        return _parse(instance)
    except _Careful:
        return None


def _parse(instance: Any) -> Arrays:
    if type(instance) is not dict:
        raise _Careful
    applicants, programs, regions = instance.get("applicants"), instance.get("programs"), instance.get("regions", [])
    seed = instance.get("seed", 0)
    if not _whole(seed):
        raise _Careful
    applicant_ids, a_index = _index(applicants)
    program_ids, p_index = _index(programs)
    region_ids, r_index = _index(regions)
    n, m = len(applicant_ids), len(program_ids)

    region_cap = np.full(len(region_ids), -1, dtype=np.int64)
    for r, region in enumerate(regions):
        cap = region.get("cap")
        if cap is not None:
            if not _whole(cap):
                raise _Careful
            region_cap[r] = cap

    # --- programmes: capacity, target, region, scores, ranked applicants (a nested list is a tie)
    capacity = np.empty(m, dtype=np.int64)
    target = np.full(m, -1, dtype=np.int64)
    prog_region = np.full(m, -1, dtype=np.int64)
    a_get = a_index.__getitem__
    ranked: list[list[int]] = []
    tiers: list[list[int] | None] = []  # None: one applicant per tier (no ties), the common case
    sc_key: list[int] = []
    sc_val: list[float] = []
    tied_groups = 0
    for p, prog in enumerate(programs):
        if not PROGRAM_FIELDS.issuperset(prog):
            raise _Careful
        cap, prefs = prog.get("capacity"), prog.get("preferences")
        if not _whole(cap) or type(prefs) is not list:
            raise _Careful
        capacity[p] = cap
        tgt = prog.get("target")
        if tgt is not None:
            if not _whole(tgt) or tgt > cap:
                raise _Careful
            target[p] = tgt
        region = prog.get("region")
        if region is not None:
            if type(region) is not str or region not in r_index:
                raise _Careful
            prog_region[p] = r_index[region]
        try:
            ranked.append(list(map(a_get, prefs)))
            tiers.append(None)
        except TypeError:  # a tie (a nested list) somewhere in the list
            flat, tier, tied_groups = _with_ties(prefs, a_get, tied_groups)
            ranked.append(flat)
            tiers.append(tier)
        except KeyError as exc:
            raise _Careful from exc
        scores = prog.get("scores")
        if scores is not None:
            if type(scores) is not dict:
                raise _Careful
            try:
                keys = [p * n + a_get(aid) for aid in scores]
            except (KeyError, TypeError) as exc:
                raise _Careful from exc
            values = list(scores.values())
            if not all(type(v) in (int, float) and math.isfinite(v) for v in values):
                raise _Careful
            sc_key += keys
            sc_val += values

    pe_len = np.fromiter(map(len, ranked), dtype=np.int64, count=m)
    pe_total = int(pe_len.sum())
    pe_app = np.fromiter(chain.from_iterable(ranked), dtype=np.int64, count=pe_total)
    pe_prog = np.repeat(np.arange(m, dtype=np.int64), pe_len)
    pe_start = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(pe_len, out=pe_start[1:])
    pe_tier = np.arange(pe_total, dtype=np.int64) - np.repeat(pe_start[:-1], pe_len)
    for p, tier in enumerate(tiers):
        if tier is not None:
            pe_tier[pe_start[p] : pe_start[p + 1]] = tier

    # --- applicants: their ranked programmes
    p_get = p_index.__getitem__
    try:
        if not all(APPLICANT_FIELDS.issuperset(app) for app in applicants):
            raise _Careful
        lists = [app["preferences"] for app in applicants]
        if not all(type(prefs) is list for prefs in lists):
            raise _Careful
        listed = np.fromiter(map(len, lists), dtype=np.int64, count=n)
        ae_total = int(listed.sum())
        ae_prog = np.fromiter(map(p_get, chain.from_iterable(lists)), dtype=np.int64, count=ae_total)
    except (KeyError, TypeError) as exc:
        raise _Careful from exc
    ae_app = np.repeat(np.arange(n, dtype=np.int64), listed)
    ae_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(listed, out=ae_start[1:])
    ae_rank = np.arange(ae_total, dtype=np.int64) - np.repeat(ae_start[:-1], listed) + 1

    for r in np.flatnonzero(region_cap >= 0).tolist():
        explicit = target[prog_region == r]
        if explicit[explicit >= 0].sum() > region_cap[r]:
            raise _Careful

    try:
        return assemble(
            applicant_ids=applicant_ids,
            program_ids=program_ids,
            region_ids=region_ids,
            pe_prog=pe_prog,
            pe_app=pe_app,
            pe_tier=pe_tier,
            ae_app=ae_app,
            ae_prog=ae_prog,
            ae_rank=ae_rank,
            sc_key=np.asarray(sc_key, dtype=np.int64),
            sc_val=np.asarray(sc_val, dtype=np.float64),
            capacity=capacity,
            target=target,
            prog_region=prog_region,
            region_cap=region_cap,
            listed=listed,
            seed=seed,
            tied_groups=tied_groups,
            check_duplicates=True,
        )
    except DuplicateEntries as exc:
        raise _Careful from exc


def _with_ties(prefs: list[Any], a_get: Any, tied_groups: int) -> tuple[list[int], list[int], int]:
    """A programme's list with ties: applicant indices and the tier (position in the list) of each."""
    flat: list[int] = []
    tier: list[int] = []
    try:
        for t, entry in enumerate(prefs):
            if type(entry) is list:
                if len(entry) > 1:
                    tied_groups += 1
                flat += map(a_get, entry)
                tier += [t] * len(entry)
            else:
                flat.append(a_get(entry))
                tier.append(t)
    except (KeyError, TypeError) as exc:
        raise _Careful from exc
    return flat, tier, tied_groups
