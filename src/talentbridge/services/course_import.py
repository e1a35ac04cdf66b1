"""Import the course catalogue: a generic CSV / JSON Lines / XLSX file, the K-Digital Training catalogue as 고용24
publishes it (Korean headers), or JCRec's JSON (``{course_id: {"required": [[skill, level]], "to_acquire": ...}}``).

Like the registry's imports (``services/importing.py``): every row is read and validated first and every problem
collected (line, column, value, reason); atomic unless ``skip_invalid`` (then the bad rows go, with reasons, to a
side CSV); upserted by external id, so importing the same file twice changes nothing. A row that repeats an
earlier row of the file exactly (the KDT file publishes 17 runs twice) is counted as a duplicate, not rejected;
the same external id with different content is rejected.

Courses that arrive without a list of taught skills get them inferred from title, description and NCS name
(Korean and English) by the skills extraction service, each with its evidence (the words it came from) and
``source="inferred"``; a course whose text names nothing gets the skills most courses of its NCS code teach.
Operators correct them on the course page (``course_catalogue.set_skills``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from talentbridge.domain.course import CourseData, CourseSkill, CourseSkillSource, FundingTrack
from talentbridge.domain.errors import ImportRejected, Problem, ValidationFailed
from talentbridge.services.file_reading import SourceRow, open_rows
from talentbridge.services.file_writing import write_csv

__all__ = [
    "COURSE_FORMATS",
    "GENERIC_COLUMNS",
    "KDT_COLUMNS",
    "CourseImportResult",
    "Inferrer",
    "detect_course_format",
    "import_courses",
    "parse_course_rows",
    "read_course_file",
]

COURSE_FORMATS = ("auto", "generic", "kdt", "jcrec")

#: Generic file: one column per field of ``CourseData``; requires/teaches as ``skill:level;skill:level`` or JSON.
GENERIC_COLUMNS = tuple(CourseData.model_fields)

#: KDT header → field (the other published columns — revenue, partners, headcounts — are ignored).
KDT_COLUMNS = {
    "고유값": "external_id",
    "과정명": "title",
    "훈련기관": "provider",
    "총 훈련시간": "hours",
    "과정시작일": "start_date",
    "과정종료일": "end_date",
    "NCS명": "ncs_name",
    "NCS코드": "ncs_code",
    "훈련비": "fee",
    "정원": "capacity",
    "수료율": "completion_rate",
    "만족도": "satisfaction",
    "취업률 (3개월)": "employment_rate_3m",
    "취업률 (6개월)": "employment_rate_6m",
    "지역": "region",
    "과정페이지 링크": "url",
}
_KDT_REQUIRED = ("고유값", "과정명", "훈련기관", "총 훈련시간")
_JCREC_LEVELS = {"beginner": 1, "intermediate": 2, "expert": 3, "unknown": 1}

#: ``infer(courses) -> for each, (teaches)``: inferred skills (see ``services.course_skills``).
Inferrer = Callable[[list[CourseData]], list[list[CourseSkill]]]


@dataclass
class CourseImportResult:
    format: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    duplicates: int = 0
    inferred: int = 0  # courses whose taught skills were inferred
    without_skills: int = 0  # courses left with no taught skill at all
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # published values set aside (kept rows), with where and why
    rejects_path: Path | None = None

    @property
    def written(self) -> int:
        return self.created + self.updated


# -- reading cells ---------------------------------------------------------------------------------------------


class _Cell(ValueError):
    pass


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> float:
    text = _text(value).replace(",", "").replace(" ", "").removesuffix("원")
    try:
        return float(text)
    except ValueError:
        raise _Cell("not a number") from None


def _rate(value: Any) -> float:
    """ "76%", "76" (a percentage) or "0.76" → 0.76."""
    text = _text(value)
    number = _number(text.removesuffix("%"))
    if text.endswith("%") or number > 1:
        number /= 100
    if not 0 <= number <= 1:
        raise _Cell("a rate between 0 and 100%")
    return round(number, 4)


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace(".", "-").replace("/", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Cell("a date as YYYY-MM-DD") from None


def _bool(value: Any) -> bool:
    text = _text(value).lower()
    if text in ("1", "true", "yes", "y", "예", "o"):
        return True
    if text in ("0", "false", "no", "n", "아니오", "x"):
        return False
    raise _Cell("true or false")


def _skills(value: Any) -> list[dict[str, Any]]:
    """``python:2;sql`` (level 1 when missing) or a JSON list of ``{"skill_id", "level"}`` / ``[id, level]``."""
    if isinstance(value, list):
        items = value
    else:
        text = _text(value)
        if text.startswith("["):
            try:
                items = json.loads(text)
            except ValueError:
                raise _Cell("a JSON list of skills") from None
        else:
            items = []
            for part in filter(None, (p.strip() for p in text.split(";"))):
                skill, _, level = part.rpartition(":") if part.rsplit(":", 1)[-1].isdigit() else (part, "", "1")
                items.append({"skill_id": skill.strip(), "level": int(level or 1)})
    out = []
    for item in items:
        if isinstance(item, str):
            item = {"skill_id": item}
        elif isinstance(item, list | tuple):
            item = {"skill_id": str(item[0]), "level": item[1] if len(item) > 1 else 1}
        if not isinstance(item, dict):
            raise _Cell("each skill is an id, [id, level] or {skill_id, level}")
        out.append(item)
    return out


def _ncs_code(value: Any) -> str:
    text = _text(value).replace("-", "")
    if not text.isdigit():
        raise _Cell("an NCS code of digits")
    return text.zfill(8) if len(text) < 8 and len(text) % 2 else text  # "8020112": Excel dropped the leading 0


_READERS: dict[str, Callable[[Any], Any]] = {
    "hours": _number,
    "fee": lambda v: int(round(_number(v))),
    "programme_share": _rate,
    "start_date": _date,
    "end_date": _date,
    "self_paced": _bool,
    "ncs_code": _ncs_code,
    "completion_rate": _rate,
    "satisfaction": _number,
    "employment_rate_3m": _rate,
    "employment_rate_6m": _rate,
    "capacity": lambda v: int(_number(v)),
    "requires": _skills,
    "teaches": _skills,
}


# -- formats ---------------------------------------------------------------------------------------------------


def detect_course_format(path: Path, columns: Iterable[str] | None) -> str:
    if path.suffix.lower() == ".json":
        return "jcrec"
    names = set(columns or ())
    return "kdt" if {"과정명", "훈련기관"} <= names else "generic"


def _jcrec_rows(path: Path) -> tuple[list[str], list[SourceRow]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportRejected(f"{path.name}: not a readable JSON file ({exc})", []) from exc
    if not isinstance(data, dict):
        raise ImportRejected(f"{path.name}: JCRec courses are a JSON object {{course_id: {{...}}}}", [])
    taxonomy = _jcrec_taxonomy(path.parent / "taxonomy.csv")
    rows = []
    for line, (course_id, body) in enumerate(data.items(), start=1):
        if not isinstance(body, dict):
            rows.append(SourceRow(line, {"external_id": course_id}, error="a course is an object", raw=str(body)[:200]))
            continue
        values: dict[str, Any] = {
            "external_id": f"jcrec:{course_id}",
            "provider": "JCRec",
            "title": f"JCRec course {course_id}",
            "funding_track": "other",
            "self_paced": True,
            "delivery": "online",
        }
        for key, target in (("required", "requires"), ("to_acquire", "teaches")):
            items = []
            for pair in body.get(key) or []:
                if not isinstance(pair, list | tuple) or len(pair) != 2:
                    items.append(pair)  # reported as a bad cell
                    continue
                skill, level = pair
                items.append([taxonomy.get(str(skill), f"jcrec:{skill}"), _JCREC_LEVELS.get(str(level), level)])
            values[target] = items
        rows.append(SourceRow(line, values))
    return list(values.keys()) if data else [], rows


def _jcrec_taxonomy(path: Path) -> dict[str, str]:
    """JCRec skill id → its ESCO URI (the id our taxonomy knows ESCO skills by), when taxonomy.csv is beside."""
    import csv

    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["unique_id"]: row["Source"] for row in csv.DictReader(handle) if row.get("unique_id")}


def read_course_file(path: Path, fmt: str = "auto") -> tuple[str, list[str], list[SourceRow]]:
    """(format, columns, rows) of a course file; whole-file problems raise ``ImportRejected``."""
    if fmt not in COURSE_FORMATS:
        raise ValidationFailed(
            "invalid course import", [Problem(loc=("format",), msg=f"one of {', '.join(COURSE_FORMATS)}", value=fmt)]
        )
    if fmt == "jcrec" or (fmt == "auto" and path.suffix.lower() == ".json"):
        columns, rows = _jcrec_rows(path)
        return "jcrec", columns, rows
    with open_rows(path) as source:
        rows = list(source)
        columns = source.columns or list(dict.fromkeys(k for r in rows for k in r.values))
    if fmt == "auto":
        fmt = detect_course_format(path, columns)
    _check_columns(fmt, columns, path)
    return fmt, columns, rows


def _check_columns(fmt: str, columns: list[str], path: Path) -> None:
    problems = []
    if fmt == "kdt":
        for name in _KDT_REQUIRED:
            if name not in columns:
                problems.append(Problem(loc=("column", name), msg="required column is missing", type="missing"))
    else:
        for name in columns:
            if name not in GENERIC_COLUMNS and not name.startswith("_") and name not in ("id", "created_at"):
                problems.append(
                    Problem(loc=("column", name), msg="unknown column; see docs/upskilling.md", value=name,
                            type="unknown_column")
                )  # fmt: skip
        for name in ("external_id", "provider", "title"):
            if name not in columns:
                problems.append(Problem(loc=("column", name), msg="required column is missing", type="missing"))
    if problems:
        raise ImportRejected(f"the columns of {path.name} do not fit a {fmt} course file", problems)


# -- parsing ---------------------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    source: SourceRow
    record: CourseData | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    duplicate: bool = False


#: Spreadsheet error values in published outcome cells (a rate over zero trainees): the outcome is unknown.
_SHEET_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#NUM!", "#REF!")
_OUTCOMES = ("completion_rate", "satisfaction", "employment_rate_3m", "employment_rate_6m")


def _problem(line: int, column: str | None, msg: str, value: Any = None) -> Problem:
    loc: tuple[str | int, ...] = ("row", line) + ((column,) if column else ())
    return Problem(loc=loc, msg=msg, value=value, line=line)


def _parse(fmt: str, source: SourceRow) -> _Parsed:
    parsed = _Parsed(source)
    line = source.line
    if source.error:
        parsed.problems.append(_problem(line, None, source.error, source.raw))
        return parsed
    data: dict[str, Any] = {}
    columns: dict[str, str] = {}  # field -> column, for problems
    items = source.values.items()
    for column, value in items:
        name = KDT_COLUMNS.get(column) if fmt == "kdt" else column
        if name is None or name not in GENERIC_COLUMNS or value is None or _text(value) in ("", "-"):
            continue
        columns[name] = column
        reader = _READERS.get(name)
        if fmt == "kdt" and name in _OUTCOMES and _text(value).upper() in _SHEET_ERRORS:
            parsed.notes.append(_problem(line, column, "spreadsheet error in the published file: left unknown", value))
            continue
        try:
            data[name] = reader(value) if reader else value if isinstance(value, list | bool) else _text(value)
        except _Cell as exc:
            if fmt == "kdt" and name in _OUTCOMES and _text(value).endswith("%"):
                # 고용24 counts hires over a later, smaller denominator; a rate over 100% says nothing usable
                parsed.notes.append(_problem(line, column, "published rate over 100%: left unknown", value))
                continue
            parsed.problems.append(_problem(line, column, str(exc), value))
    if fmt == "kdt":
        data.setdefault("funding_track", FundingTrack.KDT.value)
        data.setdefault("programme_share", 1.0)  # KDT tuition is paid in full by the programme
        data.setdefault("delivery", "online" if "온라인" in data.get("title", "") else "offline")
        if "external_id" in data:
            data["external_id"] = f"kdt:{data['external_id']}"
    for key in ("requires", "teaches"):
        for item in data.get(key, []):
            item.setdefault("source", CourseSkillSource.LISTED.value)
    if parsed.problems:
        return parsed
    try:
        parsed.record = CourseData.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = err["loc"]
            in_column = columns.get(str(loc[0]), str(loc[0])) if loc else None
            msg = err["msg"].removeprefix("Value error, ")
            where = ".".join(str(x) for x in loc[1:])
            parsed.problems.append(_problem(line, in_column, f"{where}: {msg}" if where else msg, err.get("input")))
    if parsed.record is not None and not parsed.record.external_id:
        parsed.problems.append(_problem(line, "external_id" if fmt != "kdt" else "고유값", "required"))
        parsed.record = None
    return parsed


def parse_course_rows(fmt: str, rows: Iterable[SourceRow]) -> list[_Parsed]:
    """Read and validate every row (no database): each with its record or its problems; duplicate rows marked."""
    parsed = [_parse(fmt, row) for row in rows]
    seen: dict[str, _Parsed] = {}
    for row in parsed:
        if row.record is None or row.record.external_id is None:
            continue
        first = seen.get(row.record.external_id)
        if first is None:
            seen[row.record.external_id] = row
        elif first.record == row.record:
            row.duplicate = True
        else:
            row.problems.append(
                _problem(row.source.line, "고유값" if fmt == "kdt" else "external_id",
                         f"the same external id as line {first.source.line} with different content",
                         row.record.external_id)
            )  # fmt: skip
            row.record = None
    return parsed


# -- import ----------------------------------------------------------------------------------------------------


def import_courses(
    store: Any,
    path: Path | str,
    *,
    fmt: str = "auto",
    skip_invalid: bool = False,
    infer: Inferrer | None = None,
    rejects_path: Path | None = None,
) -> CourseImportResult:
    """Import ``path`` into ``store`` (a ``CourseStore``) in the caller's transaction.

    Atomic unless ``skip_invalid``: any bad row → ``ImportRejected`` listing every problem, nothing written.
    With ``skip_invalid`` the valid rows are written and the bad ones go to ``rejects_path`` (default
    ``<file>.rejected.csv``). ``infer`` fills in the taught skills of courses that have none.
    """
    path = Path(path)
    fmt, columns, rows = read_course_file(path, fmt)
    parsed = parse_course_rows(fmt, rows)
    bad = [p for p in parsed if p.record is None]
    problems = [problem for p in bad for problem in p.problems]
    if bad and not skip_invalid:
        raise ImportRejected(
            f"{path.name}: {len(bad)} of {len(parsed)} rows are invalid, nothing was imported. Fix the rows listed "
            "below and import again, or use --skip-invalid to import the valid rows",
            problems,
            rows=len(parsed),
            rejected=len(bad),
        )
    good = [p.record for p in parsed if p.record is not None and not p.duplicate]
    result = CourseImportResult(fmt, rows=len(parsed), rejected=len(bad), problems=problems)
    result.duplicates = sum(p.duplicate for p in parsed)
    result.notes = [note for p in parsed if p.record is not None for note in p.notes]
    flags = [False] * len(good)
    missing = [i for i, r in enumerate(good) if r is not None and not r.teaches]
    if infer is not None and missing:
        found = infer([good[i] for i in missing])  # type: ignore[misc]
        for i, teaches in zip(missing, found, strict=True):
            if teaches:
                good[i] = good[i].model_copy(update={"teaches": teaches})  # type: ignore[union-attr]
                flags[i] = True
    result.inferred = sum(flags)
    result.without_skills = sum(1 for r in good if r is not None and not r.teaches)
    for start in range(0, len(good), 1000):
        chunk = list(zip(good[start : start + 1000], flags[start : start + 1000], strict=True))
        created, updated = store.upsert_many(chunk)
        result.created += created
        result.updated += updated
    if bad:
        result.rejects_path = rejects_path or path.with_name(path.name + ".rejected.csv")
        _write_rejects(result.rejects_path, columns, bad)
    return result


_SAFE = re.compile(r"[\r\n]+")


def _write_rejects(path: Path, columns: list[str], bad: list[_Parsed]) -> None:
    header = ["_line", "_errors", *columns]

    def rows() -> Iterable[dict[str, Any]]:
        for p in bad:
            reasons = " | ".join(
                f"{'.'.join(str(x) for x in prob.loc[2:]) or 'row'}: {_SAFE.sub(' ', prob.msg)}" for prob in p.problems
            )
            values = {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in p.source.values.items()
            }
            yield {"_line": p.source.line, "_errors": reasons, **values}

    write_csv(path, header, rows())


def ncs_groups(courses: Iterable[Any]) -> list[dict[str, Any]]:
    """Per NCS code: courses, courses with taught skills, distinct skills taught (for the coverage table)."""
    groups: dict[str, dict[str, Any]] = {}
    for course in courses:
        key = course.ncs_code or "-"
        g = groups.setdefault(key, {"ncs_code": key, "ncs_name": course.ncs_name or "", "courses": 0,
                                    "with_skills": 0, "skills": Counter()})  # fmt: skip
        g["courses"] += 1
        g["with_skills"] += bool(course.teaches)
        g["skills"].update(s.skill_id for s in course.teaches)
    return sorted(groups.values(), key=lambda g: (-len(g["skills"]), -g["courses"]))
