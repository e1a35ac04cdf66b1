"""Repositories of the registry: domain records in, domain records out; SQL stays here.

Each entity repository offers ``get``, ``get_by_external_id``, ``ids_by_external_id``, ``add``, ``update``,
``delete``, ``list`` (filters, sorting, pagination), ``count``, ``iter_all`` and ``upsert_many`` (bulk, by
external id). Unique keys are checked before writing so a duplicate is a ``Conflict`` naming the field, and
references to other entities are checked so a dangling id is a validation problem, not a database error.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Select, delete, distinct, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentbridge.domain import (
    Application,
    ApplicationData,
    Opening,
    OpeningData,
    Organization,
    OrganizationData,
    Placement,
    PlacementData,
    Program,
    ProgramData,
    Round,
    RoundData,
    Talent,
    TalentData,
    problems_from,
)
from talentbridge.domain.errors import Conflict, NotFound, Problem, ValidationFailed
from talentbridge.storage.base import Base
from talentbridge.storage.tables import (
    ApplicationRow,
    OpeningRow,
    OpeningSkillRow,
    OrganizationRow,
    PlacementRow,
    ProgramRow,
    RoundRow,
    TalentRow,
    TalentSkillRow,
)

__all__ = ["Page", "Filter", "EntityRepository", "Repositories"]

D = TypeVar("D", bound=BaseModel)
P = TypeVar("P", bound=BaseModel)


@dataclass
class Page(Generic[P]):
    items: list[P]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class Filter:
    """A list filter: query parameter ``name`` compared with ``op`` to a column (or a custom clause)."""

    name: str
    column: Any = None
    op: str = "eq"  # eq | in | ge | le | like | bool
    cast: Callable[[str], Any] = str
    description: str = ""
    clause: Callable[[Any], Any] | None = None  # value -> SQL clause, for filters over other tables
    # value -> a cheaper COUNT statement, used when this filter is the only one (e.g. counting a skill's
    # holders from the covering skill index instead of looking up every talent row)
    count_alone: Callable[[Any], Any] | None = None


@dataclass
class EntityRepository(Generic[D, P]):
    """Generic repository over one table. ``data_cls`` validates input, ``public_cls`` is what comes out."""

    session: Session
    entity: str
    row_cls: type[Base]
    data_cls: type[D]
    public_cls: type[P]
    filters: dict[str, Filter] = field(default_factory=dict)
    sortable: tuple[str, ...] = ("id",)
    unique: tuple[str, ...] = ()
    references: dict[str, tuple[str, type[Base]]] = field(default_factory=dict)  # field -> (entity, row)
    text_search: tuple[str, ...] = ()

    # -- conversion -------------------------------------------------------------------------------------------
    def _to_public(self, row: Any) -> P:
        values = {name: getattr(row, name) for name in self.public_cls.model_fields if hasattr(row, name)}
        return self.public_cls.model_validate(values)

    def _to_columns(self, record: BaseModel) -> dict[str, Any]:
        data = record.model_dump(mode="python")
        out: dict[str, Any] = {}
        for name, value in data.items():
            if isinstance(value, list | dict):
                out[name] = _jsonable(value)
            elif hasattr(value, "value") and not isinstance(value, date | datetime):
                out[name] = value.value
            else:
                out[name] = value
        return out

    # -- reads ------------------------------------------------------------------------------------------------
    def _row(self, id: int) -> Any:
        row = self.session.get(self.row_cls, id)
        if row is None:
            raise NotFound(self.entity, id)
        return row

    def get(self, id: int) -> P:
        return self._to_public(self._row(id))

    def get_many(self, ids: Iterable[int]) -> dict[int, P]:
        ids = list(ids)
        out: dict[int, P] = {}
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            for row in self.session.scalars(select(self.row_cls).where(self.row_cls.id.in_(chunk))):
                out[row.id] = self._to_public(row)
        return out

    def exists(self, id: int) -> bool:
        return self.session.scalar(select(self.row_cls.id).where(self.row_cls.id == id)) is not None

    def get_by_external_id(self, external_id: str) -> P | None:
        row = self.session.scalar(select(self.row_cls).where(self.row_cls.external_id == external_id))
        return None if row is None else self._to_public(row)

    def ids_by_external_id(self, external_ids: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(external_ids))
        out: dict[str, int] = {}
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start : start + 1000]
            stmt = select(self.row_cls.external_id, self.row_cls.id).where(self.row_cls.external_id.in_(chunk))
            out.update({ext: id_ for ext, id_ in self.session.execute(stmt)})
        return out

    def count(self, filters: dict[str, Any] | None = None) -> int:
        active = {k: v for k, v in (filters or {}).items() if v is not None and v != ""}
        if len(active) == 1:
            ((name, raw),) = active.items()
            spec = self.filters.get(name)
            if spec is not None and spec.count_alone is not None:
                self._filtered(select(self.row_cls.id), active)  # validates the value like any filter
                value = [spec.cast(v) for v in raw] if isinstance(raw, list) else spec.cast(raw)
                return int(self.session.scalar(spec.count_alone(value)) or 0)
        stmt = self._filtered(select(func.count()).select_from(self.row_cls), active)
        return int(self.session.scalar(stmt) or 0)

    def _filtered(self, stmt: Select[Any], filters: dict[str, Any]) -> Select[Any]:
        problems = []
        for name, raw in filters.items():
            if raw is None or raw == "":
                continue
            if name == "q":
                if self.text_search:
                    pattern = f"%{_escape_like(str(raw))}%"
                    stmt = stmt.where(
                        or_(*(getattr(self.row_cls, c).ilike(pattern, escape="\\") for c in self.text_search))
                    )
                continue
            spec = self.filters.get(name)
            if spec is None:
                problems.append(Problem(loc=("query", name), msg="unknown filter", value=raw))
                continue
            try:
                value = [spec.cast(v) for v in raw] if isinstance(raw, list) else spec.cast(raw)
            except (TypeError, ValueError) as exc:
                problems.append(Problem(loc=("query", name), msg=f"bad value: {exc}", value=raw))
                continue
            if spec.clause is not None:
                stmt = stmt.where(spec.clause(value))
            elif spec.op == "eq":
                stmt = stmt.where(spec.column.in_(value) if isinstance(value, list) else spec.column == value)
            elif spec.op == "ge":
                stmt = stmt.where(spec.column >= value)
            elif spec.op == "le":
                stmt = stmt.where(spec.column <= value)
        if problems:
            raise ValidationFailed("invalid filters", problems)
        return stmt

    def list(
        self,
        filters: dict[str, Any] | None = None,
        sort: str | None = None,
        page: int = 1,
        size: int = 50,
    ) -> Page[P]:
        """One page of entities matching ``filters``, sorted by ``sort`` (``name`` or ``-name``)."""
        filters = filters or {}
        order = self._order(sort)
        total = self.count(filters)
        stmt = self._filtered(select(self.row_cls), filters).order_by(*order)
        stmt = stmt.offset((page - 1) * size).limit(size)
        items = [self._to_public(r) for r in self.session.scalars(stmt)]
        return Page(items=items, total=total, page=page, size=size)

    def _order(self, sort: str | None) -> list[Any]:
        if not sort:
            return [self.row_cls.id]
        out = []
        for part in sort.split(","):
            part = part.strip()
            desc = part.startswith("-")
            name = part.lstrip("-+")
            if name not in self.sortable:
                raise ValidationFailed(
                    "invalid sort",
                    [Problem(loc=("query", "sort"), msg=f"sortable fields: {', '.join(self.sortable)}", value=part)],
                )
            col = getattr(self.row_cls, name)
            out.append(col.desc() if desc else col.asc())
        out.append(self.row_cls.id)
        return out

    def iter_all(self, batch_size: int = 2000, filters: dict[str, Any] | None = None) -> Iterator[P]:
        """Every entity in id order, fetched in batches (keyset pagination, constant memory)."""
        last = 0
        while True:
            stmt = self._filtered(select(self.row_cls), filters or {})
            stmt = stmt.where(self.row_cls.id > last).order_by(self.row_cls.id).limit(batch_size)
            rows = list(self.session.scalars(stmt))
            if not rows:
                return
            for row in rows:
                yield self._to_public(row)
            last = rows[-1].id
            self.session.expunge_all()

    # -- writes -----------------------------------------------------------------------------------------------
    def _check_unique(self, values: dict[str, Any], own_id: int | None = None) -> None:
        for name in self.unique:
            value = values.get(name)
            if value is None:
                continue
            col = getattr(self.row_cls, name)
            stmt = select(self.row_cls.id).where(col == value)
            if own_id is not None:
                stmt = stmt.where(self.row_cls.id != own_id)
            other = self.session.scalar(stmt)
            if other is not None:
                raise Conflict(
                    f"another {self.entity} (id {other}) already has {name} {value!r}",
                    field=name,
                    value=value,
                    existing_id=other,
                )

    def _check_references(self, values: dict[str, Any]) -> None:
        problems = []
        for name, (entity, row_cls) in self.references.items():
            value = values.get(name)
            if value is None:
                continue
            if self.session.scalar(select(row_cls.id).where(row_cls.id == value)) is None:
                problems.append(Problem(loc=("body", name), msg=f"no {entity} with this id", value=value))
        if problems:
            raise ValidationFailed(f"invalid {self.entity}", problems)

    def add(self, record: D) -> P:
        values = self._to_columns(record)
        self._check_unique(values)
        self._check_references(values)
        row = self.row_cls(**values)
        self._flush(lambda: self.session.add(row))
        self._after_write(row.id, record)
        self.session.refresh(row)
        return self._to_public(row)

    def update(self, id: int, changes: dict[str, Any]) -> P:
        """Apply ``changes`` (a partial dict) and re-validate the whole record."""
        row = self._row(id)
        current = self._to_public(row).model_dump(include=set(self.data_cls.model_fields))
        merged = {**current, **changes}
        try:
            record = self.data_cls.model_validate(merged)
        except ValidationError as exc:
            raise ValidationFailed(f"invalid {self.entity}", problems_from(exc, ("body",))) from exc
        values = self._to_columns(record)
        self._check_unique(values, own_id=id)
        self._check_references(values)

        def apply() -> None:
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = func.now()

        self._flush(apply)
        self._after_write(id, record)
        self.session.refresh(row)
        return self._to_public(row)

    def delete(self, id: int) -> None:
        row = self._row(id)
        self._flush(lambda: self.session.delete(row), deleting=True)

    def _flush(self, change: Callable[[], None], deleting: bool = False) -> None:
        """Apply ``change`` in a savepoint so an integrity error leaves the session usable."""
        try:
            with self.session.begin_nested():
                change()
                self.session.flush()
        except IntegrityError as exc:
            if deleting:
                raise Conflict(f"this {self.entity} is still referenced by other records") from exc
            raise Conflict(f"this {self.entity} conflicts with an existing record: {exc.orig}") from exc

    def _after_write(self, id: int, record: D) -> None:
        """Hook for mirror tables (skills)."""

    def upsert_many(self, records: Sequence[D]) -> tuple[int, int]:
        """Insert or update ``records`` by external id in bulk; returns (created, updated).

        The caller validates; this checks unique keys against the database so a clash is a Conflict.
        """
        if not records:
            return 0, 0
        rows = [self._to_columns(r) for r in records]
        existing = self.ids_by_external_id(r["external_id"] for r in rows)
        for name in self.unique:
            if name == "external_id":
                continue
            self._check_unique_bulk(name, rows, existing)
        new_rows = [r for r in rows if r["external_id"] not in existing]
        old_rows = [{**r, "id": existing[r["external_id"]]} for r in rows if r["external_id"] in existing]
        if new_rows:
            for start in range(0, len(new_rows), 2000):
                self.session.execute(
                    insert(self.row_cls).execution_options(render_nulls=True), new_rows[start : start + 2000]
                )
        if old_rows:
            self.session.execute(update(self.row_cls), old_rows)
        ids = self.ids_by_external_id(r["external_id"] for r in rows)
        self._after_bulk_write([(ids[r.external_id], r) for r in records])  # type: ignore[attr-defined]
        return len(new_rows), len(old_rows)

    def _after_bulk_write(self, pairs: list[tuple[int, D]]) -> None:
        for id_, record in pairs:
            self._after_write(id_, record)

    def _check_unique_bulk(self, name: str, rows: list[dict[str, Any]], existing: dict[str, int]) -> None:
        values = {r[name]: r["external_id"] for r in rows if r.get(name) is not None}
        if not values:
            return
        col = getattr(self.row_cls, name)
        keys = list(values)
        for start in range(0, len(keys), 1000):
            chunk = keys[start : start + 1000]
            stmt = select(col, self.row_cls.external_id, self.row_cls.id).where(col.in_(chunk))
            for value, ext, other_id in self.session.execute(stmt):
                if ext != values[value]:
                    raise Conflict(
                        f"another {self.entity} (id {other_id}) already has {name} {value!r}",
                        field=name,
                        value=value,
                        existing_id=other_id,
                    )


class SkillMirrorRepository(EntityRepository[D, P]):
    """A repository whose records' skill lists are mirrored into a table indexed by skill (for filters, the
    inverted index and analytics). ``mirror`` = (table, owner column, record field, row of one skill)."""

    mirror: tuple[Any, str, str, Callable[[Any], dict[str, Any]]] | None = None

    def _after_write(self, id: int, record: D) -> None:
        self._after_bulk_write([(id, record)])

    def _after_bulk_write(self, pairs: list[tuple[int, D]]) -> None:
        assert self.mirror is not None
        table, owner, field_name, row_of = self.mirror
        ids = [i for i, _ in pairs]
        for start in range(0, len(ids), 1000):
            self.session.execute(delete(table).where(getattr(table, owner).in_(ids[start : start + 1000])))
        rows = [{owner: id_, **row_of(s)} for id_, record in pairs for s in getattr(record, field_name)]
        for start in range(0, len(rows), 5000):
            self.session.execute(insert(table).execution_options(render_nulls=True), rows[start : start + 5000])


def _talent_skill_row(s: Any) -> dict[str, Any]:
    return {
        "skill_id": s.skill_id,
        "level": s.level,
        "years": s.years,
        "source": s.source.value,
        "confidence": s.confidence,
    }


def _opening_skill_row(s: Any) -> dict[str, Any]:
    return {
        "skill_id": s.skill_id,
        "min_level": s.min_level,
        "importance": s.importance.value,
        "source": s.source.value,
        "confidence": s.confidence,
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def _bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise ValueError("expected true or false")


def _f(name: str, column: Any, cast: Callable[[str], Any] = str, op: str = "eq", description: str = "") -> Filter:
    return Filter(name=name, column=column, op=op, cast=cast, description=description)


class Repositories:
    """All registry repositories over one session."""

    def __init__(self, session: Session) -> None:
        """The repositories' definitions (filters, sortable columns, references) are built once per process
        (``_definitions``) and copied for each session: building them anew was a tenth of a millisecond of every
        request, a fair share of a warm recommendation list's."""
        self.session = session
        for name, definition in _definitions().items():
            repository = copy.copy(definition)
            repository.session = session
            setattr(self, name, repository)

    def _define(self, session: Session) -> None:
        self.organizations = EntityRepository(
            session,
            "organization",
            OrganizationRow,
            OrganizationData,
            Organization,
            filters={
                f.name: f
                for f in (
                    _f("kind", OrganizationRow.kind, description="ai_startup, manufacturer, ..."),
                    _f("region", OrganizationRow.region),
                    _f("industry", OrganizationRow.industry),
                    _f("size_band", OrganizationRow.size_band),
                    _f("group", OrganizationRow.group),
                    _f("parent_id", OrganizationRow.parent_id, int),
                    _f("venture_certified", OrganizationRow.venture_certified, _bool),
                    _f("external_id", OrganizationRow.external_id),
                    _f("id", OrganizationRow.id, int),
                )
            },
            sortable=("id", "name", "kind", "region", "founded", "created_at", "updated_at"),
            unique=("external_id", "business_number"),
            references={"parent_id": ("organization", OrganizationRow)},
            text_search=("name", "name_en"),
        )
        self.talents = SkillMirrorRepository(
            session,
            "talent",
            TalentRow,
            TalentData,
            Talent,
            filters={
                f.name: f
                for f in (
                    _f("region", TalentRow.region),
                    _f("category", TalentRow.category),
                    _f("nationality", TalentRow.nationality, lambda v: v.upper()),
                    _f("visa_type", TalentRow.visa_type),
                    _f("gender", TalentRow.gender),
                    _f("consent_visible", TalentRow.consent_visible, _bool),
                    _f("current_employer_id", TalentRow.current_employer_id, int),
                    _f("external_id", TalentRow.external_id),
                    _f("email", TalentRow.email),
                    _f("id", TalentRow.id, int),
                    Filter(
                        "visible_to_organization",
                        cast=int,
                        description="talent an organization may see: consented, or applied to its openings",
                        clause=lambda org: or_(
                            TalentRow.consent_visible.is_(True),
                            TalentRow.id.in_(
                                select(ApplicationRow.talent_id)
                                .join(OpeningRow, OpeningRow.id == ApplicationRow.opening_id)
                                .where(OpeningRow.organization_id == org)
                            ),
                        ),
                    ),
                    Filter(
                        "skill",
                        cast=str,
                        description="taxonomy id of a skill the talent has",
                        clause=lambda v: TalentRow.id.in_(
                            select(TalentSkillRow.talent_id).where(
                                TalentSkillRow.skill_id.in_(v if isinstance(v, list) else [v])
                            )
                        ),
                        count_alone=lambda v: select(func.count(distinct(TalentSkillRow.talent_id))).where(
                            TalentSkillRow.skill_id.in_(v if isinstance(v, list) else [v])
                        ),
                    ),
                )
            },
            sortable=(
                "id",
                "name",
                "region",
                "birth_year",
                "salary_expectation",
                "available_from",
                "created_at",
                "updated_at",
            ),
            unique=("external_id", "email"),
            references={"current_employer_id": ("organization", OrganizationRow)},
            text_search=("name", "name_latin"),
        )
        self.openings = SkillMirrorRepository(
            session,
            "opening",
            OpeningRow,
            OpeningData,
            Opening,
            filters={
                f.name: f
                for f in (
                    _f("organization_id", OpeningRow.organization_id, int),
                    _f("kind", OpeningRow.kind),
                    _f("region", OpeningRow.region),
                    _f("status", OpeningRow.status),
                    _f("remote", OpeningRow.remote, _bool),
                    _f("visa_sponsorship", OpeningRow.visa_sponsorship, _bool),
                    _f("deadline_after", OpeningRow.deadline, date.fromisoformat, "ge"),
                    _f("external_id", OpeningRow.external_id),
                    _f("id", OpeningRow.id, int),
                    # -- talent's opening search (web-orgtalent) --
                    Filter(
                        "organization_kind",
                        cast=str,
                        description="kind of the organization posting it (ai_startup, manufacturer, ...)",
                        clause=lambda v: OpeningRow.organization_id.in_(
                            select(OrganizationRow.id).where(
                                OrganizationRow.kind.in_(v if isinstance(v, list) else [v])
                            )
                        ),
                    ),
                    Filter(
                        "accepting_on",
                        cast=date.fromisoformat,
                        description="open on this day: no deadline, or a deadline on or after it",
                        clause=lambda d: or_(OpeningRow.deadline.is_(None), OpeningRow.deadline >= d),
                    ),
                    Filter(
                        "text",
                        cast=str,
                        description="words in the title or the description",
                        clause=lambda v: or_(
                            OpeningRow.title.ilike(f"%{_escape_like(v)}%", escape="\\"),
                            OpeningRow.description.ilike(f"%{_escape_like(v)}%", escape="\\"),
                        ),
                    ),
                    Filter(
                        "visible_to_organization",
                        cast=int,
                        description="openings an organization may see: every one but other organizations' drafts",
                        clause=lambda org: or_(OpeningRow.status != "draft", OpeningRow.organization_id == org),
                    ),
                    Filter(
                        "skill",
                        cast=str,
                        description="taxonomy id of a required skill",
                        clause=lambda v: OpeningRow.id.in_(
                            select(OpeningSkillRow.opening_id).where(
                                OpeningSkillRow.skill_id.in_(v if isinstance(v, list) else [v])
                            )
                        ),
                    ),
                )
            },
            sortable=("id", "title", "kind", "region", "deadline", "salary_max", "created_at", "updated_at"),
            unique=("external_id",),
            references={"organization_id": ("organization", OrganizationRow)},
            text_search=("title",),
        )
        self.talents.mirror = (TalentSkillRow, "talent_id", "skills", _talent_skill_row)
        self.openings.mirror = (OpeningSkillRow, "opening_id", "required_skills", _opening_skill_row)
        self.programs = EntityRepository(
            session,
            "program",
            ProgramRow,
            ProgramData,
            Program,
            filters={f.name: f for f in (_f("kind", ProgramRow.kind), _f("status", ProgramRow.status))},
            sortable=("id", "name", "start_date", "created_at"),
            unique=("external_id",),
            text_search=("name",),
        )
        self.rounds = EntityRepository(
            session,
            "round",
            RoundRow,
            RoundData,
            Round,
            filters={f.name: f for f in (_f("program_id", RoundRow.program_id, int), _f("status", RoundRow.status))},
            sortable=("id", "name", "preference_deadline", "created_at"),
            references={"program_id": ("program", ProgramRow)},
            text_search=("name",),
        )
        self.placements = EntityRepository(
            session,
            "placement",
            PlacementRow,
            PlacementData,
            Placement,
            filters={
                f.name: f
                for f in (
                    _f("talent_id", PlacementRow.talent_id, int),
                    _f("organization_id", PlacementRow.organization_id, int),
                    _f("round_id", PlacementRow.round_id, int),
                    _f("status", PlacementRow.status),
                    _f("kind", PlacementRow.kind),
                    _f("started_after", PlacementRow.start_date, date.fromisoformat, "ge"),
                    _f("started_before", PlacementRow.start_date, date.fromisoformat, "le"),
                )
            },
            sortable=("id", "start_date", "end_date", "created_at"),
            references={
                "talent_id": ("talent", TalentRow),
                "organization_id": ("organization", OrganizationRow),
                "opening_id": ("opening", OpeningRow),
                "round_id": ("round", RoundRow),
            },
        )
        self.applications = EntityRepository(
            session,
            "application",
            ApplicationRow,
            ApplicationData,
            Application,
            filters={
                f.name: f
                for f in (
                    _f("talent_id", ApplicationRow.talent_id, int),
                    _f("opening_id", ApplicationRow.opening_id, int),
                    _f("status", ApplicationRow.status),
                    Filter(
                        "organization_id",
                        cast=int,
                        description="applications to the openings of this organization",
                        clause=lambda org: ApplicationRow.opening_id.in_(
                            select(OpeningRow.id).where(OpeningRow.organization_id == org)
                        ),
                    ),
                )
            },
            sortable=("id", "status", "created_at", "updated_at"),
            references={"talent_id": ("talent", TalentRow), "opening_id": ("opening", OpeningRow)},
        )

    def by_entity(self, entity: str) -> EntityRepository[Any, Any]:
        return {
            "organizations": self.organizations,
            "talents": self.talents,
            "openings": self.openings,
            "programs": self.programs,
            "rounds": self.rounds,
            "placements": self.placements,
            "applications": self.applications,
        }[entity]


@functools.cache
def _definitions() -> dict[str, EntityRepository[Any, Any]]:
    """The registry repositories as ``Repositories._define`` builds them, without a session (each instance copies
    them and sets its own)."""
    defined = Repositories.__new__(Repositories)
    defined._define(None)  # type: ignore[arg-type]
    return {name: value for name, value in vars(defined).items() if isinstance(value, EntityRepository)}
