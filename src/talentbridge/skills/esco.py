"""ESCO import: read the official ESCO CSV download and merge it with the built-in taxonomy.

ESCO (European Skills, Competences, Qualifications and Occupations, © European Union) is downloaded by
users from https://esco.ec.europa.eu/en/use-esco/download (CSV, English): the *classification* zip
(``skills_en.csv``, ``occupations_en.csv``, ``skillGroups_en.csv``, ``skillsHierarchy_en.csv``,
``ISCOGroups_en.csv`` ...) and the *relations* zip (``occupationSkillRelations.csv``,
``skillSkillRelations.csv``, ``broaderRelationsSkillPillar.csv``, ``broaderRelationsOccPillar.csv``; v1.2 adds
an ``_en`` suffix, both spellings are accepted). The package ships no ESCO data.

* ``read_esco(paths)`` streams the zips (or unpacked folders) with ``csv`` and returns ``EscoData``: a
  ``Taxonomy`` whose ids are ESCO URIs, plus what ``Taxonomy`` has no field for (the type of skill–skill
  relations, skill groups and each skill's groups, ISCO groups). Malformed input raises ``ImportRejected``
  whose problems name the file and line (``Problem(loc=(file, column), line=...)``); references to concepts
  that are not in the download (ESCO v1.1.1 has one such occupation) are skipped and counted, not fatal.
* ``merge_with_builtin(builtin, esco)`` links built-in concepts to ESCO through ``esco_uri``: a linked concept
  keeps its id, Korean labels and fields, and gains ESCO's labels (as alternatives) and relations; ESCO-only
  concepts keep their URI as id. The ESCO side of each linked concept is kept in ``esco_skills`` /
  ``esco_occupations`` so that ``esco_layer(merged)`` can recover the ESCO data exactly (needed when the
  built-in taxonomy changes after an import) and ``update_layer(old, new)`` can apply a newer release.

Pure: standard library only, nothing happens at import time.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from talentbridge.domain.errors import ImportRejected, Problem
from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy

__all__ = [
    "EscoData",
    "SkillGroup",
    "IscoGroup",
    "read_esco",
    "merge_with_builtin",
    "esco_layer",
    "update_layer",
    "ESCO_FILES",
]

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

_RELATION_TYPES = ("essential", "optional")
_RAGGED = ("skills_hierarchy",)  # the official file leaves out trailing empty fields
_MAX_PROBLEMS = 1000


@dataclass
class SkillGroup:
    """An ESCO skill group (``isced-f`` fields of knowledge, ``S1``... groups, the pillar's top levels)."""

    uri: str
    label_en: str
    code: str = ""
    description_en: str = ""
    broader: list[str] = field(default_factory=list)  # group URIs


@dataclass
class IscoGroup:
    """An ISCO-08 group as ESCO publishes it; ``code`` has 1 (major group) to 4 (unit group) digits."""

    code: str
    uri: str
    label_en: str
    description_en: str = ""

    @property
    def major(self) -> str:
        return self.code[:1]


@dataclass
class EscoData:
    """ESCO (or ESCO merged with the built-in taxonomy) with what ``Taxonomy`` has no field for.

    Keys are concept ids of ``taxonomy``: ESCO URIs after ``read_esco``; after ``merge_with_builtin`` the
    ids of linked built-in concepts replace their URIs.
    """

    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    related_type: dict[tuple[str, str], str] = field(default_factory=dict)  # (skill, related) -> essential|optional
    skill_groups: dict[str, SkillGroup] = field(default_factory=dict)  # by URI
    group_links: dict[str, list[str]] = field(default_factory=dict)  # skill id -> group URIs
    isco_groups: dict[str, IscoGroup] = field(default_factory=dict)  # by code
    #: ESCO side of built-in concepts linked by URI (relations as URIs), by built-in id; empty before merging.
    esco_skills: dict[str, Skill] = field(default_factory=dict)
    esco_occupations: dict[str, Occupation] = field(default_factory=dict)
    #: references to concepts missing from the download, skipped: (file, line, uri)
    skipped: list[tuple[str, int, str]] = field(default_factory=list)
    #: counts of rows read per logical file
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def occupation_skill_count(self) -> int:
        occs = self.taxonomy.occupations.values()
        return sum(len(o.essential_skills) + len(o.optional_skills) for o in occs)

    @property
    def skill_skill_count(self) -> int:
        return sum(len(s.related) for s in self.taxonomy.skills.values())

    def isco_major_groups(self) -> dict[str, str]:
        """ISCO major group code (``"0"``..``"9"``) -> English label."""
        return {g.code: g.label_en for g in self.isco_groups.values() if len(g.code) == 1}


# -- reading -------------------------------------------------------------------------------------------------


class _Source:
    """Where a logical ESCO file lives: a member of a zip archive or a file in a folder."""

    def __init__(self, display: str, open_bytes: Callable[[], IO[bytes]]) -> None:
        self.display = display
        self.open_bytes = open_bytes


def _discover(paths: Sequence[str | Path], problems: list[Problem]) -> dict[str, _Source]:
    found: dict[str, _Source] = {}
    wanted = {name.lower(): logical for logical, (names, _, _) in ESCO_FILES.items() for name in names}

    def offer(basename: str, source: _Source) -> None:
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
                        offer(child.name, _Source(child.name, lambda c=child: c.open("rb")))
        elif path.is_file() and path.suffix.lower() == ".zip":
            _offer_zip(path, offer, problems)
        elif path.is_file():
            offer(path.name, _Source(path.name, lambda p=path: p.open("rb")))
        else:
            problems.append(Problem((str(path),), "no such file or folder", type="missing"))
    return found


def _offer_zip(path: Path, offer: Callable[[str, _Source], None], problems: list[Problem]) -> None:
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
            _Source(f"{path.name}:{member}", lambda a=archive, m=member: a.open(m)),
        )


class _Rows:
    """Rows of one CSV file as dicts, with the 1-based line each record starts on; problems are recorded."""

    def __init__(self, logical: str, source: _Source, required: Sequence[str], problems: list[Problem]) -> None:
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


def _labels(cell: str, exclude: str = "") -> list[str]:
    seen: dict[str, None] = {}
    skip = exclude.casefold()
    for part in cell.splitlines():
        label = " ".join(part.split())
        if label and label.casefold() != skip:
            seen.setdefault(label, None)
    return list(seen)


def read_esco(paths: Sequence[str | Path]) -> EscoData:
    """Read an ESCO CSV download: zips as downloaded, unpacked folders or single CSV files, in any order.

    Returns ``EscoData`` with URI ids (every concept ``builtin=False``). Skill ``type`` is ``"knowledge"`` for
    ESCO knowledge and ``"skill"`` otherwise (ESCO has no tools). ``Occupation.broader`` holds the occupation
    parents, ``Skill.broader`` the skill parents; skill-group parents go to ``group_links``.
    Raises ``ImportRejected`` listing every problem (file, line, column) when a file is missing, unreadable or
    malformed; nothing is returned half-read. Linear in the size of the files.
    """
    problems: list[Problem] = []
    sources = _discover(paths, problems)
    for logical, (names, _, required) in ESCO_FILES.items():
        if required and logical not in sources:
            problems.append(
                Problem(
                    (names[0],),
                    "not found in the given paths; pass the ESCO classification zip and the relations zip",
                    type="missing",
                )
            )
    if problems:
        raise ImportRejected("cannot import ESCO", problems=problems)

    data = EscoData()
    skills, occupations = data.taxonomy.skills, data.taxonomy.occupations

    def rows(logical: str) -> Iterator[tuple[_Rows, int, dict[str, str]]]:
        if logical not in sources or len(problems) >= _MAX_PROBLEMS:
            return
        reader = _Rows(logical, sources[logical], ESCO_FILES[logical][1], problems)
        for line, row in reader:
            yield reader, line, row
        data.rows[logical] = reader.count

    def uri_of(reader: _Rows, line: int, row: dict[str, str], column: str) -> str:
        value = row[column].strip()
        if not value.startswith(("http://", "https://")):
            reader.problem(line, column, "expected a concept URI", value)
            return ""
        return value

    for reader, line, row in rows("skills"):
        uri = uri_of(reader, line, row, "conceptUri")
        if not uri:
            continue
        label = row["preferredLabel"].strip()
        if not label:
            reader.problem(line, "preferredLabel", "is empty", kind="missing")
            continue
        skill_type = row["skillType"].strip()
        if skill_type not in ("", "knowledge", "skill/competence", "skill", "competence"):
            reader.problem(line, "skillType", "unknown skill type", skill_type)
        skills[uri] = Skill(
            id=uri,
            label_en=label,
            alt_en=_labels(row["altLabels"], exclude=label),
            type="knowledge" if skill_type == "knowledge" else "skill",
            description_en=row["description"].strip(),
            esco_uri=uri,
            builtin=False,
        )

    for reader, line, row in rows("occupations"):
        uri = uri_of(reader, line, row, "conceptUri")
        if not uri:
            continue
        label = row["preferredLabel"].strip()
        isco = row["iscoGroup"].strip()
        if not label:
            reader.problem(line, "preferredLabel", "is empty", kind="missing")
            continue
        if isco and not (isco.isdigit() and len(isco) <= 4):
            reader.problem(line, "iscoGroup", "expected an ISCO-08 code of 1 to 4 digits", isco)
        occupations[uri] = Occupation(
            id=uri,
            label_en=label,
            alt_en=_labels(row["altLabels"], exclude=label),
            isco_code=isco,
            description_en=row["description"].strip(),
            esco_uri=uri,
            builtin=False,
        )

    def relation_type(reader: _Rows, line: int, row: dict[str, str]) -> str:
        value = row["relationType"].strip()
        if value not in _RELATION_TYPES:
            reader.problem(line, "relationType", "expected essential or optional", value)
        return value

    for reader, line, row in rows("occupation_skills"):
        kind = relation_type(reader, line, row)
        occ_uri = uri_of(reader, line, row, "occupationUri")
        skill_uri = uri_of(reader, line, row, "skillUri")
        if not (occ_uri and skill_uri and kind in _RELATION_TYPES):
            continue
        occupation = occupations.get(occ_uri)
        if occupation is None or skill_uri not in skills:
            data.skipped.append((reader.name, line, occ_uri if occupation is None else skill_uri))
            continue
        target = occupation.essential_skills if kind == "essential" else occupation.optional_skills
        target.append(skill_uri)

    for reader, line, row in rows("skill_skills"):
        kind = relation_type(reader, line, row)
        src = uri_of(reader, line, row, "originalSkillUri")
        dst = uri_of(reader, line, row, "relatedSkillUri")
        if not (src and dst and kind in _RELATION_TYPES):
            continue
        if src not in skills or dst not in skills:
            data.skipped.append((reader.name, line, src if src not in skills else dst))
            continue
        if dst not in skills[src].related and dst != src:
            skills[src].related.append(dst)
            data.related_type[(src, dst)] = kind

    for reader, line, row in rows("skill_groups"):
        uri = uri_of(reader, line, row, "conceptUri")
        if uri:
            data.skill_groups[uri] = SkillGroup(
                uri=uri, label_en=row["preferredLabel"].strip(), description_en=row["description"].strip()
            )

    for _reader, _line, row in rows("skills_hierarchy"):
        # The pillar's top level (skills, knowledge, language, transversal) is in no other file.
        top = row["Level 0 URI"].strip()
        if top and top not in skills and top not in data.skill_groups:
            data.skill_groups[top] = SkillGroup(uri=top, label_en=row["Level 0 preferred term"].strip())

    for reader, line, row in rows("skill_broader"):
        child = uri_of(reader, line, row, "conceptUri")
        parent = uri_of(reader, line, row, "broaderUri")
        if not (child and parent) or child == parent:
            continue
        if child in skills:
            if parent in skills:
                if parent not in skills[child].broader:
                    skills[child].broader.append(parent)
            else:
                links = data.group_links.setdefault(child, [])
                if parent not in links:
                    links.append(parent)
        elif child in data.skill_groups:
            group = data.skill_groups[child]
            if parent not in group.broader:
                group.broader.append(parent)
        else:
            data.skipped.append((reader.name, line, child))

    for reader, line, row in rows("occupation_broader"):
        child = uri_of(reader, line, row, "conceptUri")
        parent = uri_of(reader, line, row, "broaderUri")
        if not (child and parent) or row["broaderType"].strip() != "Occupation":
            continue  # ISCO parents are in iscoGroup; the ISCO tree follows from the codes
        if child not in occupations or parent not in occupations:
            data.skipped.append((reader.name, line, child if child not in occupations else parent))
            continue
        if parent not in occupations[child].broader and parent != child:
            occupations[child].broader.append(parent)

    for reader, line, row in rows("isco_groups"):
        uri = uri_of(reader, line, row, "conceptUri")
        code = row["code"].strip()
        if not uri:
            continue
        if not (code.isdigit() and 1 <= len(code) <= 4):
            reader.problem(line, "code", "expected an ISCO-08 code of 1 to 4 digits", code)
            continue
        data.isco_groups[code] = IscoGroup(
            code=code,
            uri=uri,
            label_en=row["preferredLabel"].strip(),
            description_en=row["description"].strip(),
        )

    if problems:
        files = sorted({str(p.loc[0]) for p in problems})
        raise ImportRejected(
            f"cannot import ESCO: {len(problems)} problem(s) in {', '.join(files)}",
            problems=problems,
        )
    return data


# -- merging with the built-in taxonomy ----------------------------------------------------------------


def _union(*lists: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    out: dict[str, None] = {}
    skip = set(exclude)
    for items in lists:
        for item in items:
            if item not in skip:
                out.setdefault(item, None)
    return list(out)


def _alt_union(own_label: str, own: list[str], esco_label: str, esco_alt: list[str]) -> list[str]:
    seen = {own_label.casefold()}
    out: list[str] = []
    for label in (*own, esco_label, *esco_alt):
        key = label.casefold()
        if label and key not in seen:
            seen.add(key)
            out.append(label)
    return out


def merge_with_builtin(builtin: Taxonomy, esco: EscoData) -> EscoData:
    """Merge ``esco`` (URI ids) into ``builtin``; neither argument is changed.

    A built-in concept whose ``esco_uri`` is in ESCO keeps its id, labels, type, family and Korean text; it
    gains ESCO's preferred and alternative labels as English alternatives, ESCO's description and ISCO code
    when it has none, and ESCO's relations (rewritten to built-in ids). ESCO-only concepts keep their URI as
    id. Built-in concepts not in ESCO are unchanged. Everything built-in is kept.
    """
    merged = EscoData(
        skill_groups=dict(esco.skill_groups),
        isco_groups=dict(esco.isco_groups),
        skipped=list(esco.skipped),
        rows=dict(esco.rows),
    )
    skill_id = {uri: uri for uri in esco.taxonomy.skills}
    occ_id = {uri: uri for uri in esco.taxonomy.occupations}
    for s in builtin.skills.values():
        if s.esco_uri and s.esco_uri in esco.taxonomy.skills:
            skill_id[s.esco_uri] = s.id
    for o in builtin.occupations.values():
        if o.esco_uri and o.esco_uri in esco.taxonomy.occupations:
            occ_id[o.esco_uri] = o.id

    def sk(uris: Iterable[str]) -> list[str]:
        return [skill_id[u] for u in uris if u in skill_id]

    def oc(uris: Iterable[str]) -> list[str]:
        return [occ_id[u] for u in uris if u in occ_id]

    skills = merged.taxonomy.skills
    for uri, e in esco.taxonomy.skills.items():
        if skill_id[uri] == uri:
            skills[uri] = replace(e, broader=sk(e.broader), related=sk(e.related), alt_en=list(e.alt_en))
    for s in builtin.skills.values():
        e = esco.taxonomy.skills.get(s.esco_uri or "")
        if e is None:
            skills[s.id] = replace(s, broader=list(s.broader), related=list(s.related))
            continue
        merged.esco_skills[s.id] = e
        skills[s.id] = replace(
            s,
            alt_en=_alt_union(s.label_en, s.alt_en, e.label_en, e.alt_en),
            alt_ko=list(s.alt_ko),
            description_en=s.description_en or e.description_en,
            broader=_union(s.broader, sk(e.broader), exclude=[s.id]),
            related=_union(s.related, sk(e.related), exclude=[s.id]),
        )
    for (src, dst), kind in esco.related_type.items():
        merged.related_type[(skill_id[src], skill_id[dst])] = kind
    for uri, groups in esco.group_links.items():
        merged.group_links[skill_id[uri]] = list(groups)

    occupations = merged.taxonomy.occupations
    for uri, e in esco.taxonomy.occupations.items():
        if occ_id[uri] == uri:
            occupations[uri] = replace(
                e,
                essential_skills=sk(e.essential_skills),
                optional_skills=sk(e.optional_skills),
                broader=oc(e.broader),
                alt_en=list(e.alt_en),
            )
    for o in builtin.occupations.values():
        e = esco.taxonomy.occupations.get(o.esco_uri or "")
        if e is None:
            occupations[o.id] = replace(
                o,
                essential_skills=list(o.essential_skills),
                optional_skills=list(o.optional_skills),
                broader=list(o.broader),
            )
            continue
        merged.esco_occupations[o.id] = e
        essential = _union(o.essential_skills, sk(e.essential_skills))
        occupations[o.id] = replace(
            o,
            alt_en=_alt_union(o.label_en, o.alt_en, e.label_en, e.alt_en),
            alt_ko=list(o.alt_ko),
            isco_code=o.isco_code or e.isco_code,
            description_en=o.description_en or e.description_en,
            essential_skills=essential,
            optional_skills=_union(o.optional_skills, sk(e.optional_skills), exclude=essential),
            broader=_union(o.broader, oc(e.broader), exclude=[o.id]),
        )
    return merged


def esco_layer(merged: EscoData) -> EscoData:
    """The ESCO data inside a merged taxonomy, with URI ids again (inverse of ``merge_with_builtin``).

    Built-in concepts without ESCO counterpart are left out; relations added by the built-in side are dropped.
    """
    tax = merged.taxonomy
    uri = {s.id: (s.esco_uri or s.id) for s in tax.skills.values()}
    occ_uri = {o.id: (o.esco_uri or o.id) for o in tax.occupations.values()}
    layer = EscoData(
        skill_groups=dict(merged.skill_groups), isco_groups=dict(merged.isco_groups), rows=dict(merged.rows)
    )
    for s in tax.skills.values():
        if s.builtin:
            e = merged.esco_skills.get(s.id)
            if e is not None:
                layer.taxonomy.skills[e.id] = e
        else:
            layer.taxonomy.skills[s.id] = replace(
                s, broader=[uri[b] for b in s.broader], related=[uri[r] for r in s.related]
            )
    for (src, dst), kind in merged.related_type.items():
        layer.related_type[(uri[src], uri[dst])] = kind
    for sid, groups in merged.group_links.items():
        layer.group_links[uri[sid]] = list(groups)
    for o in tax.occupations.values():
        if o.builtin:
            e = merged.esco_occupations.get(o.id)
            if e is not None:
                layer.taxonomy.occupations[e.id] = e
        else:
            layer.taxonomy.occupations[o.id] = replace(
                o,
                essential_skills=[uri[s] for s in o.essential_skills],
                optional_skills=[uri[s] for s in o.optional_skills],
                broader=[occ_uri[b] for b in o.broader],
            )
    return layer


def update_layer(old: EscoData, new: EscoData) -> EscoData:
    """``new`` (a newer ESCO release, URI ids) applied over ``old``: concepts in ``new`` replace theirs in
    ``old`` (labels, relations, everything); concepts only in ``old`` are kept, so ids that talents and
    openings refer to never disappear.
    """
    out = EscoData(
        skill_groups={**old.skill_groups, **new.skill_groups},
        isco_groups={**old.isco_groups, **new.isco_groups},
        skipped=list(new.skipped),
        rows=dict(new.rows),
    )
    out.taxonomy.skills = {**old.taxonomy.skills, **new.taxonomy.skills}
    out.taxonomy.occupations = {**old.taxonomy.occupations, **new.taxonomy.occupations}
    new_skills = new.taxonomy.skills
    for (src, dst), kind in old.related_type.items():
        if src not in new_skills:
            out.related_type[(src, dst)] = kind
    out.related_type.update(new.related_type)
    for sid, groups in old.group_links.items():
        if sid not in new_skills:
            out.group_links[sid] = groups
    out.group_links.update(new.group_links)
    return out
