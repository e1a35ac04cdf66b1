"""Which talent skills give credit to a required skill, through the taxonomy, and how much.

From the side of a required skill ``r`` a talent's skill ``k`` is, in decreasing credit (``weights.RELATION_CREDIT``):

    exact      k == r
    narrower   k is a narrower skill of r   (PyTorch for "deep learning frameworks")
    broader    k is a broader skill of r    ("deep learning frameworks" for PyTorch)
    related    k and r are listed as related (either direction)
    sibling    k and r share a broader skill (TensorFlow for PyTorch)

Only direct (one-hop) relations count. When two relations hold, the one with more credit wins.
"""

from __future__ import annotations

from collections.abc import Mapping

from talentbridge.matching.weights import RELATION_CREDIT
from talentbridge.skills.taxonomy import Taxonomy

__all__ = ["SkillGraph", "RELATIONS"]

RELATIONS: tuple[str, ...] = ("exact", "narrower", "broader", "related", "sibling")


class SkillGraph:
    """Precomputed one-hop neighbourhoods of a taxonomy's skills.

    ``sources(r)`` maps each talent skill id that gives credit to required skill ``r`` to its relation.
    Skills unknown to the taxonomy only match exactly. Building is O(sum of relation list sizes); lookups O(1).
    """

    def __init__(self, taxonomy: Taxonomy | None = None, relation_credit: Mapping[str, float] | None = None):
        self.credit = dict(relation_credit or RELATION_CREDIT)
        self._sources: dict[str, dict[str, str]] = {}
        self.labels: dict[str, tuple[str, str]] = {}
        if taxonomy is None:
            return
        skills = taxonomy.skills
        narrower = taxonomy.narrower()
        for sid, skill in skills.items():
            self.labels[sid] = (skill.label_en, skill.label_ko)
            rel: dict[str, str] = {}

            def put(other: str, relation: str, rel: dict[str, str] = rel) -> None:
                old = rel.get(other)
                if old is None or self.credit[relation] > self.credit[old]:
                    rel[other] = relation

            for parent in skill.broader:
                for sib in narrower.get(parent, ()):
                    if sib != sid:
                        put(sib, "sibling")
            for other in skill.related:
                put(other, "related")
            for parent in skill.broader:
                put(parent, "broader")
            for child in narrower.get(sid, ()):
                put(child, "narrower")
            rel[sid] = "exact"
            self._sources[sid] = rel
        # related is symmetric in meaning: add the reverse direction
        for sid, skill in skills.items():
            for other in skill.related:
                rel = self._sources.setdefault(other, {other: "exact"})
                old = rel.get(sid)
                if old is None or self.credit["related"] > self.credit[old]:
                    rel[sid] = "related"

    def sources(self, required: str) -> dict[str, str]:
        """Talent skill id → relation, for every skill that gives ``required`` some credit (itself included)."""
        found = self._sources.get(required)
        return found if found is not None else {required: "exact"}

    def relation(self, required: str, held: str) -> str | None:
        """The relation through which holding ``held`` covers ``required``, or None."""
        return self.sources(required).get(held)

    def label(self, skill_id: str, language: str = "en") -> str:
        en, ko = self.labels.get(skill_id, (skill_id, ""))
        return (ko or en) if language == "ko" else (en or skill_id)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._sources
