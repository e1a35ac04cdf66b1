"""``read_esco``: the rows of an ESCO CSV download (``esco_files.py``) turned into ``EscoData`` with URI ids.

Every problem of the download is collected (file, line, column) and raised at once as ``ImportRejected``;
references to concepts that are not in the download are skipped and counted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from talentbridge.domain.errors import ImportRejected, Problem
from talentbridge.skills.esco import EscoData, IscoGroup, SkillGroup
from talentbridge.skills.esco_files import ESCO_FILES, Rows, discover
from talentbridge.skills.taxonomy import Occupation, Skill

__all__ = ["read_esco"]

_RELATION_TYPES = ("essential", "optional")
_MAX_PROBLEMS = 1000


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
    sources = discover(paths, problems)
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

    def rows(logical: str) -> Iterator[tuple[Rows, int, dict[str, str]]]:
        if logical not in sources or len(problems) >= _MAX_PROBLEMS:
            return
        reader = Rows(logical, sources[logical], ESCO_FILES[logical][1], problems)
        for line, row in reader:
            yield reader, line, row
        data.rows[logical] = reader.count

    def uri_of(reader: Rows, line: int, row: dict[str, str], column: str) -> str:
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

    def relation_type(reader: Rows, line: int, row: dict[str, str]) -> str:
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
