"""Import organizations, talents and openings from CSV, JSON Lines or XLSX.

An import is **atomic** by default: every row is parsed and validated first (``import_parsing``) and every problem
collected (file line, column, value, reason); if any row is bad, ``ImportRejected`` lists them all and nothing is
written. With ``skip_invalid=True`` the good rows are written and the bad ones go, with their reasons, to a side file
(``<file>.rejected.csv``) that can be fixed and imported again. Rows are upserted by ``external_id`` (required),
so importing the same file twice changes nothing the second time.

The columns of each entity (``import_columns.SPECS``) are documented in ``docs/import-export.md``; list fields have a compact
text form (``pytorch:4:3;python:5``) and a JSON form, and ``exporting`` writes the same forms, so an export
imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from talentbridge.domain.errors import ImportRejected, Problem, ValidationFailed
from talentbridge.services.file_reading import SourceRow, open_rows
from talentbridge.services.file_writing import write_csv
from talentbridge.services.import_columns import ENTITIES, SPECS, Column, EntitySpec
from talentbridge.services.import_parsing import ParsedRow, Progress, check_columns, parse_rows

__all__ = [
    "ENTITIES",
    "Column",
    "EntitySpec",
    "SPECS",
    "ImportResult",
    "import_file",
    "import_rows",
    "rejects_path_for",
    "refresh_statistics",
]


@dataclass
class ImportResult:
    entity: str
    path: Path | None
    rows: int
    created: int
    updated: int
    rejected: int
    problems: list[Problem]
    rejects_path: Path | None = None

    @property
    def written(self) -> int:
        return self.created + self.updated


def rejects_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".rejected.csv")


def _lookup(repos: Any) -> Callable[[str, list[str]], dict[str, int]]:
    def lookup(entity: str, external_ids: list[str]) -> dict[str, int]:
        result: dict[str, int] = repos.by_entity(entity).ids_by_external_id(external_ids)
        return result

    return lookup


def _unique_lookup(repo: Any) -> Callable[[str, list[Any]], dict[Any, str]]:
    """Who in the database already holds these unique values (business numbers, emails)."""
    from sqlalchemy import select

    def find(field_name: str, values: list[Any]) -> dict[Any, str]:
        column = getattr(repo.row_cls, field_name)
        out: dict[Any, str] = {}
        for start in range(0, len(values), 1000):
            chunk = values[start : start + 1000]
            stmt = select(column, repo.row_cls.external_id).where(column.in_(chunk))
            for value, external_id in repo.session.execute(stmt):
                out[value] = external_id if external_id is not None else "(none)"
        return out

    return find


def _known_skills(session: Any) -> Callable[[list[str]], set[str]]:
    """Which of the given ids (or URIs) name a skill of the stored taxonomy."""
    from sqlalchemy import or_, select

    from talentbridge.storage.taxonomy_tables import SkillRow

    def known(ids: list[str]) -> set[str]:
        out: set[str] = set()
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            stmt = select(SkillRow.id, SkillRow.uri, SkillRow.esco_uri).where(
                or_(SkillRow.id.in_(chunk), SkillRow.uri.in_(chunk), SkillRow.esco_uri.in_(chunk))
            )
            for row in session.execute(stmt):
                out.update(x for x in row if x in chunk)
        return out

    return known


def import_file(
    db: Any,
    entity: str,
    path: Path | str,
    *,
    skip_invalid: bool = False,
    rejects_path: Path | str | None = None,
    fmt: str | None = None,
    progress: Progress | None = None,
    batch_size: int = 2000,
    infer: Any = None,
    before_commit: Callable[[Any, ImportResult], None] | None = None,
) -> ImportResult:
    """Import ``path`` (CSV, JSON Lines or XLSX) into ``entity`` of ``db`` (a ``talentbridge.storage.Database``).

    Atomic unless ``skip_invalid``: any bad row → ``ImportRejected`` listing every problem, nothing written.
    With ``skip_invalid`` the good rows are written and the bad ones go to ``rejects_path`` (default
    ``<file>.rejected.csv``) with a ``_line`` and an ``_errors`` column. Upserts by external_id.
    ``infer(entity, record) -> record`` (see ``services.inference.inference_hook``) fills in skills inferred from
    text for talents and openings that arrive without them. ``before_commit(session, result)`` runs inside the
    import's transaction after the rows are written (a job marks itself done there: both commit or neither).
    """
    path = Path(path)
    if entity not in SPECS:
        raise ValidationFailed(
            f"unknown entity {entity!r}",
            [Problem(loc=("entity",), msg=f"one of {', '.join(ENTITIES)}", value=entity)],
        )
    spec = SPECS[entity]
    with open_rows(path, fmt) as source:
        if source.columns is not None:
            check_columns(spec, source.columns, path)
        rows = list(source)
    if source.columns is None:  # JSON Lines: check the union of keys
        keys: dict[str, None] = {}
        for r in rows:
            keys.update(dict.fromkeys(r.values))
        check_columns(spec, list(keys) if rows else [c.name for c in spec.columns if c.required], path)
    columns = source.columns or list(dict.fromkeys(k for r in rows for k in r.values))
    return import_rows(
        db, entity, rows, skip_invalid=skip_invalid, path=path, columns=columns,
        rejects_path=Path(rejects_path) if rejects_path else rejects_path_for(path), progress=progress,
        batch_size=batch_size, infer=infer, before_commit=before_commit,
    )  # fmt: skip


def import_rows(
    db: Any,
    entity: str,
    rows: Sequence[SourceRow],
    *,
    skip_invalid: bool = False,
    path: Path | None = None,
    columns: list[str] | None = None,
    rejects_path: Path | None = None,
    progress: Progress | None = None,
    batch_size: int = 2000,
    infer: Any = None,
    before_commit: Callable[[Any, ImportResult], None] | None = None,
) -> ImportResult:
    """Validate and store already-read rows (see ``import_file``); one transaction."""
    from talentbridge.storage.repositories import Repositories

    spec = SPECS[entity]
    # a write transaction from the start (SQLite: BEGIN IMMEDIATE): another writer committing while the rows are
    # validated would otherwise fail the import's first write ("database is locked")
    with db.session(write=True) as session:
        repos = Repositories(session)
        repo = repos.by_entity(entity)
        parsed = parse_rows(
            entity, rows, _lookup(repos), _unique_lookup(repo), progress, known_skills=_known_skills(session)
        )
        bad = [r for r in parsed if r.record is None]
        problems = [p for r in bad for p in r.problems]
        if bad and not skip_invalid:
            name = path.name if path else entity
            raise ImportRejected(
                f"{name}: {len(bad)} of {len(parsed)} rows are invalid, nothing was imported. Fix the rows listed "
                "below and import again, or use --skip-invalid to import the valid rows and write the rejected ones "
                "to a side file",
                problems,
                rows=len(parsed),
                rejected=len(bad),
            )
        good = [r for r in parsed if r.record is not None]
        if infer is not None:
            for r in good:
                r.record = infer(entity, r.record)
        created, updated = _write(spec, repos, good, progress, batch_size)
        rejects = None
        if bad and rejects_path is not None:
            rejects = _write_rejects(rejects_path, columns or [], bad)
        result = ImportResult(entity, path, len(parsed), created, updated, len(bad), problems, rejects)
        if before_commit is not None:
            before_commit(session, result)
    if created + updated >= 1000:
        refresh_statistics(db)
    return result


def _write(
    spec: EntitySpec, repos: Any, good: list[ParsedRow], progress: Progress | None, batch_size: int
) -> tuple[int, int]:
    repo = repos.by_entity(spec.entity)
    records = [r.record for r in good]
    created = updated = 0
    total = len(records)
    for start in range(0, total, batch_size):
        c, u = repo.upsert_many(records[start : start + batch_size])
        created += c
        updated += u
        if progress:
            progress("write", min(total, start + batch_size), total)
    if spec.entity == "organizations":  # parents that were only in the file: link them now
        pending = [r for r in good if r.refs.get("parent_external_id") and r.record.parent_id is None]  # type: ignore[union-attr]
        if pending:
            ids = repo.ids_by_external_id([r.refs["parent_external_id"] for r in pending])
            linked = [r.record.model_copy(update={"parent_id": ids[r.refs["parent_external_id"]]}) for r in pending]  # type: ignore[union-attr]
            for start in range(0, len(linked), batch_size):
                repo.upsert_many(linked[start : start + batch_size])
    if progress and total == 0:
        progress("write", 0, 0)
    return created, updated


def _write_rejects(path: Path, columns: list[str], bad: list[ParsedRow]) -> Path:
    header = ["_line", "_errors", *[c for c in columns if not c.startswith("_")]]
    if any(r.source.raw for r in bad):
        header.append("_raw")

    def rows() -> Iterable[dict[str, Any]]:
        for r in bad:
            reasons = " | ".join(
                f"{'.'.join(str(p) for p in prob.loc[2:]) or 'row'}: {prob.msg}"
                + ("" if prob.value is None else f" (got {prob.value!r:.80})")
                for prob in r.problems
            )
            yield {"_line": r.line, "_errors": reasons, "_raw": r.source.raw, **r.source.values}

    write_csv(path, header, rows())
    return path


def refresh_statistics(db: Any) -> None:
    """After a bulk load the query planner's statistics are stale (a list filter then picks a slow plan)."""
    analyze = getattr(db, "analyze", None)
    if analyze is not None:
        analyze()
