"""Persistence of the skill taxonomy: bulk save, load back, counts, search by label.

``replace_all`` writes a whole merged taxonomy inside the caller's transaction (delete, then bulk insert in
chunks — ``executemany`` on SQLite, multi-row ``INSERT ... VALUES`` batches on PostgreSQL), so an import is
atomic: the transaction either commits everything or nothing. Ids never change between saves, so references
from talents and openings stay valid.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import JSON, Select, Table, case, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from talentbridge.skills.esco import EscoData, IscoGroup, SkillGroup
from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy
from talentbridge.storage.taxonomy_tables import (
    IscoGroupRow,
    OccupationLabelRow,
    OccupationRow,
    OccupationSkillRow,
    SkillGroupRow,
    SkillLabelRow,
    SkillRelationRow,
    SkillRow,
    TaxonomyMetaRow,
)

__all__ = ["TaxonomyRepository", "TaxonomyCounts", "SearchPage", "normalize_label", "Progress"]

T = TypeVar("T")
#: progress(stage, done, total)
Progress = Callable[[str, int, int], None]

CHUNK = 5000
VERSION_KEY = "version"


def normalize_label(text: str) -> str:
    """The form labels are searched in: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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


@dataclass
class SearchPage:
    """One page of search results (``page`` is 1-based)."""

    items: list[Any]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def _chunks(rows: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _label_rows(key: str, concept: Skill | Occupation) -> Iterator[dict[str, Any]]:
    seen: set[tuple[str, str]] = set()
    for lang, preferred, labels in (
        ("en", True, [concept.label_en]),
        ("ko", True, [concept.label_ko]),
        ("en", False, concept.alt_en),
        ("ko", False, concept.alt_ko),
    ):
        for label in labels:
            if label and (lang, label) not in seen:
                seen.add((lang, label))
                yield {
                    key: concept.id,
                    "lang": lang,
                    "label": label,
                    "norm": normalize_label(label),
                    "preferred": preferred,
                }


def _esco_json(concept: Skill | Occupation | None) -> dict[str, Any] | None:
    return None if concept is None else dataclasses.asdict(concept)


class TaxonomyRepository:
    """The taxonomy tables seen through one session (the caller owns the transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- meta ---------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> Any:
        row = self.session.get(TaxonomyMetaRow, key)
        return None if row is None else row.value

    def set_meta(self, key: str, value: Any) -> None:
        row = self.session.get(TaxonomyMetaRow, key)
        if row is None:
            self.session.add(TaxonomyMetaRow(key=key, value=value))
        else:
            row.value = value
        self.session.flush()

    def version(self) -> str | None:
        """Changes on every ``replace_all``; for caches of the loaded taxonomy."""
        value = self.get_meta(VERSION_KEY)
        return None if value is None else str(value)

    # -- writing --------------------------------------------------------------------------------------------
    def replace_all(self, data: EscoData, progress: Progress | None = None) -> None:
        """Replace the stored taxonomy by ``data`` (merged ids) within the current transaction."""
        say = progress or (lambda stage, done, total: None)
        s = self.session
        s.flush()
        for table in (
            OccupationSkillRow,
            OccupationLabelRow,
            SkillLabelRow,
            SkillRelationRow,
            OccupationRow,
            SkillRow,
            SkillGroupRow,
            IscoGroupRow,
        ):
            s.execute(delete(table))
        tax = data.taxonomy

        skills = (
            {
                "id": sk.id,
                "uri": sk.uri,
                "esco_uri": sk.esco_uri,
                "label_en": sk.label_en,
                "label_ko": sk.label_ko,
                "alt_en": sk.alt_en,
                "alt_ko": sk.alt_ko,
                "type": sk.type,
                "family": sk.family,
                "description_en": sk.description_en,
                "description_ko": sk.description_ko,
                "builtin": sk.builtin,
                "esco": _esco_json(data.esco_skills.get(sk.id)),
            }
            for sk in tax.skills.values()
        )
        self._insert(SkillRow, skills, "skills", len(tax.skills), say)
        occupations = (
            {
                "id": o.id,
                "uri": o.uri,
                "esco_uri": o.esco_uri,
                "label_en": o.label_en,
                "label_ko": o.label_ko,
                "alt_en": o.alt_en,
                "alt_ko": o.alt_ko,
                "isco_code": o.isco_code,
                "description_en": o.description_en,
                "description_ko": o.description_ko,
                "broader": o.broader,
                "builtin": o.builtin,
                "esco": _esco_json(data.esco_occupations.get(o.id)),
            }
            for o in tax.occupations.values()
        )
        self._insert(OccupationRow, occupations, "occupations", len(tax.occupations), say)

        def relations() -> Iterator[dict[str, Any]]:
            for sk in tax.skills.values():
                for target in sk.broader:
                    yield {"skill_id": sk.id, "kind": "broader", "target_id": target, "relation_type": ""}
                for target in sk.related:
                    kind = data.related_type.get((sk.id, target), "")
                    yield {"skill_id": sk.id, "kind": "related", "target_id": target, "relation_type": kind}
            for skill_id, groups in data.group_links.items():
                if skill_id in tax.skills:
                    for group in groups:
                        yield {"skill_id": skill_id, "kind": "group", "target_id": group, "relation_type": ""}

        n_rel = sum(len(sk.broader) + len(sk.related) for sk in tax.skills.values())
        self._insert(SkillRelationRow, relations(), "skill relations", n_rel, say)

        def occupation_skills() -> Iterator[dict[str, Any]]:
            for o in tax.occupations.values():
                for sid in o.essential_skills:
                    yield {"occupation_id": o.id, "skill_id": sid, "relation": "essential"}
                for sid in o.optional_skills:
                    yield {"occupation_id": o.id, "skill_id": sid, "relation": "optional"}

        n_os = sum(len(o.essential_skills) + len(o.optional_skills) for o in tax.occupations.values())
        self._insert(OccupationSkillRow, occupation_skills(), "occupation skills", n_os, say)

        skill_labels = (row for sk in tax.skills.values() for row in _label_rows("skill_id", sk))
        self._insert(SkillLabelRow, skill_labels, "skill labels", 0, say)
        occ_labels = (row for o in tax.occupations.values() for row in _label_rows("occupation_id", o))
        self._insert(OccupationLabelRow, occ_labels, "occupation labels", 0, say)

        groups = (
            {
                "uri": g.uri,
                "code": g.code,
                "label_en": g.label_en,
                "description_en": g.description_en,
                "broader": g.broader,
            }
            for g in data.skill_groups.values()
        )
        self._insert(SkillGroupRow, groups, "skill groups", len(data.skill_groups), say)
        isco = (
            {
                "code": g.code,
                "uri": g.uri,
                "label_en": g.label_en,
                "label_ko": "",
                "description_en": g.description_en,
            }
            for g in data.isco_groups.values()
        )
        self._insert(IscoGroupRow, isco, "ISCO groups", len(data.isco_groups), say)
        self.set_meta(VERSION_KEY, uuid.uuid4().hex)

    def _insert(
        self, table: Any, rows: Iterable[dict[str, Any]], stage: str, total: int, say: Progress
    ) -> None:
        done = 0
        say(stage, 0, total)
        connection = self.session.connection()
        copy = connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg"
        for chunk in _chunks(rows):
            if copy:
                self._copy(table.__table__, chunk)
            else:
                connection.execute(insert(table.__table__), chunk)
            done += len(chunk)
            say(stage, done, max(total, done))

    def _copy(self, table: Table, chunk: list[dict[str, Any]]) -> None:
        """PostgreSQL: ``COPY ... FROM STDIN`` through psycopg, several times faster than INSERT batches."""
        columns = list(chunk[0])
        json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
        raw = self.session.connection().connection.driver_connection
        names = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in chunk:
                copy.write_row(
                    [
                        json.dumps(row[c], ensure_ascii=False)
                        if c in json_columns and row[c] is not None
                        else row[c]
                        for c in columns
                    ]
                )

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
            tax.skills[r.id] = _skill(r)  # type: ignore[arg-type]
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
            tax.occupations[r.id] = _occupation(r)  # type: ignore[arg-type]
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
        skill = _skill(row)
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
        for chunk in _chunks(ids, 900):
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
        occ = _occupation(row)
        os_ = OccupationSkillRow
        for skill_id, relation in s.execute(
            select(os_.skill_id, os_.relation).where(os_.occupation_id == row.id).order_by(os_.skill_id)
        ):
            (occ.essential_skills if relation == "essential" else occ.optional_skills).append(skill_id)
        return occ

    def labels_of_skills(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """id -> (label_en, label_ko) for the given skill ids."""
        out: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(ids, 900):
            stmt = select(SkillRow.id, SkillRow.label_en, SkillRow.label_ko).where(SkillRow.id.in_(chunk))
            for sid, en, ko in self.session.execute(stmt):
                out[sid] = (en, ko)
        return out

    def search_skills(
        self,
        query: str = "",
        page: int = 1,
        size: int = 50,
        type: str | None = None,
        family: str | None = None,
        builtin: bool | None = None,
    ) -> SearchPage:
        """Skills whose label (any language, preferred or alternative) contains ``query``, case-insensitively.

        Ranked: exact label, then label starting with the query, then containing it; built-in first; then
        shorter labels. Items are ``Skill`` without relations. ``page`` is 1-based.
        """
        filters = []
        if type:
            filters.append(SkillRow.type == type)
        if family:
            filters.append(SkillRow.family == family)
        if builtin is not None:
            filters.append(SkillRow.builtin.is_(builtin))
        return self._search(
            SkillRow, SkillLabelRow, SkillLabelRow.skill_id, query, page, size, filters, _skill
        )

    def search_occupations(
        self,
        query: str = "",
        page: int = 1,
        size: int = 50,
        isco: str | None = None,
        builtin: bool | None = None,
    ) -> SearchPage:
        """Occupations by label, ranked like ``search_skills``; ``isco`` filters by ISCO code prefix."""
        filters = []
        if isco:
            filters.append(OccupationRow.isco_code.like(_like_escape(isco) + "%", escape="\\"))
        if builtin is not None:
            filters.append(OccupationRow.builtin.is_(builtin))
        return self._search(
            OccupationRow,
            OccupationLabelRow,
            OccupationLabelRow.occupation_id,
            query,
            page,
            size,
            filters,
            _occupation,
        )

    def _search(
        self,
        concept: Any,
        labels: Any,
        label_owner: Any,
        query: str,
        page: int,
        size: int,
        filters: list[Any],
        convert: Callable[[Any], Any],
    ) -> SearchPage:
        page = max(1, page)
        size = max(1, size)
        q = normalize_label(query)
        if q:
            escaped = _like_escape(q)
            rank = case(
                (labels.norm == q, 0),
                (labels.norm.like(escaped + "%", escape="\\"), 1),
                else_=2,
            )
            hits = (
                select(label_owner.label("owner"), func.min(rank).label("rank"))
                .where(labels.norm.like("%" + escaped + "%", escape="\\"))
                .group_by(label_owner)
                .subquery()
            )
            base = select(concept).join(hits, hits.c.owner == concept.id).where(*filters)
            order = [hits.c.rank, concept.builtin.desc(), func.length(concept.label_en), concept.label_en]
        else:
            base = select(concept).where(*filters)
            order = [concept.builtin.desc(), concept.label_en]
        total = int(self.session.execute(select(func.count()).select_from(base.subquery())).scalar_one())
        rows = self.session.execute(base.order_by(*order, concept.id).offset((page - 1) * size).limit(size))
        return SearchPage([convert(r) for r in rows.scalars()], total, page, size)


def _skill(r: SkillRow) -> Skill:
    return Skill(
        id=r.id,
        label_en=r.label_en,
        label_ko=r.label_ko,
        alt_en=list(r.alt_en or []),
        alt_ko=list(r.alt_ko or []),
        type=r.type,  # type: ignore[arg-type]
        description_en=r.description_en,
        description_ko=r.description_ko,
        family=r.family,
        esco_uri=r.esco_uri,
        builtin=r.builtin,
    )


def _occupation(r: OccupationRow) -> Occupation:
    return Occupation(
        id=r.id,
        label_en=r.label_en,
        label_ko=r.label_ko,
        alt_en=list(r.alt_en or []),
        alt_ko=list(r.alt_ko or []),
        isco_code=r.isco_code,
        description_en=r.description_en,
        description_ko=r.description_ko,
        broader=list(r.broader or []),
        esco_uri=r.esco_uri,
        builtin=r.builtin,
    )
