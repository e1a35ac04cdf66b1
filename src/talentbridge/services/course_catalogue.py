"""The course catalogue as use cases: import a file (CLI path or browser upload), list and search courses, read
one, correct its skills (operators).

Storage is reached through the ``CourseStore`` protocol (``storage/course_repository.py`` implements it), made by
``course_store(session)``; the caller's session owns the transaction.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from talentbridge.config import Settings
from talentbridge.domain.course import Course, CourseData, CourseSkill, CourseSkillSource
from talentbridge.domain.errors import ImportRejected, Problem, ValidationFailed
from talentbridge.services.course_import import CourseImportResult, import_courses

__all__ = [
    "CourseStore",
    "CourseUploadReport",
    "course_store",
    "import_course_file",
    "import_course_upload",
    "parse_skill_lines",
    "set_course_skills",
]


class CourseStore(Protocol):
    def ids_by_external_id(self, external_ids: Sequence[str]) -> dict[str, int]: ...
    def upsert_many(self, records: Sequence[tuple[CourseData, bool]]) -> tuple[int, int]: ...
    def get(self, course_id: int) -> Course: ...
    def many(self, course_ids: Iterable[int]) -> list[Course]: ...
    def search(
        self, *, q: str = "", ncs: str = "", track: str = "", limit: int = 50, offset: int = 0
    ) -> tuple[list[Course], int]: ...
    def all(self) -> list[Course]: ...
    def count(self) -> int: ...
    def set_skills(self, course_id: int, requires: list[CourseSkill], teaches: list[CourseSkill]) -> Course: ...
    def progress_of(self, talent_ids: Sequence[int]) -> dict[int, dict[int, str]]: ...
    def set_progress(self, talent_id: int, course_id: int, status: str | None) -> None: ...
    def save_path(
        self, talent_id: int, kind: str, ref: str, label: str, course_ids: list[int], summary: dict
    ) -> int: ...
    def paths_of(self, talent_id: int) -> list[dict[str, Any]]: ...


def course_store(session: Any) -> CourseStore:
    from talentbridge.storage.course_repository import SqlCourseStore

    return SqlCourseStore(session)


def import_course_file(
    db: Any, settings: Settings, path: Path, *, fmt: str = "auto", skip_invalid: bool = False,
    infer: bool = True, rejects_path: Path | None = None,
) -> CourseImportResult:  # fmt: skip
    """Import a course file in one write transaction of ``db`` (a ``storage.Database``)."""
    from talentbridge.services.course_skills import make_inferrer

    inferrer = make_inferrer(settings) if infer else None
    with db.session(write=True) as session:
        return import_courses(
            course_store(session), path, fmt=fmt, skip_invalid=skip_invalid, infer=inferrer,
            rejects_path=rejects_path,
        )  # fmt: skip


@dataclass
class CourseUploadReport:
    filename: str
    atomic: bool
    result: CourseImportResult | None = None
    problems: list[Problem] | None = None
    error: str | None = None
    rejects_token: str | None = None
    total_rows: int = 0  # of a file refused whole

    entity = "courses"

    @property
    def ok(self) -> bool:
        return self.error is None and not (self.atomic and self.problems)

    def __getattr__(self, name: str) -> Any:
        # rows, created, updated, rejected, written, duplicates, inferred, notes: as the data page's report shows
        if name in ("rows", "created", "updated", "rejected", "written", "duplicates", "inferred", "without_skills"):
            if self.result is not None:
                return getattr(self.result, name)
            if name == "rows":
                return self.total_rows
            return len({p.line for p in self.problems or [] if p.line is not None}) if name == "rejected" else 0
        if name == "notes":
            return self.result.notes if self.result is not None else []
        raise AttributeError(name)


def import_course_upload(
    db: Any, settings: Settings, *, filename: str, content: bytes, fmt: str = "auto", skip_invalid: bool = False
) -> CourseUploadReport:
    """An uploaded course file, as the data page's import: never raises for bad rows (the report lists them);
    the rejected rows, when kept apart, can be downloaded with the data page's rejects link."""
    from talentbridge.services.data_transfer import REJECTS_NAME, _safe_name, check_upload_size, keep_upload

    check_upload_size(content)
    name = _safe_name(filename)
    report = CourseUploadReport(filename=name, atomic=not skip_invalid)
    if Path(name).suffix.lower() not in (".csv", ".txt", ".jsonl", ".ndjson", ".xlsx", ".xlsm", ".json"):
        report.error = "use a .csv, .jsonl, .xlsx or JCRec .json file"
        return report
    token, folder = keep_upload(settings, name, content)
    path = folder / name
    try:
        report.result = import_course_file(
            db, settings, path, fmt=fmt, skip_invalid=skip_invalid, rejects_path=folder / REJECTS_NAME
        )
        report.problems = list(report.result.problems)
        if report.result.rejects_path is not None:
            report.rejects_token = token
    except ImportRejected as exc:
        report.problems = list(exc.problems)
        report.total_rows = int(exc.details.get("rows", 0))
        if not any(p.line is not None for p in exc.problems):
            report.error = exc.message
    except ValidationFailed as exc:
        report.problems = list(exc.problems)
        report.error = exc.message
    finally:
        path.unlink(missing_ok=True)
    if report.rejects_token is None:
        shutil.rmtree(folder, ignore_errors=True)
    return report


def parse_skill_lines(text: str, field: str) -> list[CourseSkill]:
    """An operator's skill list, one ``skill_id`` or ``skill_id:level`` per line (or ``;``-separated); every bad
    line is reported at once."""
    problems: list[Problem] = []
    out: list[CourseSkill] = []
    seen: set[str] = set()
    parts = [p.strip() for p in text.replace(";", "\n").splitlines()]
    for n, part in enumerate((p for p in parts if p), start=1):
        skill, level = part, "1"
        head, sep, tail = part.rpartition(":")
        if sep and tail.strip().isdigit():
            skill, level = head.strip(), tail.strip()
        if not skill or not 1 <= int(level) <= 5:
            problems.append(Problem(loc=("form", field, n), msg="skill_id or skill_id:level (1–5)", value=part))
            continue
        if skill in seen:
            problems.append(Problem(loc=("form", field, n), msg="listed twice", value=part))
            continue
        seen.add(skill)
        out.append(CourseSkill(skill_id=skill, level=int(level), source=CourseSkillSource.OPERATOR))
    if problems:
        raise ValidationFailed("some skills cannot be read", problems)
    return out


def set_course_skills(session: Any, course_id: int, *, requires: str, teaches: str, known: Any = None) -> Course:
    """Replace a course's skills with an operator's lists (``parse_skill_lines``). ``known(ids) -> set`` rejects
    ids the taxonomy does not have."""
    req = _safe_parse(requires, "requires")
    teach = _safe_parse(teaches, "teaches")
    problems = req[1] + teach[1]
    if known is not None:
        ids = [s.skill_id for s in req[0] + teach[0]]
        have = known(ids)
        for name, skills in (("requires", req[0]), ("teaches", teach[0])):
            for n, skill in enumerate(skills, start=1):
                if skill.skill_id not in have:
                    problems.append(
                        Problem(loc=("form", name, n), msg="not a skill of the taxonomy", value=skill.skill_id)
                    )
    if problems:
        raise ValidationFailed("some skills cannot be used", problems)
    return course_store(session).set_skills(course_id, req[0], teach[0])


def _safe_parse(text: str, field: str) -> tuple[list[CourseSkill], list[Problem]]:
    try:
        return parse_skill_lines(text, field), []
    except ValidationFailed as exc:
        return [], list(exc.problems)
