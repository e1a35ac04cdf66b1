"""The fit score of one (talent, opening) pair, in [0, 100], with its breakdown.

This is the reference definition; ``scoring.py`` computes the same numbers for arrays of talents.

Criteria (each scored in [0, 1], formulas in ``criteria.py``, weights in ``weights.py``):

skills
    For each required skill ``r`` (weight ``importance[r] × confidence`` for inferred requirements) the best
    credit any talent skill ``k`` gives it: ``relation_credit(r, k) × min(1, level_k / min_level_r) ×
    confidence_k`` (``graph.py``: exact 1.0 > narrower 0.8 > broader 0.6 > related 0.5 > sibling 0.4). The
    criterion is the weighted mean of those credits. Not applicable when the opening lists no skills.
text
    Cosine similarity of the profile text and the opening text embeddings (when an encoder gave both), rescaled
    by fixed ranges, or standardised over the talent pool's cosines with the opening when the pool is known.
lexical
    How much more the profile's text uses the opening text's words than the talent pool does: the profile's
    Okapi BM25 for the opening's terms, standardised over the pool (``lexical.py``), rescaled by
    ``criteria.lexical_score``. Not applicable without a pool (the caller gives no ``lexical`` value).
titles
    How much more the talent's job titles (work history, desired roles, the résumé's headline and work-history
    lines: ``skills.resume_titles``) use the opening title's words than the pool's do: BM25 standardised over the pool
    like ``lexical``, rescaled by ``criteria.titles_score``. Not applicable without a pool or when the talent has
    no job title (the caller gives no ``titles`` value).
experience
    ``min(1, relevant_years / min_years_experience)``. Relevant years: the most ``years`` given on a skill that
    covers a requirement exactly or more specifically; without such years, the total of the work history.
    Not applicable when the opening gives no minimum.
education
    1 at or above ``min_degree``, 0.5 one step below, else 0. Not applicable without a minimum degree.
location
    1 for remote openings and the same region, 0.6 for a commutable region, 0.3 when the talent's region is
    unknown, else 0.
availability
    1 when available by ``start_date``, falling to 0 ninety days later. Not applicable without a start date.
salary
    1 when the expectation is at most ``salary_max``, falling to 0 at 30% above it. Not applicable without
    ``salary_max``.

``score = Σ points``, ``points[c] = 100 × w[c] × s[c] / Σ_{applicable} w`` — the breakdown sums to the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from talentbridge.domain.enums import Importance, OpeningKind
from talentbridge.domain.opening import OpeningData
from talentbridge.domain.talent import TalentData
from talentbridge.matching import criteria as C
from talentbridge.matching.columns import claim_confidence
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.weights import CRITERIA, FitWeights, weights_for

__all__ = [
    "SkillMatch",
    "CriterionScore",
    "FitResult",
    "fit_score",
    "requirement_weight",
    "RELEVANT_RELATIONS",
]

#: Relations through which a skill's ``years`` count as relevant experience.
RELEVANT_RELATIONS = frozenset({"exact", "narrower"})


@dataclass(frozen=True)
class SkillMatch:
    """How one required skill is covered: by which talent skill, through which relation, with what credit."""

    skill_id: str
    importance: Importance
    min_level: int
    weight: float  # importance × requirement confidence
    credit: float  # 0..1
    relation: str | None  # exact / narrower / broader / related / sibling; None when not covered
    matched_skill_id: str | None = None
    matched_level: int | None = None
    matched_confidence: float | None = None
    inferred_requirement: bool = False

    @property
    def missing(self) -> bool:
        return self.relation is None


@dataclass(frozen=True)
class CriterionScore:
    criterion: str
    score: float  # 0..1
    weight: float  # share of the total weight, 0..1 (0 when not applicable)
    points: float  # contribution to the 0..100 fit score
    applicable: bool = True
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FitResult:
    score: float
    breakdown: dict[str, CriterionScore]
    skills: list[SkillMatch]

    @property
    def missing_must(self) -> list[SkillMatch]:
        return [m for m in self.skills if m.missing and m.importance == Importance.MUST]

    def points(self) -> dict[str, float]:
        return {c: b.points for c, b in self.breakdown.items()}


def requirement_weight(importance: Importance, source: str, confidence: float | None, weights: FitWeights) -> float:
    return weights.importance[Importance(importance)] * claim_confidence(source, confidence)


def _skill_matches(
    talent: TalentData, opening: OpeningData, graph: SkillGraph, weights: FitWeights
) -> tuple[list[SkillMatch], list[float]]:
    claims = list(talent.skills)
    matches: list[SkillMatch] = []
    relevant_years: list[float] = []
    credit_of = weights.relation_credit
    for req in opening.required_skills:
        sources = graph.sources(req.skill_id)
        best: tuple[float, Any, str] | None = None
        for claim in claims:
            relation = sources.get(claim.skill_id)
            if relation is None:
                continue
            if relation in RELEVANT_RELATIONS and claim.years is not None:
                relevant_years.append(claim.years)
            conf = claim_confidence(claim.source, claim.confidence)
            credit = credit_of[relation] * float(C.level_credit(claim.level, req.min_level)) * conf
            if credit > 0 and (best is None or credit > best[0]):
                best = (credit, claim, relation)
        w = requirement_weight(req.importance, req.source, req.confidence, weights)
        inferred = str(req.source) == "inferred"
        if best is None:
            matches.append(
                SkillMatch(
                    req.skill_id,
                    Importance(req.importance),
                    req.min_level,
                    w,
                    0.0,
                    None,
                    inferred_requirement=inferred,
                )
            )
        else:
            credit, claim, relation = best
            matches.append(
                SkillMatch(
                    req.skill_id,
                    Importance(req.importance),
                    req.min_level,
                    w,
                    credit,
                    relation,
                    claim.skill_id,
                    claim.level,
                    claim_confidence(claim.source, claim.confidence),
                    inferred,
                )
            )
    return matches, relevant_years


def fit_score(
    talent: TalentData,
    opening: OpeningData,
    graph: SkillGraph | None = None,
    weights: FitWeights | None = None,
    *,
    today: date | None = None,
    text_similarity: float | None = None,
    lexical: float | None = None,
    text_z: float | None = None,
    titles: float | None = None,
) -> FitResult:
    """Score one pair (see module docstring). Hard constraints are not checked here (``constraints.py``).

    ``lexical``: the profile's standardised BM25 for the opening's text (``LexicalQueries.z``), None when there
    is no pool to compare with. ``text_z``: ``text_similarity`` standardised over the pool's cosines with this
    opening (``EmbeddingPool.z``); when given, the text criterion is ``criteria.text_z_score(text_z)`` instead of
    the fixed cosine ranges. ``titles``: the talent's job titles' standardised BM25 for the opening's title
    (None or NaN: not applicable).

    Guarantees: ``0 <= score <= 100``; ``score == sum(points)``; adding a required skill the talent holds at
    the required level never lowers the score.
    """
    graph = graph or SkillGraph()
    weights = weights or weights_for(OpeningKind(opening.kind))
    today = today or date.today()
    matches, relevant = _skill_matches(talent, opening, graph, weights)
    raw: dict[str, tuple[float, bool, dict[str, Any]]] = {}

    total_w = sum(m.weight for m in matches)
    if matches and total_w > 0:
        raw["skills"] = (sum(m.weight * m.credit for m in matches) / total_w, True, {})
    else:
        raw["skills"] = (0.0, False, {})
    if text_similarity is None:
        raw["text"] = (0.0, False, {})
    elif text_z is not None and text_z == text_z:  # standardised over the pool (NaN: no pool)
        raw["text"] = (float(C.text_z_score(text_z)), True, {"cosine": text_similarity, "z": round(float(text_z), 3)})
    else:
        thin = C.thin_text(opening.title, opening.description)
        raw["text"] = (float(C.text_score(text_similarity, thin)), True, {"cosine": text_similarity})
    raw["lexical"] = (
        (float(C.lexical_score(lexical)), True, {"z": round(float(lexical), 3)})
        if lexical is not None and lexical == lexical  # NaN: not applicable
        else (0.0, False, {})
    )
    raw["titles"] = (
        (float(C.titles_score(titles)), True, {"z": round(float(titles), 3)})
        if titles is not None and titles == titles
        else (0.0, False, {})
    )
    if opening.min_years_experience is not None:
        years = max(relevant) if relevant else talent.years_of_experience(today)
        raw["experience"] = (
            float(C.experience_score(years, opening.min_years_experience)),
            True,
            {"relevant_years": round(years, 2), "min_years": opening.min_years_experience},
        )
    else:
        raw["experience"] = (0.0, False, {})
    if opening.min_degree is not None:
        rank = max((C.degree_rank(e.degree) for e in talent.education), default=0)
        raw["education"] = (
            float(C.education_score(rank, C.degree_rank(opening.min_degree))),
            True,
            {"degree_rank": rank, "min_rank": C.degree_rank(opening.min_degree)},
        )
    else:
        raw["education"] = (0.0, False, {})
    raw["location"] = (
        float(C.location_score(C.region_code(talent.region), C.region_code(opening.region), opening.remote)),
        True,
        {
            "talent_region": talent.region and str(talent.region),
            "opening_region": opening.region and str(opening.region),
            "remote": opening.remote,
        },
    )
    if opening.start_date is not None:
        raw["availability"] = (
            float(C.availability_score(C.ordinal(talent.available_from), C.ordinal(opening.start_date))),
            True,
            {
                "available_from": talent.available_from and talent.available_from.isoformat(),
                "start_date": opening.start_date.isoformat(),
            },
        )
    else:
        raw["availability"] = (0.0, False, {})
    if opening.salary_max is not None:
        exp = -1 if talent.salary_expectation is None else talent.salary_expectation
        raw["salary"] = (
            float(C.salary_score(exp, opening.salary_max)),
            True,
            {
                "expectation": talent.salary_expectation,
                "salary_min": opening.salary_min,
                "salary_max": opening.salary_max,
            },
        )
    else:
        raw["salary"] = (0.0, False, {})

    denom = sum(weights[c] for c in CRITERIA if raw[c][1])
    breakdown: dict[str, CriterionScore] = {}
    for c in CRITERIA:
        s, applicable, detail = raw[c]
        share = weights[c] / denom if applicable and denom > 0 else 0.0
        breakdown[c] = CriterionScore(c, s, share, 100.0 * share * s, applicable and weights[c] > 0, detail)
    score = sum(b.points for b in breakdown.values())
    return FitResult(score=min(100.0, max(0.0, score)), breakdown=breakdown, skills=matches)
