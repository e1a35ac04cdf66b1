"""A matching instance as flat arrays: :class:`Arrays`, and the way to them from a plain dict (as in JSON).

:func:`parse_instance` validates an instance (schema in docs/programs.md) and builds its arrays: a well-formed
instance without secondment fields takes the vectorised path (``_instance_fast``), anything else the careful one
(``_instance_careful``), which reports every problem at once as
:class:`~talentbridge.domain.errors.InstanceInvalid`; nothing is solved from a malformed instance. Both paths end
in :func:`assemble`: one lottery breaks the ties, the secondment rules exclude pairs, regional caps set the seat
targets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Arrays", "DuplicateEntries", "Secondment", "assemble", "parse_instance", "SECONDMENT_RULES"]

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


def parse_instance(instance: Any) -> Arrays:
    """Validate ``instance`` and build :class:`Arrays`. Raises ``InstanceInvalid`` listing every problem.

    A well-formed instance without secondment fields takes the vectorised path (``_instance_fast``); anything
    else, and every instance with a problem, is checked entry by entry (``_instance_careful``) so that every
    problem is listed."""
    from talentbridge.programs._instance_careful import parse_carefully
    from talentbridge.programs._instance_fast import parse_fast

    fast = parse_fast(instance)
    if fast is not None:
        return fast
    return parse_carefully(instance)


@dataclass
class Secondment:
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
    secondment: Secondment | None = None,
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
