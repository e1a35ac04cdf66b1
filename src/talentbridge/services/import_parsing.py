"""Read and validate import rows, without a database: every row is parsed and checked and every problem collected
(file line, column, value, reason), so ``importing`` can reject a file with all its bad rows at once.

``parse_rows`` checks cells (``import_cells``), the domain record of each row, references to other records,
skill ids, duplicate external ids and values that must be unique; what it needs from storage it is handed as
lookup functions. ``check_columns`` refuses a header that does not fit the entity (``import_columns``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from talentbridge.domain.errors import ImportRejected, Problem
from talentbridge.services.file_reading import SourceRow
from talentbridge.services.import_cells import READERS as _READERS
from talentbridge.services.import_cells import CellError
from talentbridge.services.import_cells import is_blank as _is_blank
from talentbridge.services.import_columns import EXPORT_ONLY, SPECS, EntitySpec

__all__ = [
    "Progress",
    "ParsedRow",
    "check_columns",
    "parse_rows",
]


#: ``progress(stage, done, total)``: stage is ``read``, ``validate`` or ``write``; total may be None.
Progress = Callable[[str, int, int | None], None]


@dataclass
class ParsedRow:
    """A source row after reading: its record (when valid), references still to resolve, and its problems."""

    line: int
    source: SourceRow
    data: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # column -> external id named
    record: BaseModel | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def external_id(self) -> str | None:
        value = self.data.get("external_id")
        return value if isinstance(value, str) and value else None


def _problem(
    line: int,
    column: str | None,
    msg: str,
    value: Any = None,
    rest: tuple[str | int, ...] = (),
    type_: str = "invalid",
) -> Problem:
    loc: tuple[str | int, ...] = ("row", line) + ((column,) if column else ()) + rest
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=str)[:200]
    return Problem(loc=loc, msg=msg, value=value, type=type_, line=line)


def check_columns(spec: EntitySpec, columns: Iterable[str], path: Path | None = None) -> None:
    """Refuse a header with unknown or missing required columns, naming each (with a likely correction)."""
    known = spec.by_name
    problems = []
    present = set()
    for name in columns:
        if name in known:
            present.add(name)
            continue
        if name in EXPORT_ONLY or name.startswith("_"):
            continue
        guess = get_close_matches(name.lower(), list(known), n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else f"; known columns: {', '.join(known)}"
        problems.append(Problem(loc=("column", name), msg=f"unknown column{hint}", value=name, type="unknown_column"))
    for column in spec.columns:
        if column.required and column.name not in present:
            problems.append(Problem(loc=("column", column.name), msg="required column is missing", type="missing"))
    if problems:
        where = f" in {path.name}" if path else ""
        raise ImportRejected(
            f"the columns{where} do not fit {spec.entity}: fix the header row (see docs/import-export.md)",
            problems,
        )


def _parse_row(spec: EntitySpec, source: SourceRow) -> ParsedRow:
    row = ParsedRow(source.line, source)
    line = source.line
    if source.error:
        row.problems.append(_problem(line, None, source.error, source.raw, type_="unreadable"))
        return row
    if source.extra:
        row.problems.append(
            _problem(line, None, f"{len(source.extra)} cell(s) beyond the last named column", source.extra[0])
        )
    known = spec.by_name
    for name, value in source.values.items():
        if value is None or value == "":
            continue
        column = known.get(name)
        if column is None or _is_blank(value):
            continue
        try:
            parsed = _READERS[column.kind](value)
        except CellError as exc:
            row.problems.append(_problem(line, name, exc.msg, exc.value if exc.value is not None else value, exc.loc))
            continue
        if column.ref:
            row.refs[name] = parsed
        else:
            row.data[column.field] = parsed
    for column in spec.columns:
        if column.required and column.name not in row.refs and column.field not in row.data:
            msg = "required" + (
                ": every imported row needs an external_id, so importing again updates instead of duplicating"
                if column.name == "external_id"
                else ""
            )
            row.problems.append(_problem(line, column.name, msg, type_="missing"))
    return row


def _validate(spec: EntitySpec, row: ParsedRow, resolved: dict[str, int | None]) -> None:
    """Validate ``row.data`` plus resolved references as the domain record; problems go to ``row.problems``."""
    if row.source.error:
        return
    data = dict(row.data)
    for name in row.refs:
        column = spec.by_name[name]
        data[column.field] = (
            resolved.get(name)
            if resolved.get(name) is not None
            else (0 if spec.record.model_fields[column.field].is_required() else None)
        )
    try:
        record = spec.record.model_validate(data)
    except ValidationError as exc:
        columns = spec.column_of_field
        reported = {p.loc[2] for p in row.problems if len(p.loc) > 2}  # cells already reported unreadable
        for err in exc.errors(include_url=False):
            loc = err["loc"]
            msg = err["msg"].removeprefix("Value error, ")
            value = err.get("input")
            if loc and loc[0] in columns:
                column = columns[str(loc[0])]
                if column in reported:
                    continue
                if loc[0] in data and len(loc) == 1:
                    value = row.source.values.get(column, value)
                row.problems.append(_problem(row.line, column, msg, value, tuple(loc[1:]), err["type"]))
            else:
                row.problems.append(
                    _problem(
                        row.line,
                        None,
                        msg,
                        None if isinstance(value, dict) else value,
                        tuple(loc),
                        err["type"],
                    )
                )
        return
    if not row.problems:
        row.record = record


def parse_rows(
    entity: str,
    rows: Iterable[SourceRow],
    lookup: Callable[[str, list[str]], dict[str, int]] | None = None,
    unique_lookup: Callable[[str, list[Any]], dict[Any, str]] | None = None,
    progress: Progress | None = None,
    known_skills: Callable[[list[str]], set[str]] | None = None,
) -> list[ParsedRow]:
    """Read and validate every row; return them all, valid or not (``row.problems`` says which).

    ``lookup(entity, external_ids) -> {external_id: id}`` resolves references (``*_external_id`` columns);
    ``unique_lookup(field, values) -> {value: external_id of its owner}`` finds clashes with stored rows on
    unique fields (business_number, email). Both are optional: without ``lookup`` references are not checked
    (and required references get the placeholder id 0), for pure parsing without a database.
    ``known_skills(ids) -> the ids among them that are in the taxonomy``: when given, a row naming a skill the
    taxonomy does not have is rejected (never stored with a dangling skill).
    Checks: cells, domain validation, references, skill ids, duplicate external ids and unique values inside
    the file.
    """
    spec = SPECS[entity]
    parsed: list[ParsedRow] = []
    for source in rows:
        parsed.append(_parse_row(spec, source))
        if progress and len(parsed) % 5000 == 0:
            progress("read", len(parsed), None)

    # references: look up every named external id once
    ref_ids: dict[str, dict[str, int]] = {}
    for column in (c for c in spec.columns if c.ref):
        wanted = sorted({r.refs[column.name] for r in parsed if column.name in r.refs})
        ref_ids[column.name] = lookup(column.ref, wanted) if (lookup and wanted) else {}
    in_file_orgs = {r.external_id for r in parsed if r.external_id} if entity == "organizations" else set()

    total = len(parsed)
    for done, row in enumerate(parsed, start=1):
        resolved: dict[str, int | None] = {}
        for name, external_id in row.refs.items():
            found = ref_ids.get(name, {}).get(external_id)
            if found is None and name == "parent_external_id" and external_id in in_file_orgs:
                if external_id == row.external_id:
                    row.problems.append(
                        _problem(row.line, name, "an organization cannot be its own parent", external_id)
                    )
                resolved[name] = None  # resolved after the file's organizations are written
                continue
            if found is None and lookup is None:
                resolved[name] = None  # no database to ask: references are not checked
                continue
            if found is None:
                where = "in the database or in this file" if name == "parent_external_id" else "in the database"
                row.problems.append(
                    _problem(
                        row.line,
                        name,
                        f"no organization with this external_id {where}; import organizations first",
                        external_id,
                        type_="unknown_reference",
                    )
                )
            resolved[name] = found
        _validate(spec, row, resolved)
        if progress and done % 5000 == 0:
            progress("validate", done, total)

    if known_skills is not None and entity in ("talents", "openings"):
        _check_skills(entity, parsed, known_skills)
    _check_duplicates(spec, parsed, unique_lookup)
    if entity == "organizations":
        _check_parents(parsed, ref_ids.get("parent_external_id", {}))
    if progress:
        progress("validate", total, total)
    return parsed


def _check_skills(entity: str, parsed: list[ParsedRow], known_skills: Callable[[list[str]], set[str]]) -> None:
    """Reject rows naming a skill id the taxonomy does not have (every unknown id of the row reported)."""
    field_name = "skills" if entity == "talents" else "required_skills"
    wanted = sorted({s.skill_id for r in parsed if r.record for s in getattr(r.record, field_name)})
    known = known_skills(wanted) if wanted else set()
    for row in parsed:
        if row.record is None:
            continue
        for i, claim in enumerate(getattr(row.record, field_name)):
            if claim.skill_id not in known:
                row.problems.append(
                    _problem(
                        row.line,
                        field_name,
                        "unknown skill id: not in the skill taxonomy (find ids with `talentbridge taxonomy`)",
                        claim.skill_id,
                        (i,),
                        "unknown_skill",
                    )
                )
        if row.problems:
            row.record = None


def _check_duplicates(
    spec: EntitySpec,
    parsed: list[ParsedRow],
    unique_lookup: Callable[[str, list[Any]], dict[Any, str]] | None,
) -> None:
    first_line: dict[str, int] = {}
    for row in parsed:
        ext = row.external_id
        if ext is None:
            continue
        if ext in first_line:
            row.problems.append(
                _problem(
                    row.line,
                    "external_id",
                    f"duplicate external_id: already on line {first_line[ext]}",
                    ext,
                    type_="duplicate",
                )
            )
            row.record = None
        else:
            first_line[ext] = row.line
    for field_name in spec.unique:
        column = spec.column_of_field[field_name]
        seen: dict[Any, tuple[int, str | None]] = {}
        for row in parsed:
            value = getattr(row.record, field_name, None) if row.record else None
            if value is None:
                continue
            if value in seen and seen[value][1] != row.external_id:
                row.problems.append(
                    _problem(
                        row.line,
                        column,
                        f"duplicate {column}: already on line {seen[value][0]}",
                        value,
                        type_="duplicate",
                    )
                )
                row.record = None
            else:
                seen.setdefault(value, (row.line, row.external_id))
        if unique_lookup and seen:
            owners = unique_lookup(field_name, list(seen))
            for row in parsed:
                value = getattr(row.record, field_name, None) if row.record else None
                owner = owners.get(value) if value is not None else None
                if owner is not None and owner != row.external_id:
                    row.problems.append(
                        _problem(
                            row.line,
                            column,
                            f"{column} already belongs to another stored record (external_id {owner!r})",
                            value,
                            type_="conflict",
                        )
                    )
                    row.record = None


def _check_parents(parsed: list[ParsedRow], stored: dict[str, int]) -> None:
    """A parent named only in the file must itself be a valid row (repeat: chains of invalid parents)."""
    changed = True
    while changed:
        changed = False
        valid = {r.external_id for r in parsed if r.record is not None}
        for row in parsed:
            parent = row.refs.get("parent_external_id")
            if row.record is None or parent is None or parent in stored or parent in valid:
                continue
            row.problems.append(
                _problem(
                    row.line,
                    "parent_external_id",
                    "the parent organization's row is invalid",
                    parent,
                    type_="unknown_reference",
                )
            )
            row.record = None
            changed = True
