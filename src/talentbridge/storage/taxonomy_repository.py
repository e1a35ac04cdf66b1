"""Persistence of the skill taxonomy: bulk save, load back, counts, search by label, lookups (``TaxonomyRepository``).

The repository is one class over one session (the caller owns the transaction), in parts: writing the whole
taxonomy and its meta values (``taxonomy_writes``), search by label (``taxonomy_search``), concepts as rows and
back (``taxonomy_rows``); this module loads the whole taxonomy back, counts it and looks concepts up by id or URI.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from talentbridge.skills.esco import EscoData, IscoGroup, SkillGroup
from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy
from talentbridge.storage.taxonomy_rows import chunks, occupation_from_row, skill_from_row
from talentbridge.storage.taxonomy_search import TaxonomySearch
from talentbridge.storage.taxonomy_tables import (
    IscoGroupRow,
    OccupationLabelRow,
    OccupationRow,
    OccupationSkillRow,
    SkillGroupRow,
    SkillLabelRow,
    SkillRelationRow,
    SkillRow,
)
from talentbridge.storage.taxonomy_writes import TaxonomyWrites

__all__ = ["TaxonomyRepository", "TaxonomyCounts"]


@dataclass
class TaxonomyCounts:
    skills: int = 0
    builtin_skills: int = 0
    esco_skills: int = 0  # skills that exist in ESCO (ESCO-only plus built-in linked to ESCO)
    occupations: int = 0
    builtin_occupations: int = 0
    esco_occupations: int = 0
    skill_labels: int = 0
    occupation_labels: int = 0
    broader_relations: int = 0
    related_relations: int = 0
    group_links: int = 0
    essential_relations: int = 0
    optional_relations: int = 0
    skill_groups: int = 0
    isco_groups: int = 0

    @property
    def occupation_skill_relations(self) -> int:
        return self.essential_relations + self.optional_relations

    def as_dict(self) -> dict[str, int]:
        return {**dataclasses.asdict(self), "occupation_skill_relations": self.occupation_skill_relations}


class TaxonomyRepository(TaxonomyWrites, TaxonomySearch):
    """The taxonomy tables seen through one session (the caller owns the transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading --------------------------------------------------------------------------------------------
    def has_esco(self) -> bool:
        s = self.session
        return (
            s.execute(
                select(SkillRow.id).where(or_(~SkillRow.builtin, SkillRow.esco.is_not(None))).limit(1)
            ).first()
            is not None
            or s.execute(select(OccupationRow.id).where(~OccupationRow.builtin).limit(1)).first() is not None
        )

    def load(self) -> EscoData:
        """The whole stored taxonomy with ESCO sides, relation types, skill and ISCO groups."""
        s = self.session
        data = EscoData()
        tax = data.taxonomy
        conn = s.connection()  # Core rows: several times faster than ORM objects for ~20,000 concepts
        for r in conn.execute(select(SkillRow.__table__)):
            tax.skills[r.id] = skill_from_row(r)  # type: ignore[arg-type]
            if r.esco is not None:
                data.esco_skills[r.id] = Skill(**r.esco)
        rel = SkillRelationRow
        for skill_id, kind, target, relation_type in s.execute(
            select(rel.skill_id, rel.kind, rel.target_id, rel.relation_type).order_by(rel.skill_id)
        ):
            skill = tax.skills[skill_id]
            if kind == "broader":
                skill.broader.append(target)
            elif kind == "related":
                skill.related.append(target)
                if relation_type:
                    data.related_type[(skill_id, target)] = relation_type
            else:
                data.group_links.setdefault(skill_id, []).append(target)
        for r in conn.execute(select(OccupationRow.__table__)):
            tax.occupations[r.id] = occupation_from_row(r)  # type: ignore[arg-type]
            if r.esco is not None:
                data.esco_occupations[r.id] = Occupation(**r.esco)
        os_ = OccupationSkillRow
        for occ_id, skill_id, relation in s.execute(select(os_.occupation_id, os_.skill_id, os_.relation)):
            occ = tax.occupations[occ_id]
            (occ.essential_skills if relation == "essential" else occ.optional_skills).append(skill_id)
        for g in s.execute(select(SkillGroupRow)).scalars():
            data.skill_groups[g.uri] = SkillGroup(
                g.uri, g.label_en, g.code, g.description_en, list(g.broader)
            )
        for g in s.execute(select(IscoGroupRow)).scalars():
            data.isco_groups[g.code] = IscoGroup(g.code, g.uri, g.label_en, g.description_en)
        return data

    def load_taxonomy(self) -> Taxonomy:
        return self.load().taxonomy

    def counts(self) -> TaxonomyCounts:
        s = self.session

        def count(stmt: Select[Any]) -> int:
            return int(s.execute(stmt).scalar_one())

        c = TaxonomyCounts()
        c.skills = count(select(func.count()).select_from(SkillRow))
        c.builtin_skills = count(select(func.count()).select_from(SkillRow).where(SkillRow.builtin))
        c.esco_skills = count(
            select(func.count()).select_from(SkillRow).where(SkillRow.esco_uri.is_not(None))
        )
        c.occupations = count(select(func.count()).select_from(OccupationRow))
        c.builtin_occupations = count(
            select(func.count()).select_from(OccupationRow).where(OccupationRow.builtin)
        )
        c.esco_occupations = count(
            select(func.count()).select_from(OccupationRow).where(OccupationRow.esco_uri.is_not(None))
        )
        c.skill_labels = count(select(func.count()).select_from(SkillLabelRow))
        c.occupation_labels = count(select(func.count()).select_from(OccupationLabelRow))
        for kind, n in s.execute(select(SkillRelationRow.kind, func.count()).group_by(SkillRelationRow.kind)):
            if kind == "broader":
                c.broader_relations = n
            elif kind == "related":
                c.related_relations = n
            else:
                c.group_links = n
        for relation, n in s.execute(
            select(OccupationSkillRow.relation, func.count()).group_by(OccupationSkillRow.relation)
        ):
            if relation == "essential":
                c.essential_relations = n
            else:
                c.optional_relations = n
        c.skill_groups = count(select(func.count()).select_from(SkillGroupRow))
        c.isco_groups = count(select(func.count()).select_from(IscoGroupRow))
        return c

    # -- lookups --------------------------------------------------------------------------------------------
    def get_skill(self, key: str) -> Skill | None:
        """The skill with id or URI ``key``, with its broader and related skills."""
        s = self.session
        row = (
            s.get(SkillRow, key)
            or s.execute(select(SkillRow).where(SkillRow.uri == key)).scalar_one_or_none()
        )
        if row is None:
            return None
        skill = skill_from_row(row)
        rel = SkillRelationRow
        for kind, target in s.execute(
            select(rel.kind, rel.target_id).where(
                rel.skill_id == row.id, rel.kind.in_(("broader", "related"))
            )
        ):
            (skill.broader if kind == "broader" else skill.related).append(target)
        return skill

    def related_types(self, skill_id: str) -> dict[str, str]:
        """Related skill id -> ESCO relation type (essential | optional), for related skills that have one."""
        rel = SkillRelationRow
        stmt = select(rel.target_id, rel.relation_type).where(
            rel.skill_id == skill_id, rel.kind == "related", rel.relation_type != ""
        )
        return {t: k for t, k in self.session.execute(stmt)}

    def isco_group(self, code: str) -> IscoGroup | None:
        g = self.session.get(IscoGroupRow, code)
        return None if g is None else IscoGroup(g.code, g.uri, g.label_en, g.description_en)

    def labels_of_occupations(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for chunk in chunks(ids, 900):
            stmt = select(OccupationRow.id, OccupationRow.label_en, OccupationRow.label_ko).where(
                OccupationRow.id.in_(chunk)
            )
            for oid, en, ko in self.session.execute(stmt):
                out[oid] = (en, ko)
        return out

    def narrower(self, skill_id: str) -> list[str]:
        rel = SkillRelationRow
        stmt = (
            select(rel.skill_id)
            .where(rel.target_id == skill_id, rel.kind == "broader")
            .order_by(rel.skill_id)
        )
        return list(self.session.execute(stmt).scalars())

    def skill_groups_of(self, skill_id: str) -> list[SkillGroup]:
        stmt = (
            select(SkillGroupRow)
            .join(SkillRelationRow, SkillRelationRow.target_id == SkillGroupRow.uri)
            .where(SkillRelationRow.skill_id == skill_id, SkillRelationRow.kind == "group")
        )
        return [
            SkillGroup(g.uri, g.label_en, g.code, g.description_en, list(g.broader))
            for g in self.session.execute(stmt).scalars()
        ]

    def occupations_needing(self, skill_id: str, limit: int = 50) -> list[tuple[str, str, str, str]]:
        """(occupation id, English label, Korean label, essential|optional) of occupations with the skill."""
        stmt = (
            select(
                OccupationRow.id, OccupationRow.label_en, OccupationRow.label_ko, OccupationSkillRow.relation
            )
            .join(OccupationSkillRow, OccupationSkillRow.occupation_id == OccupationRow.id)
            .where(OccupationSkillRow.skill_id == skill_id)
            .order_by(OccupationSkillRow.relation, OccupationRow.builtin.desc(), OccupationRow.label_en)
            .limit(limit)
        )
        return [(a, b, c, d) for a, b, c, d in self.session.execute(stmt)]

    def get_occupation(self, key: str) -> Occupation | None:
        s = self.session
        row = (
            s.get(OccupationRow, key)
            or s.execute(select(OccupationRow).where(OccupationRow.uri == key)).scalar_one_or_none()
        )
        if row is None:
            return None
        occ = occupation_from_row(row)
        os_ = OccupationSkillRow
        for skill_id, relation in s.execute(
            select(os_.skill_id, os_.relation).where(os_.occupation_id == row.id).order_by(os_.skill_id)
        ):
            (occ.essential_skills if relation == "essential" else occ.optional_skills).append(skill_id)
        return occ

    def labels_of_skills(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """id -> (label_en, label_ko) for the given skill ids."""
        out: dict[str, tuple[str, str]] = {}
        for chunk in chunks(ids, 900):
            stmt = select(SkillRow.id, SkillRow.label_en, SkillRow.label_ko).where(SkillRow.id.in_(chunk))
            for sid, en, ko in self.session.execute(stmt):
                out[sid] = (en, ko)
        return out
