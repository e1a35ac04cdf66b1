"""Export organizations, talents or openings to CSV, JSON Lines, Parquet or XLSX.

One row per entity with every field: ``id``, the import columns (references as external ids, e.g.
``organization_external_id``), then ``created_at`` and ``updated_at``. CSV, Parquet and XLSX write list fields in
the compact text form the importer reads (``pytorch:4:3;python:5``; JSON when the compact form would lose
something); JSON Lines writes them as JSON arrays. Either way, exporting and importing again round-trips.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.services.file_writing import WRITE_FORMATS, write_rows
from talentbridge.services.import_parsing import Progress
from talentbridge.services.importing import (
    ENTITIES,
    SPECS,
)

__all__ = [
    "export_entities",
    "export_columns",
    "export_rows",
    "format_list",
    "format_skills",
    "format_required_skills",
    "format_education",
    "format_work_history",
]

# -- cell writers (the inverse of the importer's cell readers) --------------------------------------------------


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _safe(text: str, forbidden: str) -> bool:
    return not any(ch in text for ch in forbidden) and "\n" not in text


def format_list(items: Sequence[Any]) -> str:
    values = [getattr(v, "value", v) for v in items]
    if all(isinstance(v, str) and _safe(v, ";") and not v.startswith("[") for v in values):
        return ";".join(values)
    return json.dumps(values, ensure_ascii=False)


def format_skills(skills: Sequence[Any]) -> str:
    """``id:level[:years]`` joined by ``;`` when that loses nothing, else a JSON array."""
    compact = []
    for s in skills:
        source = getattr(s.source, "value", s.source)
        if source != "explicit" or s.confidence is not None or not _safe(s.skill_id, ";") or s.skill_id.startswith("["):
            return json.dumps([_plain(s) for s in skills], ensure_ascii=False)
        compact.append(f"{s.skill_id}:{s.level}" + ("" if s.years is None else f":{_num(s.years)}"))
    return ";".join(compact)


def format_required_skills(skills: Sequence[Any]) -> str:
    compact = []
    for s in skills:
        source = getattr(s.source, "value", s.source)
        if source != "explicit" or s.confidence is not None or not _safe(s.skill_id, ";") or s.skill_id.startswith("["):
            return json.dumps([_plain(s) for s in skills], ensure_ascii=False)
        compact.append(f"{s.skill_id}:{s.min_level}:{getattr(s.importance, 'value', s.importance)}")
    return ";".join(compact)


def format_education(entries: Sequence[Any]) -> str:
    compact = []
    for e in entries:
        parts = [
            getattr(e.degree, "value", e.degree),
            e.field or "",
            e.institution or "",
            "" if e.year is None else str(e.year),
        ]
        if not all(_safe(p, "|;") for p in parts) or (parts[0].startswith("[")):
            return json.dumps([_plain(e) for e in entries], ensure_ascii=False)
        compact.append("|".join(parts).rstrip("|"))
    return ";".join(compact)


def format_work_history(entries: Sequence[Any]) -> str:
    compact = []
    for w in entries:
        parts = [
            w.organization,
            w.title or "",
            w.start.isoformat() if w.start else "",
            w.end.isoformat() if w.end else "",
        ]
        if w.organization_id is not None or not all(_safe(p, "|;") for p in parts) or parts[0].startswith("["):
            return json.dumps([_plain(w) for w in entries], ensure_ascii=False)
        compact.append("|".join(parts).rstrip("|"))
    return ";".join(compact)


def _plain(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return data


_FORMATTERS = {
    "list": format_list,
    "enum_list": format_list,
    "skills": format_skills,
    "required_skills": format_required_skills,
    "education": format_education,
    "work_history": format_work_history,
}
_PARQUET_TYPES = {"int": "int", "float": "float", "bool": "bool", "date": "date"}


def export_columns(entity: str) -> list[str]:
    return ["id", *[c.name for c in SPECS[entity].columns], "created_at", "updated_at"]


def export_rows(
    entity: str, records: Any, org_external_ids: dict[int, str | None], flat: bool
) -> Iterator[dict[str, Any]]:
    """Rows for ``records`` (stored entities). ``flat``: list fields as text (CSV/Parquet/XLSX) or JSON values."""
    spec = SPECS[entity]
    for record in records:
        row: dict[str, Any] = {"id": record.id}
        for column in spec.columns:
            value = getattr(record, column.field)
            if column.ref:
                value = org_external_ids.get(value) if value is not None else None
            elif column.kind in _FORMATTERS:
                if flat:
                    value = _FORMATTERS[column.kind](value) if value else ""
                else:
                    value = [
                        v.model_dump(mode="json", exclude_none=True)
                        if hasattr(v, "model_dump")
                        else getattr(v, "value", v)
                        for v in value
                    ]
            elif hasattr(value, "value"):
                value = value.value
            row[column.name] = value
        row["created_at"] = record.created_at
        row["updated_at"] = record.updated_at
        yield row


def export_entities(
    db: Any,
    entity: str,
    fmt: str,
    output: Path | str,
    *,
    progress: Progress | None = None,
    batch_size: int = 2000,
    filters: dict[str, Any] | None = None,
) -> int:
    """Write every ``entity`` of ``db`` (or those matching the list ``filters``, as the list API takes them) to
    ``output`` in ``fmt``; returns the number of rows. The file appears only when complete."""
    if entity not in ENTITIES:
        raise ValidationFailed(
            f"unknown entity {entity!r}",
            [Problem(loc=("entity",), msg=f"one of {', '.join(ENTITIES)}", value=entity)],
        )
    if fmt not in WRITE_FORMATS:
        raise ValidationFailed(
            f"unknown format {fmt!r}",
            [Problem(loc=("format",), msg=f"one of {', '.join(WRITE_FORMATS)}", value=fmt)],
        )
    from talentbridge.storage.repositories import Repositories

    output = Path(output)
    columns = export_columns(entity)
    types = {c.name: _PARQUET_TYPES[c.kind] for c in SPECS[entity].columns if c.kind in _PARQUET_TYPES}
    types["id"] = "int"
    with db.session() as session:
        repos = Repositories(session)
        repo = repos.by_entity(entity)
        total = repo.count(filters)
        org_ids: dict[int, str | None] = {}
        if any(c.ref for c in SPECS[entity].columns):
            org_ids = _organization_external_ids(repos)

        def counted() -> Iterator[Any]:
            for done, record in enumerate(repo.iter_all(batch_size=batch_size, filters=filters), start=1):
                yield record
                if progress and done % 1000 == 0:
                    progress("write", done, total)

        rows = export_rows(entity, counted(), org_ids, flat=fmt != "jsonl")
        if fmt == "jsonl":
            rows = (_jsonable(r) for r in rows)
        count = write_rows(output, fmt, columns, rows, types)
    if progress:
        progress("write", count, total)
    return count


def _organization_external_ids(repos: Any) -> dict[int, str | None]:
    from sqlalchemy import select

    row_cls = repos.organizations.row_cls
    return dict(repos.session.execute(select(row_cls.id, row_cls.external_id)).all())


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        out[key] = value
    return out
