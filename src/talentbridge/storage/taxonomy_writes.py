"""Writing the stored skill taxonomy (a part of ``taxonomy_repository.TaxonomyRepository``).

``replace_all`` writes a whole merged taxonomy inside the caller's transaction (delete, then bulk insert in
chunks — ``executemany`` on SQLite, ``COPY ... FROM STDIN`` on PostgreSQL through psycopg, multi-row ``INSERT ...
VALUES`` batches with another driver), so an import is atomic: the transaction either commits everything or
nothing. Ids never change between saves, so references from talents and openings stay valid.

Beside it, the taxonomy's meta values (``get_meta``, ``set_meta``): ``version`` changes on every ``replace_all``,
for caches of the loaded taxonomy.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import JSON, Table, delete, insert
from sqlalchemy.orm import Session

from talentbridge.skills.esco import EscoData
from talentbridge.storage.taxonomy_rows import chunks, esco_json, label_rows
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

__all__ = ["Progress", "TaxonomyWrites", "VERSION_KEY"]

#: progress(stage, done, total)
Progress = Callable[[str, int, int], None]

VERSION_KEY = "version"


class TaxonomyWrites:
    """The taxonomy's meta values and the whole taxonomy replaced at once, through ``session``."""

    session: Session

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
                "esco": esco_json(data.esco_skills.get(sk.id)),
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
                "esco": esco_json(data.esco_occupations.get(o.id)),
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

        skill_labels = (row for sk in tax.skills.values() for row in label_rows("skill_id", sk))
        self._insert(SkillLabelRow, skill_labels, "skill labels", 0, say)
        occ_labels = (row for o in tax.occupations.values() for row in label_rows("occupation_id", o))
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
        for chunk in chunks(rows):
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
