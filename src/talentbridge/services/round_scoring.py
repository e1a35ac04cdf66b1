"""How generated organization rankings score a (talent, opening) pair in a round: the matching core's fit
score over the stored taxonomy with the programme's weights, or a documented skill-overlap fallback.

The score is the one the opening's page shows for the same person (same taxonomy, same weights when the
programme does not override them, and the same profile-text similarity when a text encoder is on), so an
organization sees one number for one person wherever it looks."""

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

    def __init__(self, session: Session, program: Program, today: date, settings: Any = None) -> None:
        self.today = today
        self._text = _text_embeddings(session, settings)
        self._opening_vec: dict[int, Any] = {}
        self._talent_vec: dict[int, Any] = {}
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

    def description(self) -> dict[str, Any]:
        """What scored the pairs, for the AI Basic Act record: the scorer, the text encoder, the weights used per
        opening kind so far and the programme's overrides."""
        return {
            "scorer": self.name,
            "text_encoder": getattr(self._text, "model_id", None),
            "weights_by_kind": {str(k): w.as_dict()["criteria"] for k, w in getattr(self, "_weights", {}).items()},
            "program_overrides": getattr(self, "_overrides", None),
        }

    def __call__(self, talent: Talent, opening: Opening) -> float:
        if self._fit is None:
            return skill_overlap_score(talent, opening)
        kind = opening.kind.value
        if kind not in self._weights:
            self._weights[kind] = self._weights_for(kind, self._overrides)
        similarity = self._similarity(talent, opening)
        result = self._fit(
            talent, opening, self._graph, self._weights[kind], today=self.today, text_similarity=similarity
        )
        return round(float(result.score), 4)

    def _similarity(self, talent: Talent, opening: Opening) -> float | None:
        """Cosine of the talent's and the opening's text embeddings, as the opening page computes it."""
        if self._text is None:
            return None
        from talentbridge.services.compared_texts import opening_text, talent_text

        if opening.id not in self._opening_vec:
            vectors, found = self._text.vectors("openings", [opening_text(opening)])
            self._opening_vec[opening.id] = vectors[0].astype("float32") if found[0] else None
        if talent.id not in self._talent_vec:
            vectors, found = self._text.vectors("talents", [talent_text(talent)])
            self._talent_vec[talent.id] = vectors[0].astype("float32") if found[0] else None
        a, b = self._opening_vec[opening.id], self._talent_vec[talent.id]
        return None if a is None or b is None else float(b @ a)


def _text_embeddings(session: Session, settings: Any) -> Any:
    """The text embeddings of ``settings`` (or of the process settings when they name this session's database),
    when a text encoder is on; else None (the text criterion then does not apply, as on the opening page)."""
    try:
        if settings is None:
            from talentbridge.config import get_settings

            settings = get_settings()
            bind = session.get_bind().url.render_as_string(hide_password=False)
            if settings.sqlalchemy_url != bind:
                return None
        from talentbridge.services.text_embeddings import text_embeddings_for

        text = text_embeddings_for(settings)
    except Exception:  # noqa: BLE001 - no settings or no encoder: score without the text criterion
        return None
    return text if text.active else None
