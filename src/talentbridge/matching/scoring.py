"""Exact fit scores of many talents against one opening, over ``TalentColumns`` (vectorised ``fit.py``).

``OpeningProfile.compile(ctx, graph, vocab, weights)`` turns an opening into arrays once; ``score_rows`` then
scores any set of rows in O(rows + their skill entries). The numbers equal ``fit.fit_score`` for the same pair
(tests check this on random data), except that total work years are those computed when the columns were built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from talentbridge.domain.enums import OpeningKind
from talentbridge.matching import criteria as C
from talentbridge.matching.columns import SkillVocab, TalentColumns
from talentbridge.matching.constraints import OpeningContext
from talentbridge.matching.fit import RELEVANT_RELATIONS, requirement_weight
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.weights import CRITERIA, FitWeights, weights_for

__all__ = ["OpeningProfile", "RowScores", "score_rows"]


@dataclass
class OpeningProfile:
    """An opening compiled against a skill vocabulary and graph, ready for array scoring."""

    ctx: OpeningContext
    weights: FitWeights
    req_ids: list[str]
    req_weight: np.ndarray  # (R,) importance × confidence
    req_min_level: np.ndarray  # (R,)
    local_of: dict[int, int]  # vocab index → row of ``rel``
    local_vocab: np.ndarray  # (L,) vocab indexes, for building the dense lookup
    rel: np.ndarray  # (L, R) relation credit of local skill l for requirement r
    relevant: np.ndarray  # (L,) bool: l covers some requirement exactly or more specifically
    embedding: np.ndarray | None = None  # opening text embedding (unit vector), if any

    @classmethod
    def compile(
        cls,
        ctx: OpeningContext,
        graph: SkillGraph,
        vocab: SkillVocab,
        weights: FitWeights | None = None,
        embedding: np.ndarray | None = None,
    ) -> OpeningProfile:
        opening = ctx.opening
        weights = weights or weights_for(OpeningKind(opening.kind))
        reqs = list(opening.required_skills)
        local_of: dict[int, int] = {}
        cells: list[tuple[int, int, float]] = []
        relevant_local: set[int] = set()
        for r, req in enumerate(reqs):
            for held, relation in graph.sources(req.skill_id).items():
                v = vocab.get(held)
                if v is None:
                    continue
                li = local_of.setdefault(v, len(local_of))
                cells.append((li, r, weights.relation_credit[relation]))
                if relation in RELEVANT_RELATIONS:
                    relevant_local.add(li)
        rel = np.zeros((len(local_of), len(reqs)), dtype=np.float64)
        for li, r, credit in cells:
            rel[li, r] = max(rel[li, r], credit)
        relevant = np.zeros(len(local_of), dtype=bool)
        relevant[list(relevant_local)] = True
        return cls(
            ctx=ctx,
            weights=weights,
            req_ids=[r.skill_id for r in reqs],
            req_weight=np.array(
                [requirement_weight(r.importance, r.source, r.confidence, weights) for r in reqs],
                dtype=np.float64,
            ),
            req_min_level=np.array([r.min_level for r in reqs], dtype=np.float64),
            local_of=local_of,
            local_vocab=np.fromiter(local_of.keys(), dtype=np.int64, count=len(local_of)),
            rel=rel,
            relevant=relevant,
            embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32),
        )

    def applicable(self) -> dict[str, bool]:
        """Which criteria apply to every talent for this opening (``text`` also needs the talent's embedding)."""
        o = self.ctx.opening
        return {
            "skills": bool(self.req_ids) and float(self.req_weight.sum()) > 0,
            "text": self.embedding is not None,
            "lexical": False,  # needs the pool's term statistics: scored by the services (fit_score)
            "titles": False,  # the same
            "experience": o.min_years_experience is not None,
            "education": o.min_degree is not None,
            "location": True,
            "availability": o.start_date is not None,
            "salary": o.salary_max is not None,
        }


@dataclass
class RowScores:
    rows: np.ndarray
    score: np.ndarray  # (n,) 0..100
    points: dict[str, np.ndarray]  # criterion → (n,) contribution
    criterion: dict[str, np.ndarray]  # criterion → (n,) score 0..1
    credit: np.ndarray  # (n, R) best credit per requirement

    def breakdown(self, i: int) -> dict[str, float]:
        return {c: float(self.points[c][i]) for c in CRITERIA}


def _skill_credit(cols: TalentColumns, prof: OpeningProfile, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, R) best credit per requirement, and (n,) most years on a relevant skill (NaN when none)."""
    n, n_req = rows.shape[0], len(prof.req_ids)
    credit = np.zeros((n, n_req), dtype=np.float64)
    rel_years = np.full(n, np.nan, dtype=np.float64)
    if n_req == 0 or not prof.local_of or n == 0:
        return credit, rel_years
    entries, counts = cols.entries_of(rows)
    lookup = np.full(max(len(cols.vocab), int(prof.local_vocab.max()) + 1), -1, dtype=np.int64)
    lookup[prof.local_vocab] = np.arange(prof.local_vocab.shape[0])
    local = lookup[cols.skill[entries]]
    hit = local >= 0
    if not hit.any():
        return credit, rel_years
    owner = np.repeat(np.arange(n, dtype=np.int64), counts)[hit]
    local = local[hit]
    entries = entries[hit]
    level = cols.level[entries].astype(np.float64)
    conf = cols.conf[entries].astype(np.float64)
    per = prof.rel[local] * np.minimum(1.0, level[:, None] / prof.req_min_level[None, :]) * conf[:, None]
    np.maximum.at(credit, owner, per)
    years = cols.years[entries].astype(np.float64)
    rel_hit = prof.relevant[local] & ~np.isnan(years)
    if rel_hit.any():
        acc = np.full(n, -np.inf)
        np.maximum.at(acc, owner[rel_hit], years[rel_hit])
        rel_years = np.where(np.isfinite(acc), acc, np.nan)
    return credit, rel_years


def score_rows(cols: TalentColumns, prof: OpeningProfile, rows: np.ndarray) -> RowScores:
    """Exact fit scores of ``rows`` (constraints not applied). O(len(rows) + their skill entries)."""
    rows = np.asarray(rows, dtype=np.int64)
    o = prof.ctx.opening
    n = rows.shape[0]
    applicable = prof.applicable()
    crit: dict[str, np.ndarray] = {}
    credit, rel_years = _skill_credit(cols, prof, rows)
    if applicable["skills"]:
        crit["skills"] = credit @ prof.req_weight / prof.req_weight.sum()
    has_text = np.zeros(n, dtype=bool)
    if applicable["text"] and cols.embeddings is not None:
        emb = cols.embeddings[rows].astype(np.float32)
        has_text = np.abs(emb).sum(axis=1) > 0
        thin = C.thin_text(o.title, o.description)
        crit["text"] = np.where(has_text, C.text_score(emb @ prof.embedding, thin), 0.0)
    if applicable["experience"]:
        years = np.where(np.isnan(rel_years), cols.work_years[rows].astype(np.float64), rel_years)
        crit["experience"] = C.experience_score(years, float(o.min_years_experience or 0))
    if applicable["education"]:
        crit["education"] = C.education_score(cols.degree[rows], C.degree_rank(o.min_degree))
    crit["location"] = C.location_score(cols.region[rows], C.region_code(o.region), o.remote)
    if applicable["availability"]:
        crit["availability"] = C.availability_score(cols.available[rows], C.ordinal(o.start_date))
    if applicable["salary"]:
        crit["salary"] = C.salary_score(cols.salary[rows], o.salary_max)

    w = prof.weights
    denom = np.full(n, sum(w[c] for c in CRITERIA if c != "text" and applicable[c]), dtype=np.float64)
    if "text" in crit:
        denom = denom + w["text"] * has_text
    safe = np.where(denom > 0, denom, 1.0)
    points: dict[str, np.ndarray] = {}
    for c in CRITERIA:
        if c in crit:
            mask: Any = has_text if c == "text" else 1.0
            points[c] = 100.0 * w[c] * crit[c] * mask / safe
        else:
            points[c] = np.zeros(n)
            crit[c] = np.zeros(n)
    total = np.zeros(n)
    for c in CRITERIA:
        total = total + points[c]
    return RowScores(rows=rows, score=np.clip(total, 0.0, 100.0), points=points, criterion=crit, credit=credit)
