"""Exact fit scores of one talent against many openings: the vectorised ``fit.py`` in the other direction.

``scoring.py`` scores many talents against one opening; this module scores one talent against many openings.
``OpeningColumns.compile(contexts, graph, weights)`` turns the openings into arrays once (a batch compiles once
and scores every talent against the same columns); then

* ``eligible_openings(talent, cols)`` applies the hard constraints to every opening at once, with how many
  openings each constraint excluded (each counted on its own, as ``constraints.eligible_mask`` does for rows);
* ``score_openings(talent, cols, text_similarity=...)`` scores every opening in O(openings + the requirements
  the talent's skills reach through the taxonomy).

The numbers equal ``fit.fit_score`` for the same pair (a property test checks it on random data): the same
formulas from ``criteria.py``, the same order of summation, the same weights per opening (its kind, then the
programme's overrides).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from talentbridge.domain.enums import (
    OPENING_EMPLOYMENT_TYPE,
    EmploymentType,
    OpeningKind,
    OpeningStatus,
    VisaType,
)
from talentbridge.domain.talent import TalentData
from talentbridge.matching import criteria as C
from talentbridge.matching.columns import EMPLOYMENT_BIT, claim_confidence
from talentbridge.matching.constraints import CONSTRAINTS, SUITABLE_VISAS, OpeningContext
from talentbridge.matching.fit import RELEVANT_RELATIONS, requirement_weight
from talentbridge.matching.graph import RELATIONS, SkillGraph
from talentbridge.matching.weights import CRITERIA, FitWeights, weights_for

__all__ = ["OpeningColumns", "OpeningScores", "score_openings", "eligible_openings", "OPENING_KINDS"]

OPENING_KINDS: tuple[OpeningKind, ...] = tuple(OpeningKind)
_TYPES: tuple[EmploymentType, ...] = tuple(EmploymentType)
_REL_CODE = {r: i for i, r in enumerate(RELATIONS)}
_RELEVANT_CODES = np.array([r in RELEVANT_RELATIONS for r in RELATIONS], dtype=bool)
_LOCATION = C.location_table()
_CRIT = {c: i for i, c in enumerate(CRITERIA)}


def _csr(groups: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    indptr = np.zeros(len(groups) + 1, dtype=np.int64)
    np.cumsum([len(g) for g in groups], out=indptr[1:])
    flat = np.fromiter((x for g in groups for x in g), dtype=np.int64, count=int(indptr[-1]))
    return indptr, flat


def _expand(indptr: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``indptr[k]..indptr[k+1]`` for every ``k`` in ``keys`` (concatenated), and the count per key."""
    starts = indptr[keys]
    counts = indptr[keys + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), counts
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return offsets + np.arange(total, dtype=np.int64), counts


@dataclass
class OpeningColumns:
    """Openings as arrays, compiled against a skill graph and per-opening weights (see module docstring).

    Codes: region ``NO_REGION`` when none; ``min_rank`` 0 = no minimum degree; ``start`` and ``deadline`` 0 =
    none (date ordinals); ``min_years`` and ``salary_max`` NaN = none.
    """

    contexts: list[OpeningContext]
    weights: list[FitWeights]
    ids: np.ndarray  # (n,) opening ids
    kind: np.ndarray  # (n,) index in OPENING_KINDS
    organization: np.ndarray  # (n,) organization ids
    is_open: np.ndarray  # (n,) bool
    deadline: np.ndarray  # (n,) ordinal, 0 = none
    today: np.ndarray  # (n,) ordinal the deadline is checked against
    etype: np.ndarray  # (n,) index in EmploymentType
    sponsorship: np.ndarray  # (n,) bool
    excluded_owner: np.ndarray  # (k,) opening of each excluded employer (secondment slots)
    excluded_employer: np.ndarray  # (k,) organization id
    region: np.ndarray  # (n,) region code
    remote: np.ndarray  # (n,) bool
    min_years: np.ndarray  # (n,) float, NaN = none
    min_rank: np.ndarray  # (n,) degree rank, 0 = none
    start: np.ndarray  # (n,) ordinal, 0 = none
    salary_max: np.ndarray  # (n,) float, NaN = none
    thin: np.ndarray  # (n,) bool: the opening's text is thin (``criteria.thin_text``)
    crit_weight: np.ndarray  # (n, len(CRITERIA))
    rel_credit: np.ndarray  # (n, len(RELATIONS))
    req_opening: np.ndarray  # (m,) opening of each requirement, requirements grouped by opening in order
    req_skill: np.ndarray  # (m,) index in ``skill_ids``
    req_min_level: np.ndarray  # (m,) float
    req_weight: np.ndarray  # (m,) importance × confidence
    req_count: np.ndarray  # (n,)
    req_total: np.ndarray  # (n,) Σ req_weight, summed in requirement order
    skill_ids: list[str]  # distinct required skills
    by_skill_indptr: np.ndarray  # CSR: distinct required skill → its requirements
    by_skill: np.ndarray
    held: dict[str, list[tuple[int, int]]]  # talent skill id → [(distinct required skill, relation code)]

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @property
    def openings(self) -> list[Any]:
        return [ctx.opening for ctx in self.contexts]

    @classmethod
    def compile(
        cls,
        contexts: Sequence[OpeningContext],
        graph: SkillGraph,
        weights: Sequence[FitWeights | None] | FitWeights | None = None,
    ) -> OpeningColumns:
        """Arrays of ``contexts`` (each an opening with its affiliates and date). ``weights``: one per opening,
        one for all, or None for each opening's kind defaults. O(openings + requirements + the taxonomy
        neighbourhoods of the distinct required skills)."""
        contexts = list(contexts)
        n = len(contexts)
        if weights is None or isinstance(weights, FitWeights):
            per: list[FitWeights | None] = [weights] * n
        else:
            per = list(weights)
            if len(per) != n:
                raise ValueError("one weights entry per opening")
        resolved = [w or weights_for(OpeningKind(ctx.opening.kind)) for w, ctx in zip(per, contexts, strict=True)]
        skill_index: dict[str, int] = {}
        req_opening: list[int] = []
        req_skill: list[int] = []
        req_min: list[float] = []
        req_weight: list[float] = []
        req_count = np.zeros(n, dtype=np.int64)
        req_total = np.zeros(n, dtype=np.float64)
        excluded: list[list[int]] = []
        cols: dict[str, list[Any]] = {
            name: []
            for name in (
                "ids", "kind", "organization", "is_open", "deadline", "today", "etype", "sponsorship",
                "region", "remote", "min_years", "min_rank", "start", "salary_max", "thin",
            )
        }  # fmt: skip
        for j, (ctx, w) in enumerate(zip(contexts, resolved, strict=True)):
            o = ctx.opening
            kind = OpeningKind(o.kind)
            cols["ids"].append(getattr(o, "id", j))
            cols["kind"].append(OPENING_KINDS.index(kind))
            cols["organization"].append(o.organization_id)
            cols["is_open"].append(OpeningStatus(o.status) == OpeningStatus.OPEN)
            cols["deadline"].append(C.ordinal(o.deadline))
            cols["today"].append(ctx.today.toordinal())
            cols["etype"].append(_TYPES.index(OPENING_EMPLOYMENT_TYPE[kind]))
            cols["sponsorship"].append(bool(o.visa_sponsorship))
            cols["region"].append(C.region_code(o.region))
            cols["remote"].append(bool(o.remote))
            cols["min_years"].append(np.nan if o.min_years_experience is None else o.min_years_experience)
            cols["min_rank"].append(C.degree_rank(o.min_degree))
            cols["start"].append(C.ordinal(o.start_date))
            cols["salary_max"].append(np.nan if o.salary_max is None else o.salary_max)
            cols["thin"].append(C.thin_text(o.title, o.description))
            excluded.append(sorted(ctx.excluded_employers()))
            total = 0
            for req in o.required_skills:
                rw = requirement_weight(req.importance, req.source, req.confidence, w)
                req_opening.append(j)
                req_skill.append(skill_index.setdefault(req.skill_id, len(skill_index)))
                req_min.append(float(req.min_level))
                req_weight.append(rw)
                total += rw  # the order and start of fit.py's sum
            req_count[j] = len(o.required_skills)
            req_total[j] = total
        crit_weight = np.array([[w[c] for c in CRITERIA] for w in resolved], dtype=np.float64).reshape(n, len(CRITERIA))
        rel_credit = np.array(
            [[float(w.relation_credit[r]) for r in RELATIONS] for w in resolved], dtype=np.float64
        ).reshape(n, len(RELATIONS))
        skill_ids = list(skill_index)
        r_skill = np.asarray(req_skill, dtype=np.int64)
        order = np.argsort(r_skill, kind="stable")
        by_skill_indptr = np.zeros(len(skill_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(r_skill, minlength=len(skill_ids)), out=by_skill_indptr[1:])
        held: dict[str, list[tuple[int, int]]] = {}
        for u, sid in enumerate(skill_ids):
            for other, relation in graph.sources(sid).items():
                held.setdefault(other, []).append((u, _REL_CODE[relation]))
        ex_indptr, ex_flat = _csr(excluded)
        return cls(
            contexts=contexts,
            weights=resolved,
            ids=np.asarray(cols["ids"], dtype=np.int64),
            kind=np.asarray(cols["kind"], dtype=np.int8),
            organization=np.asarray(cols["organization"], dtype=np.int64),
            is_open=np.asarray(cols["is_open"], dtype=bool),
            deadline=np.asarray(cols["deadline"], dtype=np.int64),
            today=np.asarray(cols["today"], dtype=np.int64),
            etype=np.asarray(cols["etype"], dtype=np.int64),
            sponsorship=np.asarray(cols["sponsorship"], dtype=bool),
            excluded_owner=np.repeat(np.arange(n, dtype=np.int64), np.diff(ex_indptr)),
            excluded_employer=ex_flat,
            region=np.asarray(cols["region"], dtype=np.int64),
            remote=np.asarray(cols["remote"], dtype=bool),
            min_years=np.asarray(cols["min_years"], dtype=np.float64),
            min_rank=np.asarray(cols["min_rank"], dtype=np.int64),
            start=np.asarray(cols["start"], dtype=np.int64),
            salary_max=np.asarray(cols["salary_max"], dtype=np.float64),
            thin=np.asarray(cols["thin"], dtype=bool).reshape(n),
            crit_weight=crit_weight,
            rel_credit=rel_credit,
            req_opening=np.asarray(req_opening, dtype=np.int64),
            req_skill=r_skill,
            req_min_level=np.asarray(req_min, dtype=np.float64),
            req_weight=np.asarray(req_weight, dtype=np.float64),
            req_count=req_count,
            req_total=req_total,
            skill_ids=skill_ids,
            by_skill_indptr=by_skill_indptr,
            by_skill=order.astype(np.int64),
            held=held,
        )


@dataclass
class OpeningScores:
    """Scores of one talent against every compiled opening."""

    score: np.ndarray  # (n,) 0..100
    points: dict[str, np.ndarray]  # criterion → (n,) contribution
    criterion: dict[str, np.ndarray]  # criterion → (n,) score 0..1
    applicable: dict[str, np.ndarray]  # criterion → (n,) bool, as ``CriterionScore.applicable``
    credit: np.ndarray  # (m,) best credit per requirement

    def breakdown(self, j: int) -> dict[str, float]:
        return {c: float(self.points[c][j]) for c in CRITERIA}


def _skill_credit(talent: TalentData, cols: OpeningColumns) -> tuple[np.ndarray, np.ndarray]:
    """(m,) best credit per requirement and (n,) most years on a skill covering a requirement exactly or more
    specifically (NaN when none)."""
    n, m = len(cols), int(cols.req_opening.shape[0])
    credit = np.zeros(m, dtype=np.float64)
    rel_years = np.full(n, np.nan, dtype=np.float64)
    pair_u: list[int] = []
    pair_c: list[int] = []
    pair_rel: list[int] = []
    level, conf, years = [], [], []
    for ci, claim in enumerate(talent.skills):
        level.append(float(claim.level))
        conf.append(claim_confidence(claim.source, claim.confidence))
        years.append(np.nan if claim.years is None else float(claim.years))
        for u, rel in cols.held.get(claim.skill_id, ()):
            pair_u.append(u)
            pair_c.append(ci)
            pair_rel.append(rel)
    if not pair_u or m == 0:
        return credit, rel_years
    reqs, counts = _expand(cols.by_skill_indptr, np.asarray(pair_u, dtype=np.int64))
    r = cols.by_skill[reqs]
    c = np.repeat(np.asarray(pair_c, dtype=np.int64), counts)
    rel = np.repeat(np.asarray(pair_rel, dtype=np.int64), counts)
    o = cols.req_opening[r]
    lv, cf, yr = (np.asarray(a, dtype=np.float64) for a in (level, conf, years))
    per = cols.rel_credit[o, rel] * np.minimum(1.0, lv[c] / cols.req_min_level[r]) * cf[c]
    np.maximum.at(credit, r, per)
    relevant = _RELEVANT_CODES[rel] & ~np.isnan(yr[c])
    if relevant.any():
        acc = np.full(n, -np.inf)
        np.maximum.at(acc, o[relevant], yr[c][relevant])
        rel_years = np.where(np.isfinite(acc), acc, np.nan)
    return credit, rel_years


def score_openings(
    talent: TalentData,
    cols: OpeningColumns,
    *,
    today: date | None = None,
    text_similarity: np.ndarray | None = None,
    lexical: np.ndarray | None = None,
    text_z: np.ndarray | None = None,
    titles: np.ndarray | None = None,
) -> OpeningScores:
    """Exact fit scores of ``talent`` for every opening in ``cols`` (hard constraints not applied).

    ``text_similarity``: (n,) cosine of the talent's and each opening's text embeddings, NaN where either has
    none (the ``text`` criterion is then not applicable, as in ``fit_score(text_similarity=None)``).
    ``lexical``: (n,) the talent's standardised BM25 for each opening's text (``LexicalQueries.z``), NaN where
    not applicable. ``text_z``: (n,) the cosines standardised over the talent pool (NaN: the fixed ranges).
    ``titles``: (n,) the talent's job titles' standardised BM25 for each opening's title, NaN where not applicable.
    ``today``: the date work experience is counted to. Equal to ``fit_score`` pair by pair.
    """
    today = today or date.today()
    n = len(cols)
    credit, rel_years = _skill_credit(talent, cols)
    crit: dict[str, np.ndarray] = {}
    app: dict[str, np.ndarray] = {}

    app["skills"] = (cols.req_count > 0) & (cols.req_total > 0)
    wsum = np.bincount(cols.req_opening, weights=cols.req_weight * credit, minlength=n)
    crit["skills"] = np.where(app["skills"], wsum / np.where(app["skills"], cols.req_total, 1.0), 0.0)

    cos = np.full(n, np.nan) if text_similarity is None else np.asarray(text_similarity, dtype=np.float64)
    app["text"] = ~np.isnan(cos)
    tz = np.full(n, np.nan) if text_z is None else np.asarray(text_z, dtype=np.float64)
    fixed = C.text_score(np.nan_to_num(cos), cols.thin)
    pooled = C.text_z_score(np.nan_to_num(tz))
    crit["text"] = np.where(app["text"], np.where(np.isnan(tz), fixed, pooled), 0.0)

    lex = np.full(n, np.nan) if lexical is None else np.asarray(lexical, dtype=np.float64)
    app["lexical"] = ~np.isnan(lex)
    crit["lexical"] = np.where(app["lexical"], C.lexical_score(np.nan_to_num(lex)), 0.0)

    tit = np.full(n, np.nan) if titles is None else np.asarray(titles, dtype=np.float64)
    app["titles"] = ~np.isnan(tit)
    crit["titles"] = np.where(app["titles"], C.titles_score(np.nan_to_num(tit)), 0.0)

    app["experience"] = ~np.isnan(cols.min_years)
    years = np.where(np.isnan(rel_years), talent.years_of_experience(today), rel_years)
    min_years = np.where(app["experience"], cols.min_years, 1.0)
    none_asked = min_years < 1 / 365
    exp = np.where(none_asked, 1.0, np.clip(years / np.where(none_asked, 1.0, min_years), 0.0, 1.0))
    crit["experience"] = np.where(app["experience"], exp, 0.0)

    app["education"] = cols.min_rank > 0
    rank = max((C.degree_rank(e.degree) for e in talent.education), default=0)
    crit["education"] = np.where(app["education"], C.education_score(rank, cols.min_rank), 0.0)

    app["location"] = np.ones(n, dtype=bool)
    anywhere = cols.remote | (cols.region == C.NO_REGION)
    table = _LOCATION[np.minimum(cols.region, C.NO_REGION - 1), C.region_code(talent.region)]
    crit["location"] = np.where(anywhere, 1.0, table)

    app["availability"] = cols.start > 0
    avail = C.availability_score(C.ordinal(talent.available_from), cols.start)
    crit["availability"] = np.where(app["availability"], avail, 0.0)

    app["salary"] = ~np.isnan(cols.salary_max)
    expectation = float(-1 if talent.salary_expectation is None else talent.salary_expectation)
    top = np.maximum(np.where(app["salary"], cols.salary_max, 1.0), 1.0)
    over = np.maximum(0.0, expectation - top)  # C.salary_score with one top per opening
    sal = 1.0 if expectation < 0 else np.clip(1.0 - over / (C.SALARY_TOLERANCE * top), 0.0, 1.0)
    crit["salary"] = np.where(app["salary"], sal, 0.0)

    # fit.py: denom = Σ_{applicable} w[c] (in CRITERIA order); share = w[c] / denom; points = 100 × share × s
    denom = np.zeros(n)
    for c in CRITERIA:
        denom = denom + np.where(app[c], cols.crit_weight[:, _CRIT[c]], 0.0)
    safe = np.where(denom > 0, denom, 1.0)
    points: dict[str, np.ndarray] = {}
    total = np.zeros(n)
    applicable: dict[str, np.ndarray] = {}
    for c in CRITERIA:
        w = cols.crit_weight[:, _CRIT[c]]
        share = np.where(app[c] & (denom > 0), w / safe, 0.0)
        points[c] = 100.0 * share * crit[c]
        total = total + points[c]
        applicable[c] = app[c] & (w > 0)
    return OpeningScores(
        score=np.clip(total, 0.0, 100.0), points=points, criterion=crit, applicable=applicable, credit=credit
    )


def eligible_openings(
    talent: TalentData, cols: OpeningColumns, *, check_consent: bool = False, within: np.ndarray | None = None
) -> tuple[np.ndarray, dict[str, int]]:
    """Which openings the pair constraints allow for ``talent``, and how many openings each constraint
    excluded (each counted on its own). Equal to ``constraints.failing`` opening by opening. ``check_consent``
    is off by default: a talent looking at openings needs no consent to be shown. ``within``: a boolean mask
    (e.g. the caller's filters); openings outside it are neither eligible nor counted."""
    n = len(cols)
    checks: dict[str, np.ndarray] = {}
    everyone = np.ones(n, dtype=bool)
    checks["consent"] = everyone if not check_consent or talent.consent_visible else ~everyone
    checks["opening_status"] = cols.is_open
    checks["deadline"] = (cols.deadline == 0) | (cols.deadline >= cols.today)
    mask = 0
    for et in talent.employment_types:
        mask |= EMPLOYMENT_BIT[EmploymentType(et)]
    wants = np.array([(mask & EMPLOYMENT_BIT[t]) != 0 for t in _TYPES], dtype=bool)
    checks["employment_type"] = wants[cols.etype]
    if talent.nationality == "KR":
        checks["work_permit"] = everyone
    else:
        visa = None if talent.visa_type is None else VisaType(talent.visa_type)
        suitable = np.array([visa in SUITABLE_VISAS[t] for t in _TYPES], dtype=bool)
        checks["work_permit"] = cols.sponsorship | suitable[cols.etype]
    if talent.current_employer_id is None or cols.excluded_employer.size == 0:
        checks["own_employer"] = everyone
    else:
        hit = cols.excluded_owner[cols.excluded_employer == talent.current_employer_id]
        checks["own_employer"] = np.bincount(hit, minlength=n) == 0
    base = everyone if within is None else np.asarray(within, dtype=bool)
    ok = base.copy()
    counts: dict[str, int] = {}
    for name in CONSTRAINTS:
        counts[name] = int((base & ~checks[name]).sum())
        ok &= checks[name]
    return ok, counts
