"""Import the yearly status survey of AI workforce at member organizations (CSV, JSON Lines or XLSX).

One row per organization and survey year (the template: ``docs/import-export.md``, "Status survey"):

    organization   external id, business number (10 digits) or exact name of a registered organization
    year           survey year (2000 .. next year)
    headcount_ai_research, headcount_ml_engineering, headcount_data_engineering, headcount_data_science,
    headcount_ai_planning, headcount_ai_other      people in each AI role (blank: 0)
    vacancies      AI positions open and not filled at the survey date (blank: 0)
    hard_to_fill_roles   roles hard to fill, ``;``-separated role codes or their Korean names
    training_spend_krw   AI training spend of the year in won (``1,200,000`` and ``1200000원`` read too)

Korean headers are read as well (``기관``, ``연도``, ``AI연구인력`` ...: :data:`HEADERS`). Like the registry's
imports: every row is read and validated first and every problem collected (line, column, value, reason);
atomic unless ``skip_invalid`` (then the bad rows go, with their reasons, to a side CSV that re-imports once
fixed); rows are upserted by (organization, year), so importing the same file twice changes nothing. A row that
repeats an earlier row exactly is a duplicate, not an error; the same organization and year with other numbers is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.domain.errors import ImportRejected, Msg, Problem, ValidationFailed
from talentbridge.services.file_reading import SourceRow, open_rows
from talentbridge.services.file_writing import write_csv
from talentbridge.storage.survey_tables import SURVEY_ROLES, StatusSurveyRow
from talentbridge.storage.tables import OrganizationRow

__all__ = ["COLUMNS", "HEADERS", "ROLE_NAMES", "SurveyImportResult", "SurveyUploadReport", "import_survey",
           "import_survey_file", "import_survey_upload", "parse_survey_rows"]

HEADCOUNTS = tuple(f"headcount_{r}" for r in SURVEY_ROLES)
#: The template's columns, in order.
COLUMNS = ("organization", "year", *HEADCOUNTS, "vacancies", "hard_to_fill_roles", "training_spend_krw")
#: Korean role names (the survey's job groups) → role codes; ``hard_to_fill_roles`` accepts either.
ROLE_NAMES = {"AI연구": "ai_research", "ML엔지니어": "ml_engineering", "데이터엔지니어": "data_engineering",
              "데이터사이언티스트": "data_science", "AI기획": "ai_planning", "기타AI": "ai_other"}
#: Korean headers of the published questionnaire → template columns.
HEADERS = {
    "기관": "organization", "기관명": "organization", "기관ID": "organization", "사업자등록번호": "organization",
    "연도": "year", "조사연도": "year",
    "AI연구인력": "headcount_ai_research", "ML엔지니어": "headcount_ml_engineering",
    "데이터엔지니어": "headcount_data_engineering", "데이터사이언티스트": "headcount_data_science",
    "AI기획인력": "headcount_ai_planning", "기타AI인력": "headcount_ai_other",
    "미충원인원": "vacancies", "채용애로직무": "hard_to_fill_roles", "교육훈련비": "training_spend_krw",
    "교육훈련비(원)": "training_spend_krw",
}
_MAX_PEOPLE = 1_000_000
_MAX_WON = 10**13


@dataclass
class SurveyImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejects_path: Path | None = None

    @property
    def written(self) -> int:
        return self.created + self.updated


@dataclass
class _Parsed:
    line: int
    source: SourceRow
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class _Bad(ValueError):
    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


def _problem(line: int, column: str | None, msg: str, value: Any = None) -> Problem:
    loc: tuple[str | int, ...] = ("row", line) + ((column,) if column else ())
    return Problem(loc=loc, msg=msg, value=None if value is None else str(value)[:200], line=line)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole(value: Any, upper: int) -> int:
    """A non-negative whole number from a cell: ``12``, ``12.0`` (Excel), ``"1,200"``, ``"1200원"``, ``"3명"``."""
    if isinstance(value, bool):
        raise _Bad("must be a whole number, 0 or more")
    if isinstance(value, float):
        if not value.is_integer():
            raise _Bad("must be a whole number, 0 or more")
        value = int(value)
    if isinstance(value, str):
        text = re.sub(r"[,\s]", "", value.strip()).removesuffix("원").removesuffix("명")
        if not re.fullmatch(r"\d+", text):
            raise _Bad("must be a whole number, 0 or more")
        value = int(text)
    if not isinstance(value, int) or value < 0:
        raise _Bad("must be a whole number, 0 or more")
    if value > upper:
        raise _Bad("is implausibly large")
    return value


def _roles(value: Any) -> str:
    if _blank(value):
        return ""
    found: list[str] = []
    for part in re.split(r"[;,/]", str(value)):
        name = part.strip()
        if not name:
            continue
        code = name if name in SURVEY_ROLES else ROLE_NAMES.get(name.replace(" ", ""))
        if code is None:
            raise _Bad("unknown role; use the role codes or Korean names of the template")
        if code not in found:
            found.append(code)
    return ";".join(found)


def _columns(columns: Iterable[str], path: Path) -> dict[str, str]:
    """Header cell → template column; refuses unknown and missing columns, naming each."""
    mapping: dict[str, str] = {}
    problems = []
    for raw in columns:
        name = str(raw).strip()
        key = name if name in COLUMNS else HEADERS.get(name.replace(" ", ""))
        if key is not None:
            mapping[raw] = key
        elif not name.startswith("_"):  # _line, _errors of a rejected-rows file
            guess = get_close_matches(name.lower(), COLUMNS, n=1)
            problems.append(Problem(loc=("column", name), type="unknown_column", value=name, msg=Msg(
                "unknown column; known columns: {known}", known=guess[0] if guess else ", ".join(COLUMNS))))
    for required in ("organization", "year"):
        if required not in mapping.values():
            problems.append(Problem(loc=("column", required), msg="required column is missing", type="missing"))
    if problems:
        raise ImportRejected(f"the columns of {path.name} do not fit the status survey template "
                             "(see docs/import-export.md)", problems)
    return mapping


def parse_survey_rows(session: Session, mapping: dict[str, str], rows: Iterable[SourceRow]) -> list[_Parsed]:
    """Validate every row (organization resolved, numbers checked); problems are collected, never raised."""
    orgs = _organizations(session)
    this_year = date.today().year
    parsed: list[_Parsed] = []
    for source in rows:
        row = _Parsed(source.line, source)
        parsed.append(row)
        if source.error:
            row.problems.append(_problem(source.line, None, "the row cannot be read", source.raw))
            continue
        cells = {mapping[k]: v for k, v in source.values.items() if k in mapping}
        org = cells.get("organization")
        if _blank(org):
            row.problems.append(_problem(source.line, "organization", "required"))
        else:
            found = orgs(str(org).strip())
            if isinstance(found, str):
                row.problems.append(_problem(source.line, "organization", found, org))
            else:
                row.values["organization_id"] = found
        try:
            if _blank(cells.get("year")):
                raise _Bad("required")
            year = _whole(cells["year"], 9999)
            if not 2000 <= year <= this_year + 1:
                raise _Bad("must be a survey year from 2000 to next year")
            row.values["year"] = year
        except _Bad as exc:
            row.problems.append(_problem(source.line, "year", exc.msg, cells.get("year")))
        for column, check in ([(c, lambda v: _whole(v, _MAX_PEOPLE)) for c in (*HEADCOUNTS, "vacancies")]
                              + [("training_spend_krw", lambda v: _whole(v, _MAX_WON)),
                                 ("hard_to_fill_roles", _roles)]):
            value = cells.get(column)
            try:
                row.values[column] = check(value) if not _blank(value) else ("" if column == "hard_to_fill_roles"
                                                                              else 0)
            except _Bad as exc:
                row.problems.append(_problem(source.line, column, exc.msg, value))
    _same_key(parsed)
    return parsed


def _organizations(session: Session) -> Callable[[str], int | str]:
    """``find(text) -> id`` or the reason it names no single organization (external id, business number, name)."""
    by_ext: dict[str, int] = {}
    by_bn: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for oid, ext, bn, name in session.execute(select(OrganizationRow.id, OrganizationRow.external_id,
                                                     OrganizationRow.business_number, OrganizationRow.name)):
        if ext:
            by_ext[ext] = oid
        if bn:
            by_bn[bn] = oid
        by_name.setdefault(name.strip(), []).append(oid)

    def find(text: str) -> int | str:
        if text in by_ext:
            return by_ext[text]
        digits = re.sub(r"\D", "", text)
        if len(digits) == 10 and digits in by_bn:
            return by_bn[digits]
        named = by_name.get(text, [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            return "several organizations have this name; use the external id or business number"
        return "no registered organization has this external id, business number or name; import it first"

    return find


def _same_key(parsed: list[_Parsed]) -> None:
    """The same organization and year twice: a duplicate when the row is the same, an error when not."""
    seen: dict[tuple[int, int], _Parsed] = {}
    for row in parsed:
        if row.problems or "organization_id" not in row.values:
            continue
        key = (row.values["organization_id"], row.values["year"])
        first = seen.get(key)
        if first is None:
            seen[key] = row
        elif first.values != row.values:
            row.problems.append(_problem(row.line, "organization", Msg(
                "this organization and year are already on line {line} with other numbers", line=first.line)))
        else:
            row.values["_duplicate"] = True


def _write(session: Session, rows: list[_Parsed], source_file: str, result: SurveyImportResult) -> None:
    now = datetime.now(UTC)
    for row in rows:
        v = row.values
        if v.get("_duplicate"):
            result.duplicates += 1
            continue
        fields = {c: v[c] for c in (*HEADCOUNTS, "vacancies", "training_spend_krw")}
        fields["hard_to_fill"] = v["hard_to_fill_roles"]
        existing = session.get(StatusSurveyRow, (v["organization_id"], v["year"]))
        if existing is None:
            session.add(StatusSurveyRow(organization_id=v["organization_id"], year=v["year"], source_file=source_file,
                                        imported_at=now, **fields))
            result.created += 1
        elif any(getattr(existing, k) != x for k, x in fields.items()):
            for k, x in fields.items():
                setattr(existing, k, x)
            existing.source_file, existing.imported_at = source_file, now
            result.updated += 1
        else:
            result.unchanged += 1
    session.flush()


def import_survey(
    session: Session, path: Path, *, skip_invalid: bool = False, rejects_path: Path | None = None,
    source_name: str | None = None,
) -> SurveyImportResult:  # fmt: skip
    """Import ``path`` in ``session``'s transaction (the caller commits). ``ImportRejected`` (nothing written)
    lists every bad row of an atomic import; with ``skip_invalid`` the good rows are written and the bad ones
    go to ``rejects_path`` (default ``<file>.rejected.csv``) with ``_line`` and ``_errors``."""
    with open_rows(path) as source:
        columns = list(source.columns or [])
        mapping = _columns(columns, path) if columns else None
        sources = list(source)
    if mapping is None:  # JSON Lines: the keys of the rows are the header
        columns = list(dict.fromkeys(k for r in sources for k in r.values))
        mapping = _columns(columns, path)
    parsed = parse_survey_rows(session, mapping, sources)
    result = SurveyImportResult(rows=len(parsed))
    bad = [r for r in parsed if r.problems]
    result.problems = [p for r in bad for p in r.problems]
    result.rejected = len(bad)
    if bad and not skip_invalid:
        if rejects_path is not None:  # the browser's report offers the bad rows with their reasons
            _write_rejects(rejects_path, columns, bad)
        raise ImportRejected(f"{len(bad)} of {len(parsed)} rows of {path.name} are invalid; nothing was imported",
                             result.problems, rows=len(parsed))
    if bad:
        result.rejects_path = rejects_path or path.with_name(path.name + ".rejected.csv")
        _write_rejects(result.rejects_path, columns, bad)
    _write(session, [r for r in parsed if not r.problems], source_name or path.name, result)
    return result


def _write_rejects(path: Path, columns: list[str], bad: list[_Parsed]) -> None:
    def reasons(row: _Parsed) -> str:
        return " | ".join(f"{'.'.join(str(x) for x in p.loc[2:]) or 'row'}: {p.msg}" for p in row.problems)

    header = ["_line", "_errors", *[c for c in columns if c not in ("_line", "_errors")]]
    write_csv(path, header, ({**r.source.values, "_line": r.line, "_errors": reasons(r)} for r in bad))


def import_survey_file(
    db: Any, path: Path, *, skip_invalid: bool = False, rejects_path: Path | None = None,
    source_name: str | None = None,
) -> SurveyImportResult:  # fmt: skip
    """Import a survey file in one write transaction of ``db`` (a ``storage.Database``): all rows or none."""
    if not path.is_file():
        raise ValidationFailed("no such file", [Problem(loc=("file",), msg="no such file", value=str(path))])
    with db.session(write=True) as session:
        return import_survey(session, path, skip_invalid=skip_invalid, rejects_path=rejects_path,
                             source_name=source_name)


@dataclass
class SurveyUploadReport:
    """The data page's report of an uploaded survey file (the fields ``operator/_import_report.html`` shows)."""

    filename: str
    atomic: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    written: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejects_token: str | None = None
    error: str | None = None
    entity: str = "survey"

    @property
    def ok(self) -> bool:
        return self.error is None and not (self.atomic and self.problems)


def import_survey_upload(
    db: Any, settings: Any, *, filename: str, content: bytes, skip_invalid: bool = False
) -> SurveyUploadReport:
    """An uploaded survey file, as the data page imports it: never raises for bad rows (the report lists them,
    and the rejected rows with their reasons can be downloaded with the page's rejects link)."""
    import shutil

    from talentbridge.services.data_transfer import REJECTS_NAME, _safe_name, check_upload_size, keep_upload
    from talentbridge.services.file_reading import READ_FORMATS

    check_upload_size(content)
    name = _safe_name(filename)
    report = SurveyUploadReport(filename=name, atomic=not skip_invalid)
    if Path(name).suffix.lower() not in READ_FORMATS:
        report.error = "use a .csv, .jsonl or .xlsx file"
        return report
    token, folder = keep_upload(settings, name, content)
    path = folder / name
    rejects = folder / REJECTS_NAME
    try:
        result = import_survey_file(db, path, skip_invalid=skip_invalid, rejects_path=rejects, source_name=name)
        for key in ("rows", "created", "updated", "unchanged", "duplicates", "rejected", "written"):
            setattr(report, key, getattr(result, key))
        report.problems = list(result.problems)
    except ImportRejected as exc:
        report.problems = list(exc.problems)
        report.rows = int(exc.details.get("rows", 0))
        report.rejected = len({p.line for p in exc.problems if p.line is not None})
        if not report.rejected:
            report.error = exc.message
    except ValidationFailed as exc:  # the file as a whole: unreadable
        report.problems = list(exc.problems)
        report.error = exc.message
    finally:
        path.unlink(missing_ok=True)
    if rejects.is_file():
        report.rejects_token = token
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return report
