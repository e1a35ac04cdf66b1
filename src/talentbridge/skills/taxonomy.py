"""The skill taxonomy as plain data: skills, occupations and the relations between them.

One ``Taxonomy`` holds the built-in AI taxonomy (written for this project, shipped in ``skills/data``) and, when
imported, ESCO; both meet through ESCO URIs. Ids are strings: built-in concepts use short slugs (``pytorch``,
``ml-engineer``); concepts that exist only in ESCO use their ESCO URI as id.

Pure: no I/O here; loaders live in ``skills/builtin.py`` and ``skills/esco.py``, persistence in ``storage``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Skill", "Occupation", "Taxonomy", "SkillType", "OWN_URI_PREFIX", "concept_uri"]

SkillType = Literal["skill", "knowledge", "tool"]

#: URI given to built-in concepts that ESCO does not have.
OWN_URI_PREFIX = "urn:talentbridge:"


@dataclass
class Skill:
    id: str
    label_en: str
    label_ko: str = ""
    alt_en: list[str] = field(default_factory=list)
    alt_ko: list[str] = field(default_factory=list)
    type: SkillType = "skill"
    description_en: str = ""
    description_ko: str = ""
    family: str = ""  # built-in skill family (e.g. "dl_frameworks"); "" for ESCO-only skills
    broader: list[str] = field(default_factory=list)  # ids of broader skills
    related: list[str] = field(default_factory=list)  # ids of related skills (symmetric in meaning)
    esco_uri: str | None = None
    builtin: bool = True

    @property
    def uri(self) -> str:
        return concept_uri(self.id, self.esco_uri, "skill")

    def labels(self) -> Iterator[str]:
        """Preferred and alternative labels in both languages, preferred first, without blanks."""
        for label in (self.label_en, self.label_ko, *self.alt_en, *self.alt_ko):
            if label:
                yield label


@dataclass
class Occupation:
    id: str
    label_en: str
    label_ko: str = ""
    alt_en: list[str] = field(default_factory=list)
    alt_ko: list[str] = field(default_factory=list)
    isco_code: str = ""  # ISCO-08 code, 4 digits where known
    description_en: str = ""
    description_ko: str = ""
    essential_skills: list[str] = field(default_factory=list)
    optional_skills: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    esco_uri: str | None = None
    builtin: bool = True

    @property
    def uri(self) -> str:
        return concept_uri(self.id, self.esco_uri, "occupation")

    def labels(self) -> Iterator[str]:
        for label in (self.label_en, self.label_ko, *self.alt_en, *self.alt_ko):
            if label:
                yield label


def concept_uri(concept_id: str, esco_uri: str | None, kind: str) -> str:
    """The public URI of a concept: its ESCO URI when it has one, else ``urn:talentbridge:<kind>:<id>``."""
    if esco_uri:
        return esco_uri
    if concept_id.startswith(("http://", "https://", OWN_URI_PREFIX)):
        return concept_id
    return f"{OWN_URI_PREFIX}{kind}:{concept_id}"


@dataclass
class Taxonomy:
    """Skills and occupations by id, with lookups by URI and label."""

    skills: dict[str, Skill] = field(default_factory=dict)
    occupations: dict[str, Occupation] = field(default_factory=dict)
    #: aliases an operator added (skill id -> labels; also in the skill's ``alt_en``/``alt_ko``): trusted like the
    #: built-in files' own labels by the explicit-mention matcher
    operator_aliases: dict[str, list[str]] = field(default_factory=dict)

    def add_skills(self, skills: Iterable[Skill]) -> None:
        for skill in skills:
            self.skills[skill.id] = skill

    def add_occupations(self, occupations: Iterable[Occupation]) -> None:
        for occupation in occupations:
            self.occupations[occupation.id] = occupation

    def skill_by_uri(self) -> dict[str, Skill]:
        return {s.uri: s for s in self.skills.values()}

    def occupation_by_uri(self) -> dict[str, Occupation]:
        return {o.uri: o for o in self.occupations.values()}

    def narrower(self) -> dict[str, list[str]]:
        """Child ids of each skill id (inverse of ``broader``)."""
        children: dict[str, list[str]] = {}
        for skill in self.skills.values():
            for parent in skill.broader:
                children.setdefault(parent, []).append(skill.id)
        return children

    def __len__(self) -> int:
        return len(self.skills) + len(self.occupations)
