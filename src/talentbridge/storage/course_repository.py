"""The course catalogue's storage: implements ``services.course_catalogue.CourseStore`` over SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from talentbridge.domain.course import Course, CourseData, CourseSkill
from talentbridge.domain.errors import NotFound
from talentbridge.storage.course_tables import CourseProgressRow, CourseRow, GrowthPathRow

__all__ = ["SqlCourseStore"]

_FIELDS = tuple(n for n in CourseData.model_fields if n not in ("requires", "teaches"))


def _course(row: CourseRow) -> Course:
    data = {name: getattr(row, name) for name in _FIELDS}
    return Course.model_validate(
        {
            **data,
            "id": row.id,
            "requires": row.requires or [],
            "teaches": row.teaches or [],
            "skills_inferred": row.skills_inferred,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


def _values(record: CourseData, inferred: bool) -> dict[str, Any]:
    dumped = record.model_dump(mode="json")
    values = {name: getattr(record, name) for name in _FIELDS}
    for name in ("delivery", "funding_track"):
        values[name] = dumped[name]
    values["requires"] = dumped["requires"]
    values["teaches"] = dumped["teaches"]
    values["skills_inferred"] = inferred
    return values


class SqlCourseStore:
    def __init__(self, session: Session):
        self.session = session

    # -- catalogue ----------------------------------------------------------------------------------------------
    def ids_by_external_id(self, external_ids: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        ids = list(external_ids)
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            for external_id, id_ in self.session.execute(
                select(CourseRow.external_id, CourseRow.id).where(CourseRow.external_id.in_(chunk))
            ):
                out[external_id] = id_
        return out

    def upsert_many(self, records: Sequence[tuple[CourseData, bool]]) -> tuple[int, int]:
        """Insert or update by external_id; returns (created, updated). An update keeps skills an operator set
        when the file brings none of its own."""
        known = self.ids_by_external_id([r.external_id for r, _ in records if r.external_id])
        rows = {}
        if known:
            ids = list(known.values())
            for start in range(0, len(ids), 1000):
                for row in self.session.scalars(select(CourseRow).where(CourseRow.id.in_(ids[start : start + 1000]))):
                    rows[row.id] = row
        created = updated = 0
        for record, inferred in records:
            values = _values(record, inferred)
            row = rows.get(known.get(record.external_id or "", -1))
            if row is None:
                self.session.add(CourseRow(**values))
                created += 1
                continue
            if inferred and any(s.get("source") == "operator" for s in (row.teaches or [])):
                values["teaches"], values["requires"] = row.teaches, row.requires
                values["skills_inferred"] = row.skills_inferred
            changed = False
            for key, value in values.items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
                    changed = True
            updated += changed
        self.session.flush()
        return created, updated

    def get(self, course_id: int) -> Course:
        row = self.session.get(CourseRow, course_id)
        if row is None:
            raise NotFound("course", course_id)
        return _course(row)

    def many(self, course_ids: Iterable[int]) -> list[Course]:
        ids = list(course_ids)
        if not ids:
            return []
        rows = self.session.scalars(select(CourseRow).where(CourseRow.id.in_(ids))).all()
        by_id = {r.id: _course(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def search(
        self, *, q: str = "", ncs: str = "", track: str = "", limit: int = 50, offset: int = 0
    ) -> tuple[list[Course], int]:
        stmt = select(CourseRow)
        if q:
            like = f"%{q}%"
            stmt = stmt.where(
                or_(CourseRow.title.ilike(like), CourseRow.provider.ilike(like), CourseRow.ncs_name.ilike(like))
            )
        if ncs:
            stmt = stmt.where(CourseRow.ncs_code.startswith(ncs))
        if track:
            stmt = stmt.where(CourseRow.funding_track == track)
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = self.session.scalars(stmt.order_by(CourseRow.id).limit(limit).offset(offset)).all()
        return [_course(r) for r in rows], int(total)

    def all(self) -> list[Course]:
        return [_course(r) for r in self.session.scalars(select(CourseRow).order_by(CourseRow.id))]

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(CourseRow)) or 0)

    def set_skills(self, course_id: int, requires: list[CourseSkill], teaches: list[CourseSkill]) -> Course:
        row = self.session.get(CourseRow, course_id)
        if row is None:
            raise NotFound("course", course_id)
        row.requires = [s.model_dump(mode="json") for s in requires]
        row.teaches = [s.model_dump(mode="json") for s in teaches]
        row.skills_inferred = False
        self.session.flush()
        return _course(row)

    # -- a talent's courses -------------------------------------------------------------------------------------
    def progress_of(self, talent_ids: Sequence[int]) -> dict[int, dict[int, str]]:
        out: dict[int, dict[int, str]] = {}
        if not talent_ids:
            return out
        stmt = select(CourseProgressRow).where(CourseProgressRow.talent_id.in_(list(talent_ids)))
        for row in self.session.scalars(stmt):
            out.setdefault(row.talent_id, {})[row.course_id] = row.status
        return out

    def set_progress(self, talent_id: int, course_id: int, status: str | None) -> None:
        row = self.session.scalar(
            select(CourseProgressRow).where(
                CourseProgressRow.talent_id == talent_id, CourseProgressRow.course_id == course_id
            )
        )
        if status is None:
            if row is not None:
                self.session.delete(row)
        elif row is None:
            self.session.add(CourseProgressRow(talent_id=talent_id, course_id=course_id, status=status))
        else:
            row.status = status
        self.session.flush()

    def save_path(self, talent_id: int, kind: str, ref: str, label: str, course_ids: list[int], summary: dict) -> int:
        row = GrowthPathRow(
            talent_id=talent_id, target_kind=kind, target_ref=ref, target_label=label[:300],
            course_ids=course_ids, summary=summary,
        )  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return row.id

    def paths_of(self, talent_id: int) -> list[dict[str, Any]]:
        stmt = select(GrowthPathRow).where(GrowthPathRow.talent_id == talent_id).order_by(GrowthPathRow.id.desc())
        return [
            {
                "id": r.id,
                "kind": r.target_kind,
                "ref": r.target_ref,
                "label": r.target_label,
                "course_ids": list(r.course_ids or []),
                "summary": dict(r.summary or {}),
                "created_at": r.created_at,
            }  # fmt: skip
            for r in self.session.scalars(stmt)
        ]
