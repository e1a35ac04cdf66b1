"""Import and export for the browser: the CLI's importer and exporter behind functions with plain arguments, so a
queued job can run them later exactly as the web runs them inline now.

    import_upload(db, settings, entity="talents", filename="t.csv", content=b"...", skip_invalid=False)
        → ImportReport: rows, created, updated, rejected, every problem (line, column, value, reason) and, when
          rows were rejected, a token for the rejected-rows CSV (the file's columns + ``_line`` and ``_errors``)
    export_file(db, settings, entity="openings", fmt="xlsx", filters={"status": "open"}) → (path, rows)

Uploads and rejected-rows files live under ``<data_dir>/transfers/<token>/`` (a random token per upload).
"""

from __future__ import annotations

import re
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from talentbridge.config import Settings
from talentbridge.domain.errors import ImportRejected, InputTooLarge, NotFound, Problem, ValidationFailed
from talentbridge.services.file_reading import READ_FORMATS, open_rows
from talentbridge.services.file_writing import WRITE_FORMATS, write_csv
from talentbridge.services.importing import ENTITIES, import_file

__all__ = [
    "LIST_FORMATS",
    "list_file",
    "ImportReport",
    "MAX_UPLOAD_BYTES",
    "export_file",
    "import_upload",
    "import_saved",
    "save_upload",
    "discard_upload",
    "rejects_file",
    "transfers_dir",
]

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
REJECTS_NAME = "rejected-rows.csv"


@dataclass
class ImportReport:
    entity: str
    filename: str
    atomic: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    written: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejects_token: str | None = None
    error: str | None = None  # a problem with the whole file (format, columns), not with rows

    @property
    def ok(self) -> bool:
        return self.error is None and not (self.atomic and self.problems)


def transfers_dir(settings: Settings) -> Path:
    return settings.data_dir / "transfers"


def _check(entity: str, fmt: str | None = None, formats: tuple[str, ...] | None = None) -> None:
    problems = []
    if entity not in ENTITIES:
        problems.append(Problem(loc=("entity",), msg=f"one of {', '.join(ENTITIES)}", value=entity))
    if fmt is not None and formats is not None and fmt not in formats:
        problems.append(Problem(loc=("format",), msg=f"one of {', '.join(formats)}", value=fmt))
    if problems:
        raise ValidationFailed("invalid import or export", problems)


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip() or "upload"
    return re.sub(r"[^\w.\-가-힣]", "_", name)[:120]


def import_upload(
    db: Any,
    settings: Settings,
    *,
    entity: str,
    filename: str,
    content: bytes,
    skip_invalid: bool = False,
    infer: bool = True,
) -> ImportReport:
    """Import an uploaded file (CSV, JSON Lines, XLSX) as the CLI does; never raises for bad rows — the report
    lists them. Atomic unless ``skip_invalid``."""
    report, token = save_upload(settings, entity=entity, filename=filename, content=content, skip_invalid=skip_invalid)
    if token is None:
        return report
    return import_saved(db, settings, entity=entity, token=token, filename=report.filename,
                        skip_invalid=skip_invalid, infer=infer)  # fmt: skip


def check_upload_size(content: bytes) -> None:
    """An upload larger than ``MAX_UPLOAD_BYTES`` is refused (413) before anything reads it."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise InputTooLarge(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", limit=MAX_UPLOAD_BYTES)


def keep_upload(settings: Settings, name: str, content: bytes) -> tuple[str, Path]:
    """Write an upload to ``<data_dir>/transfers/<token>/<name>`` (``name`` already made safe); (token, folder).
    The folder also takes the rejected rows (``REJECTS_NAME``) that ``rejects_file`` serves by the token."""
    token = secrets.token_urlsafe(18)
    folder = transfers_dir(settings) / token
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return token, folder


def save_upload(
    settings: Settings, *, entity: str, filename: str, content: bytes, skip_invalid: bool = False
) -> tuple[ImportReport, str | None]:
    """Keep an upload under ``<data_dir>/transfers/<token>/`` for ``import_saved`` (now, or by a job later).
    Returns the report so far and the token; no token when the file cannot be imported (``report.error``)."""
    _check(entity)
    check_upload_size(content)
    name = _safe_name(filename)
    suffix = Path(name).suffix.lower()
    report = ImportReport(entity=entity, filename=name, atomic=not skip_invalid)
    if suffix not in READ_FORMATS:
        report.error = f"use a .csv, .jsonl or .xlsx file (got {suffix or 'no extension'})"
        return report, None
    token, _ = keep_upload(settings, name, content)
    return report, token


def discard_upload(settings: Settings, token: str) -> None:
    if _TOKEN.match(token):
        shutil.rmtree(transfers_dir(settings) / token, ignore_errors=True)


def import_saved(
    db: Any,
    settings: Settings,
    *,
    entity: str,
    token: str,
    filename: str,
    skip_invalid: bool = False,
    infer: bool = True,
    progress: Any = None,
    before_commit: Any = None,
) -> ImportReport:
    """Import a file kept by ``save_upload``; ``before_commit(session, report)`` runs in the import's transaction
    once the rows are written. The upload is deleted afterwards (only the rejected rows are kept)."""
    _check(entity)
    if not _TOKEN.match(token):
        raise NotFound("file", token)
    name = _safe_name(filename)
    report = ImportReport(entity=entity, filename=name, atomic=not skip_invalid)
    folder = transfers_dir(settings) / token
    path = folder / name
    if not path.is_file():
        raise NotFound("file", token)
    rejects = folder / REJECTS_NAME
    hook = None
    if infer:
        from talentbridge.services.inference import inference_hook

        hook = inference_hook(settings)

    def fill(result: Any) -> None:
        report.rows, report.created, report.updated = result.rows, result.created, result.updated
        report.rejected, report.written, report.problems = result.rejected, result.written, list(result.problems)
        if result.rejected and result.rejects_path and Path(result.rejects_path).exists():
            report.rejects_token = token

    def commit_hook(session: Any, result: Any) -> None:
        fill(result)
        if before_commit is not None:
            before_commit(session, report)

    try:
        result = import_file(db, entity, path, skip_invalid=skip_invalid, rejects_path=rejects, infer=hook,
                             progress=progress, before_commit=commit_hook)  # fmt: skip
    except ImportRejected as exc:
        report.problems = list(exc.problems)
        if any(p.line is not None for p in exc.problems):
            _write_atomic_rejects(path, rejects, exc.problems)
            report.rows = _count_rows(path)
            report.rejected = len({p.line for p in exc.problems if p.line is not None})
            report.rejects_token = token
        else:
            report.error = exc.message
    except ValidationFailed as exc:  # the file as a whole: unreadable, missing columns
        report.problems = list(exc.problems)
        report.error = exc.message
    else:
        fill(result)
    path.unlink(missing_ok=True)  # the upload itself is not kept; only the rejected rows
    if report.rejects_token is None:
        shutil.rmtree(folder, ignore_errors=True)
    return report


def _count_rows(path: Path) -> int:
    with open_rows(path) as source:
        return sum(1 for _ in source)


def _write_atomic_rejects(path: Path, rejects: Path, problems: list[Problem]) -> None:
    """The rejected rows of an atomic import that wrote nothing: each bad line with its reasons."""
    reasons: dict[int, list[str]] = {}
    for p in problems:
        if p.line is None:
            continue
        where = ".".join(str(x) for x in p.loc[2:]) or "row"
        shown = "" if p.value is None else f" (got {p.value!r:.80})"
        reasons.setdefault(p.line, []).append(f"{where}: {p.msg}{shown}")
    with open_rows(path) as source:
        columns = list(source.columns or [])
        bad = [r for r in source if r.line in reasons]
    if not columns:
        columns = list(dict.fromkeys(k for r in bad for k in r.values))
    header = ["_line", "_errors", *columns]
    write_csv(rejects, header, ({"_line": r.line, "_errors": " | ".join(reasons[r.line]), **r.values} for r in bad))


def rejects_file(settings: Settings, token: str) -> Path:
    """The rejected-rows CSV of an earlier import (NotFound for an unknown or malformed token)."""
    if not _TOKEN.match(token):
        raise NotFound("file", token)
    path = transfers_dir(settings) / token / REJECTS_NAME
    if not path.is_file():
        raise NotFound("file", token)
    return path


def export_file(
    db: Any, settings: Settings, *, entity: str, fmt: str, filters: dict[str, Any] | None = None
) -> tuple[Path, int]:
    """Write ``entity`` (narrowed by the list page's ``filters``) to a new file; returns (path, rows). The caller
    deletes the file once it has been downloaded."""
    _check(entity, fmt, WRITE_FORMATS)
    from talentbridge.services.exporting import export_entities
    from talentbridge.services.file_writing import default_extension

    folder = transfers_dir(settings) / ("export-" + secrets.token_urlsafe(12))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entity}{default_extension(fmt)}"
    try:
        rows = export_entities(db, entity, fmt, path, filters=filters or None)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path, rows


#: Formats a list page offers for "download this list as it is filtered".
LIST_FORMATS = ("csv", "xlsx")


def list_file(
    settings: Settings, *, name: str, fmt: str, columns: list[str], rows: Iterable[dict[str, Any]]
) -> tuple[Path, int]:
    """Write a list page's rows (all pages, as filtered) to a new file; returns (path, rows). Formulas are
    neutralised as in every export. The caller deletes the file's folder once it has been downloaded."""
    if fmt not in LIST_FORMATS:
        raise ValidationFailed(
            "invalid list download",
            [Problem(loc=("query", "format"), msg=f"use one of {', '.join(LIST_FORMATS)}", value=fmt)],
        )
    from talentbridge.services.file_writing import default_extension, write_rows

    folder = transfers_dir(settings) / ("list-" + secrets.token_urlsafe(12))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}{default_extension(fmt)}"
    try:
        count = write_rows(path, fmt, columns, rows)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path, count

