"""ESCO import: what it holds (``EscoData``, ``SkillGroup``, ``IscoGroup``); reading and merging sit beside it.

ESCO (European Skills, Competences, Qualifications and Occupations, © European Union) is downloaded by
users from https://esco.ec.europa.eu/en/use-esco/download (CSV, English): the *classification* zip
(``skills_en.csv``, ``occupations_en.csv``, ``skillGroups_en.csv``, ``skillsHierarchy_en.csv``,
``ISCOGroups_en.csv`` ...) and the *relations* zip (``occupationSkillRelations.csv``,
``skillSkillRelations.csv``, ``broaderRelationsSkillPillar.csv``, ``broaderRelationsOccPillar.csv``; v1.2 adds
an ``_en`` suffix, both spellings are accepted). The package ships no ESCO data.

* ``read_esco(paths)`` (``esco_read.py``) streams the zips (or unpacked folders) with ``csv`` and returns
  ``EscoData``: a ``Taxonomy`` whose ids are ESCO URIs, plus what ``Taxonomy`` has no field for (the type of
  skill–skill relations, skill groups and each skill's groups, ISCO groups). Malformed input raises
  ``ImportRejected`` whose problems name the file and line (``Problem(loc=(file, column), line=...)``); references
  to concepts that are not in the download (ESCO v1.1.1 has one such occupation) are skipped and counted, not fatal.
* ``merge_with_builtin(builtin, esco)`` (``esco_merge.py``) links built-in concepts to ESCO through ``esco_uri``: a
  linked concept keeps its id, Korean labels and fields, and gains ESCO's labels (as alternatives) and relations;
  ESCO-only concepts keep their URI as id. The ESCO side of each linked concept is kept in ``esco_skills`` /
  ``esco_occupations`` so that ``esco_layer(merged)`` can recover the ESCO data exactly (needed when the
  built-in taxonomy changes after an import) and ``update_layer(old, new)`` can apply a newer release.

This module holds the data; the download's files and their CSV rows are found and read by ``esco_files.py``.

Pure: standard library only, nothing happens at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy

__all__ = ["EscoData", "SkillGroup", "IscoGroup"]


@dataclass
class SkillGroup:
    """An ESCO skill group (``isced-f`` fields of knowledge, ``S1``... groups, the pillar's top levels)."""

    uri: str
    label_en: str
    code: str = ""
    description_en: str = ""
    broader: list[str] = field(default_factory=list)  # group URIs


@dataclass
class IscoGroup:
    """An ISCO-08 group as ESCO publishes it; ``code`` has 1 (major group) to 4 (unit group) digits."""

    code: str
    uri: str
    label_en: str
    description_en: str = ""

    @property
    def major(self) -> str:
        return self.code[:1]


@dataclass
class EscoData:
    """ESCO (or ESCO merged with the built-in taxonomy) with what ``Taxonomy`` has no field for.

    Keys are concept ids of ``taxonomy``: ESCO URIs after ``read_esco``; after ``merge_with_builtin`` the
    ids of linked built-in concepts replace their URIs.
    """

    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    related_type: dict[tuple[str, str], str] = field(default_factory=dict)  # (skill, related) -> essential|optional
    skill_groups: dict[str, SkillGroup] = field(default_factory=dict)  # by URI
    group_links: dict[str, list[str]] = field(default_factory=dict)  # skill id -> group URIs
    isco_groups: dict[str, IscoGroup] = field(default_factory=dict)  # by code
    #: ESCO side of built-in concepts linked by URI (relations as URIs), by built-in id; empty before merging.
    esco_skills: dict[str, Skill] = field(default_factory=dict)
    esco_occupations: dict[str, Occupation] = field(default_factory=dict)
    #: references to concepts missing from the download, skipped: (file, line, uri)
    skipped: list[tuple[str, int, str]] = field(default_factory=list)
    #: counts of rows read per logical file
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def occupation_skill_count(self) -> int:
        occs = self.taxonomy.occupations.values()
        return sum(len(o.essential_skills) + len(o.optional_skills) for o in occs)

    @property
    def skill_skill_count(self) -> int:
        return sum(len(s.related) for s in self.taxonomy.skills.values())

    def isco_major_groups(self) -> dict[str, str]:
        """ISCO major group code (``"0"``..``"9"``) -> English label."""
        return {g.code: g.label_en for g in self.isco_groups.values() if len(g.code) == 1}
