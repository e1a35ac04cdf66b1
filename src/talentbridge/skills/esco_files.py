"""The files of an ESCO CSV download: which ones are read (``ESCO_FILES``), where each is (a member of a zip
archive, a file in a folder, a single CSV file: ``discover``) and its rows with their line numbers (``Rows``).
Problems (missing files and columns, ragged rows, malformed CSV, bad encoding, corrupt archives) are recorded with
the file and line, not raised; ``esco_read.read_esco`` turns the rows into concepts.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from talentbridge.domain.errors import Problem

__all__ = ["ESCO_FILES", "Source", "Rows", "discover"]

#: Logical file -> accepted file names (v1.1 and v1.2 spellings) and the columns we need.
ESCO_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "skills": (
        ("skills_en.csv",),
        ("conceptUri", "skillType", "preferredLabel", "altLabels", "description"),
        True,
    ),
    "occupations": (
        ("occupations_en.csv",),
        ("conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"),
        True,
    ),
    "occupation_skills": (
        ("occupationSkillRelations.csv", "occupationSkillRelations_en.csv"),
        ("occupationUri", "relationType", "skillUri"),
        True,
    ),
    "skill_skills": (
        ("skillSkillRelations.csv", "skillSkillRelations_en.csv"),
        ("originalSkillUri", "relationType", "relatedSkillUri"),
        True,
    ),
    "skill_broader": (
        ("broaderRelationsSkillPillar.csv", "broaderRelationsSkillPillar_en.csv"),
        ("conceptType", "conceptUri", "broaderType", "broaderUri"),
        True,
    ),
    "occupation_broader": (
        ("broaderRelationsOccPillar.csv", "broaderRelationsOccPillar_en.csv"),
        ("conceptType", "conceptUri", "broaderType", "broaderUri"),
        True,
    ),
    "skill_groups": (("skillGroups_en.csv",), ("conceptUri", "preferredLabel", "description"), False),
    "skills_hierarchy": (
        ("skillsHierarchy_en.csv",),
        ("Level 0 URI", "Level 0 preferred term", "Level 1 URI", "Level 2 URI", "Level 3 URI"),
        False,
    ),
    "isco_groups": (("ISCOGroups_en.csv",), ("conceptUri", "code", "preferredLabel", "description"), False),
}

_RAGGED = ("skills_hierarchy",)  # the official file leaves out trailing empty fields


class Source:
    """Where a logical ESCO file lives: a member of a zip archive or a file in a folder."""

    def __init__(self, display: str, open_bytes: Callable[[], IO[bytes]]) -> None:
        self.display = display
        self.open_bytes = open_bytes


def discover(paths: Sequence[str | Path], problems: list[Problem]) -> dict[str, Source]:
    found: dict[str, Source] = {}
    wanted = {name.lower(): logical for logical, (names, _, _) in ESCO_FILES.items() for name in names}

    def offer(basename: str, source: Source) -> None:
        logical = wanted.get(basename.lower())
        if logical is not None and logical not in found:
            found[logical] = source

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    if child.suffix.lower() == ".zip":
                        _offer_zip(child, offer, problems)
                    else:
                        offer(child.name, Source(child.name, lambda c=child: c.open("rb")))
        elif path.is_file() and path.suffix.lower() == ".zip":
            _offer_zip(path, offer, problems)
        elif path.is_file():
            offer(path.name, Source(path.name, lambda p=path: p.open("rb")))
        else:
            problems.append(Problem((str(path),), "no such file or folder", type="missing"))
    return found


def _offer_zip(path: Path, offer: Callable[[str, Source], None], problems: list[Problem]) -> None:
    try:
        archive = zipfile.ZipFile(path)
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        problems.append(
            Problem(
                (path.name,),
                f"not a readable zip archive (truncated or corrupt download?): {exc}",
                type="zip",
            )
        )
        return
    for member in names:
        if member.endswith("/"):
            continue
        offer(
            member.rsplit("/", 1)[-1],
            Source(f"{path.name}:{member}", lambda a=archive, m=member: a.open(m)),
        )


class Rows:
    """Rows of one CSV file as dicts, with the 1-based line each record starts on; problems are recorded."""

    def __init__(self, logical: str, source: Source, required: Sequence[str], problems: list[Problem]) -> None:
        self.logical, self.source, self.required, self.problems = logical, source, required, problems
        self.name = source.display
        self.count = 0

    def problem(self, line: int | None, column: str, msg: str, value: Any = None, kind: str = "invalid") -> None:
        loc = (self.name, column) if column else (self.name,)
        self.problems.append(Problem(loc, msg, value=value, type=kind, line=line))

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        line = 1
        try:
            with self.source.open_bytes() as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                reader = csv.reader(text, strict=True)
                header = next(reader, None)
                if header is None:
                    self.problem(1, "", "the file is empty", kind="missing")
                    return
                header = [h.strip() for h in header]
                missing = [c for c in self.required if c not in header]
                for column in missing:
                    self.problem(1, column, "missing column", kind="missing")
                if missing:
                    return
                width = len(header)
                index = {c: header.index(c) for c in self.required}
                line = reader.line_num + 1
                for record in reader:
                    start, line = line, reader.line_num + 1
                    if not record:
                        continue
                    if len(record) < width and self.logical in _RAGGED:
                        record += [""] * (width - len(record))
                    if len(record) != width:
                        self.problem(start, "", f"expected {width} fields, found {len(record)}", kind="row")
                        continue
                    self.count += 1
                    yield start, {c: record[i] for c, i in index.items()}
        except csv.Error as exc:
            self.problem(line, "", f"malformed CSV ({exc}); the file may be truncated", kind="csv")
        except UnicodeDecodeError as exc:
            self.problem(line, "", f"not UTF-8 text ({exc.reason})", kind="encoding")
        except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
            self.problem(line, "", f"cannot read the file (truncated or corrupt archive?): {exc}", kind="zip")
