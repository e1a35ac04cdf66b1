"""How generated organization rankings score a (talent, opening) pair in a round: the matching core's fit
score over the stored taxonomy with the programme's weights, or a documented skill-overlap fallback."""

from __future__ import annotations

from datetime import date
from threading import Lock
from typing import Any

from sqlalchemy.orm import Session

from talentbridge.domain import Opening, Program, Talent

__all__ = ["PairScorer", "skill_overlap_score"]

_IMPORTANCE_WEIGHT = {"must": 3.0, "should": 2.0, "nice": 1.0}


def skill_overlap_score(talent: Talent, opening: Opening) -> float:
    """The fallback fit score (0-100) used when the matching core is unavailable: the importance-weighted
    share of required skills the talent holds (full credit at or above the minimum level, half below it;
    must = 3, should = 2, nice = 1). 0 when the opening lists no skills."""
    held = {s.skill_id: s.level for s in talent.skills}
    total = credit = 0.0
    for req in opening.required_skills:
        weight = _IMPORTANCE_WEIGHT.get(str(req.importance.value), 1.0)
        total += weight
        level = held.get(req.skill_id)
        if level is not None:
            credit += weight * (1.0 if level >= req.min_level else 0.5)
    return round(100.0 * credit / total, 4) if total else 0.0


_GRAPHS: dict[int, tuple[Any, Any]] = {}  # id(taxonomy) -> (taxonomy, SkillGraph): built once per taxonomy
_GRAPH_LOCK = Lock()


class PairScorer:
    """Fit score of a (talent, opening) pair: the matching core's ``fit_score`` (taxonomy partial credit,
    programme weights from ``settings.fit_weights``) or, if that cannot be imported,
    :func:`skill_overlap_score`."""

    def __init__(self, session: Session, program: Program, today: date) -> None:
        self.today = today
        try:
            from talentbridge.matching import SkillGraph, fit_score, weights_for
            from talentbridge.services.taxonomy import load_taxonomy
        except ImportError:
            self.name = "skill_overlap"
            self._fit = None
            return
        self.name = "matching.fit_score"
        self._fit = fit_score
        taxonomy = load_taxonomy(session)  # cached per database and taxonomy version
        with _GRAPH_LOCK:
            hit = _GRAPHS.get(id(taxonomy))
            if hit is None or hit[0] is not taxonomy:
                if len(_GRAPHS) >= 4:  # older taxonomy versions: let them go
                    _GRAPHS.clear()
                hit = _GRAPHS[id(taxonomy)] = (taxonomy, SkillGraph(taxonomy))
        self._graph = hit[1]
        self._overrides = program.settings.get("fit_weights")
        self._weights: dict[str, Any] = {}
        self._weights_for = weights_for

    def __call__(self, talent: Talent, opening: Opening) -> float:
        if self._fit is None:
            return skill_overlap_score(talent, opening)
        kind = opening.kind.value
        if kind not in self._weights:
            self._weights[kind] = self._weights_for(kind, self._overrides)
        result = self._fit(talent, opening, self._graph, self._weights[kind], today=self.today)
        return round(float(result.score), 4)
