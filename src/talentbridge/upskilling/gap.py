"""Skill-gap diagnosis: a person's skills against a target (an opening's requirements, an occupation's skills, a
list of skills with levels), each requirement **met**, **partly met** or **missing**, weighted by importance and
explained in Korean and English.

Credit is the matching core's (``matching/fit.py``): the best held skill through the taxonomy relation (exact,
narrower, broader, related, sibling; ``RELATION_CREDIT``) × the level share ``min(1, held / required)`` × the
claim's confidence. A requirement is

* ``met`` when held exactly or through a narrower skill, at the required level or above, from an explicit claim
  or an inferred one of confidence ≥ ``MET_CONFIDENCE``;
* ``partly_met`` when some held skill gives credit otherwise (a related skill, a lower level, a weak inference);
* ``missing`` when none does.

``coverage`` = Σ weight × credit / Σ weight (1 when nothing is required). Pure: plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from talentbridge.matching.columns import claim_confidence
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.weights import IMPORTANCE_WEIGHT, RELATION_CREDIT

__all__ = ["GapItem", "GapReport", "Requirement", "diagnose", "MET_CONFIDENCE"]

MET_CONFIDENCE = 0.6
_FULL = frozenset({"exact", "narrower"})
_IMPORTANCE_KO = {"must": "필수", "should": "우대", "nice": "참고"}
_RELATION_KO = {"exact": "같은 기술", "narrower": "더 구체적인 기술", "broader": "더 넓은 기술",
                "related": "관련 기술", "sibling": "비슷한 기술"}  # fmt: skip


@dataclass(frozen=True)
class Requirement:
    skill_id: str
    level: int = 1
    importance: str = "must"  # must / should / nice


@dataclass(frozen=True)
class GapItem:
    skill_id: str
    label_en: str
    label_ko: str
    importance: str
    weight: float
    level: int
    status: str  # met / partly_met / missing
    credit: float
    relation: str | None = None
    via_skill: str | None = None
    via_label_en: str | None = None
    via_label_ko: str | None = None
    held_level: int | None = None

    def explain(self, lang: str = "ko") -> str:
        label = self.label_ko or self.label_en if lang == "ko" else self.label_en or self.label_ko
        via = (self.via_label_ko or self.via_label_en) if lang == "ko" else (self.via_label_en or self.via_label_ko)
        if lang == "ko":
            need = f"{label}({_IMPORTANCE_KO.get(self.importance, self.importance)}, 수준 {self.level})"
            if self.status == "met":
                return f"{need}: 충족 — {via} 수준 {self.held_level}"
            if self.status == "partly_met":
                how = _RELATION_KO.get(self.relation or "", self.relation or "")
                return f"{need}: 일부 충족 — {how} {via} 수준 {self.held_level}, 인정 {round(self.credit * 100)}%"
            return f"{need}: 부족 — 관련 기술이 없습니다"
        need = f"{label} ({self.importance}, level {self.level})"
        if self.status == "met":
            return f"{need}: met by {via} at level {self.held_level}"
        if self.status == "partly_met":
            return (
                f"{need}: partly met through the {self.relation} skill {via} at level {self.held_level}, "
                f"{round(self.credit * 100)}% credit"
            )
        return f"{need}: missing, no related skill held"


@dataclass
class GapReport:
    items: list[GapItem] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        total = sum(i.weight for i in self.items)
        return 1.0 if total == 0 else sum(i.weight * i.credit for i in self.items) / total

    def by_status(self, status: str) -> list[GapItem]:
        return [i for i in self.items if i.status == status]

    @property
    def missing_must(self) -> list[GapItem]:
        return [i for i in self.items if i.status != "met" and i.importance == "must"]

    def to_learn(self) -> list[dict[str, Any]]:
        """What is not met, as planner targets ``[{"skill", "level"}]`` (most important first)."""
        return [{"skill": i.skill_id, "level": i.level} for i in self.items if i.status != "met"]

    def as_dict(self, lang: str = "ko") -> dict[str, Any]:
        return {
            "coverage": round(self.coverage, 4),
            "counts": {s: len(self.by_status(s)) for s in ("met", "partly_met", "missing")},
            "items": [
                {
                    "skill_id": i.skill_id,
                    "label": i.label_ko if lang == "ko" else i.label_en,
                    "importance": i.importance,
                    "weight": i.weight,
                    "level": i.level,
                    "status": i.status,
                    "credit": round(i.credit, 4),
                    "relation": i.relation,
                    "via_skill": i.via_skill,
                    "held_level": i.held_level,
                    "explanation": i.explain(lang),
                }  # fmt: skip
                for i in self.items
            ],
        }


def diagnose(
    held: Iterable[Mapping[str, Any]],
    requirements: Iterable[Requirement],
    graph: SkillGraph,
    relation_credit: Mapping[str, float] | None = None,
) -> GapReport:
    """Each requirement's status against ``held`` skills (``{"skill_id", "level", "source", "confidence"}``).

    Items come most important first (must, should, nice), then missing before partly met before met, then by
    skill id; ``coverage`` is in [0, 1] and is 1 exactly when every requirement is met with full credit.
    """
    credit_of = dict(relation_credit or RELATION_CREDIT)
    claims = [dict(c) for c in held]
    items: list[GapItem] = []
    seen: set[str] = set()
    for req in requirements:
        if req.skill_id in seen:
            continue
        seen.add(req.skill_id)
        sources = graph.sources(req.skill_id)
        best: tuple[float, dict[str, Any], str, float] | None = None
        for claim in claims:
            relation = sources.get(claim["skill_id"])
            if relation is None:
                continue
            conf = claim_confidence(claim.get("source") or "explicit", claim.get("confidence"))
            level = int(claim.get("level") or 1)
            credit = credit_of[relation] * min(1.0, level / max(1, req.level)) * conf
            if credit > 0 and (best is None or credit > best[0]):
                best = (credit, claim, relation, conf)
        en, ko = graph.labels.get(req.skill_id, (req.skill_id, ""))
        weight = float(IMPORTANCE_WEIGHT.get(req.importance, 1.0))  # type: ignore[call-overload]
        if best is None:
            items.append(GapItem(req.skill_id, en, ko, req.importance, weight, req.level, "missing", 0.0))
            continue
        credit, claim, relation, conf = best
        held_level = int(claim.get("level") or 1)
        met = relation in _FULL and held_level >= req.level and conf >= MET_CONFIDENCE
        ven, vko = graph.labels.get(claim["skill_id"], (claim["skill_id"], ""))
        items.append(
            GapItem(req.skill_id, en, ko, req.importance, weight, req.level, "met" if met else "partly_met",
                    round(min(1.0, credit), 4), relation, claim["skill_id"], ven, vko, held_level)
        )  # fmt: skip
    order = {"must": 0, "should": 1, "nice": 2}
    status_order = {"missing": 0, "partly_met": 1, "met": 2}
    items.sort(key=lambda i: (order.get(i.importance, 3), status_order[i.status], i.skill_id))
    return GapReport(items)
