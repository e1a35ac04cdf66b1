"""One table's repository: domain records in, domain records out; SQL stays here.

``EntityRepository`` offers ``get``, ``get_by_external_id``, ``ids_by_external_id``, ``add``, ``update``,
``delete``, ``list`` (filters, sorting, pagination), ``count``, ``iter_all`` and ``upsert_many`` (bulk, by
external id). Unique keys are checked before writing so a duplicate is a ``Conflict`` naming the field, and
references to other entities are checked so a dangling id is a validation problem, not a database error.
``SkillMirrorRepository`` also mirrors each record's skill list into a table indexed by skill. The registry
(``repositories.Repositories``) defines one of them per entity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Select, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentbridge.domain import problems_from
from talentbridge.domain.errors import Conflict, NotFound, Problem, ValidationFailed
from talentbridge.storage.base import Base

__all__ = ["Page", "Filter", "EntityRepository", "SkillMirrorRepository", "escape_like"]

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
                    pattern = f"%{escape_like(str(raw))}%"
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


def escape_like(text: str) -> str:
    """``text`` matched literally in a LIKE pattern (``\\`` as the escape character)."""
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
