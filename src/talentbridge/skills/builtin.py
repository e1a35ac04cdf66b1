"""The built-in AI taxonomy: skills and occupations written for this project, shipped as JSON Lines.

Files (in ``talentbridge/skills/data``, read through ``importlib.resources`` so they work from a wheel):

* ``skills_core.jsonl`` and ``skills_industry.jsonl`` — one skill per line: ``id, type, family,
  label_en, label_ko, alt_en, alt_ko, description_en, description_ko, broader, related, esco_uri``;
* ``occupations.jsonl`` — one occupation per line: ``id, label_en, label_ko, alt_en, alt_ko, isco_code,
  description_en, description_ko, essential_skills, optional_skills, broader, esco_uri``.

``load_builtin()`` validates everything in one pass and reports every problem at once
(``ImportRejected`` whose ``problems`` name file, line, field and id): unique ids, unique ESCO URIs,
Korean labels present, known types, every ``broader``/``related``/``essential_skills``/``optional_skills``
reference resolving to a built-in concept (a reference may also be the ESCO URI of a built-in concept; it
is rewritten to that concept's id), and no cycle in ``broader``. ``builtin_content_hash()`` is a cheap
fingerprint of the shipped files, for caches and for deciding whether the database copy is up to date.

Pure: standard library only, nothing happens at import time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from talentbridge.domain.errors import ImportRejected, Problem
from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy

__all__ = [
    "SKILL_FILES",
    "OCCUPATION_FILES",
    "SourceFile",
    "load_builtin",
    "load_builtin_lenient",
    "builtin_content_hash",
    "builtin_sources",
    "parse_taxonomy",
]

SKILL_FILES: tuple[str, ...] = ("skills_core.jsonl", "skills_industry.jsonl", "skills_tech.jsonl")
OCCUPATION_FILES: tuple[str, ...] = ("occupations.jsonl",)

#: Bump when the meaning of the files changes without their bytes changing (forces a database reload).
FORMAT_VERSION = "1"

_SKILL_TYPES = ("skill", "knowledge", "tool")
_DATA_PACKAGE = "talentbridge.skills"
_DATA_DIR = "data"


@dataclass(frozen=True)
class SourceFile:
    """One JSON Lines file: its name (used in error messages) and its text."""

    name: str
    text: str


def builtin_sources() -> tuple[list[SourceFile], list[SourceFile]]:
    """The shipped (skill files, occupation files). A file that is not in the package is skipped."""
    root = resources.files(_DATA_PACKAGE).joinpath(_DATA_DIR)

    def read(names: Sequence[str]) -> list[SourceFile]:
        out = []
        for name in names:
            entry = root.joinpath(name)
            if entry.is_file():
                out.append(SourceFile(name, entry.read_bytes().decode("utf-8")))
        return out

    return read(SKILL_FILES), read(OCCUPATION_FILES)


def builtin_content_hash() -> str:
    """SHA-256 (hex) of the shipped files' names, bytes and the format version; changes iff the data does."""
    digest = hashlib.sha256(f"talentbridge-builtin-taxonomy/{FORMAT_VERSION}\n".encode())
    skills, occupations = builtin_sources()
    for source in (*skills, *occupations):
        data = source.text.encode("utf-8")
        digest.update(f"{source.name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def load_builtin() -> Taxonomy:
    """Parse and validate the shipped taxonomy.

    Returns a fresh ``Taxonomy`` (callers may change it) whose concepts all have ``builtin=True``.
    Raises ``ImportRejected`` listing every problem (file, line, field, offending id) if the data is invalid.
    Cost: a few milliseconds for ~1,000 lines.
    """
    skills, occupations = builtin_sources()
    return parse_taxonomy(skills, occupations)


def load_builtin_lenient() -> tuple[Taxonomy, list[Problem]]:
    """Like ``load_builtin`` but never raises: returns the usable part and the problems.

    Unparseable lines and duplicate ids (the first definition wins) are dropped, unresolved references are
    removed, and cycles in ``broader`` are broken. For ``db upgrade``, which should not fail on data that the
    test suite (``tests/skills/test_builtin.py``) rejects anyway.
    """
    skills, occupations = builtin_sources()
    problems: list[Problem] = []
    return _parse(skills, occupations, problems), problems


# -- parsing ------------------------------------------------------------------------------------------------


def _records(source: SourceFile, problems: list[Problem]) -> Iterable[tuple[int, dict[str, Any]]]:
    for line_no, line in enumerate(source.text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem((source.name,), f"not valid JSON: {exc.msg}", type="json", line=line_no))
            continue
        if not isinstance(record, dict):
            problems.append(Problem((source.name,), "expected a JSON object", type="json", line=line_no))
            continue
        yield line_no, record


class _Fields:
    """Typed access to one record's fields, recording a Problem for each bad one."""

    def __init__(self, source: str, line: int, record: dict[str, Any], problems: list[Problem]) -> None:
        self.source, self.line, self.record, self.problems = source, line, record, problems

    def problem(self, field: str, msg: str, value: Any = None, kind: str = "invalid") -> None:
        self.problems.append(Problem((self.source, field), msg, value=value, type=kind, line=self.line))

    def text(self, field: str, required: bool = False) -> str:
        value = self.record.get(field)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(field, "must be a string", value)
            return ""
        value = value.strip()
        if required and not value:
            self.problem(field, "is required", kind="missing")
        return value

    def strings(self, field: str) -> list[str]:
        value = self.record.get(field)
        if value is None:
            return []
        if isinstance(value, str):  # tolerate a single string where a list is expected
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(field, "must be a list of strings", value)
            return []
        seen: dict[str, None] = {}
        for v in value:
            if v.strip():
                seen.setdefault(v.strip(), None)
        return list(seen)


@dataclass
class _Where:
    source: str
    line: int


def parse_taxonomy(skill_files: Sequence[SourceFile], occupation_files: Sequence[SourceFile]) -> Taxonomy:
    """Parse and validate JSON Lines skill and occupation files into a ``Taxonomy`` (see module docstring).

    Raises ``ImportRejected`` with every problem found; returns only when the whole taxonomy is valid.
    """
    problems: list[Problem] = []
    taxonomy = _parse(skill_files, occupation_files, problems)
    if problems:
        raise ImportRejected(
            f"the built-in taxonomy is invalid ({len(problems)} problem{'s' if len(problems) != 1 else ''})",
            problems=problems,
        )
    return taxonomy


def _parse(
    skill_files: Sequence[SourceFile], occupation_files: Sequence[SourceFile], problems: list[Problem]
) -> Taxonomy:
    taxonomy = Taxonomy()
    where: dict[tuple[str, str], _Where] = {}
    uri_owner: dict[str, tuple[str, str]] = {}  # esco_uri -> (kind, id)

    for source in skill_files:
        for line, record in _records(source, problems):
            f = _Fields(source.name, line, record, problems)
            skill_id = f.text("id", required=True)
            skill_type = f.text("type") or "skill"
            if skill_type not in _SKILL_TYPES:
                f.problem("type", f"must be one of {', '.join(_SKILL_TYPES)}", skill_type)
            skill = Skill(
                id=skill_id,
                label_en=f.text("label_en", required=True),
                label_ko=f.text("label_ko", required=True),
                alt_en=f.strings("alt_en"),
                alt_ko=f.strings("alt_ko"),
                type=skill_type if skill_type in _SKILL_TYPES else "skill",  # type: ignore[arg-type]
                description_en=f.text("description_en"),
                description_ko=f.text("description_ko"),
                family=f.text("family"),
                broader=f.strings("broader"),
                related=f.strings("related"),
                esco_uri=f.text("esco_uri") or None,
                builtin=True,
            )
            if not skill_id:
                continue
            _register(taxonomy.skills, "skill", skill, _Where(source.name, line), where, uri_owner, problems)

    for source in occupation_files:
        for line, record in _records(source, problems):
            f = _Fields(source.name, line, record, problems)
            occ_id = f.text("id", required=True)
            isco = f.text("isco_code")
            if isco and not (isco.isdigit() and 1 <= len(isco) <= 4):
                f.problem("isco_code", "must be 1 to 4 digits (ISCO-08)", isco)
            occupation = Occupation(
                id=occ_id,
                label_en=f.text("label_en", required=True),
                label_ko=f.text("label_ko", required=True),
                alt_en=f.strings("alt_en"),
                alt_ko=f.strings("alt_ko"),
                isco_code=isco,
                description_en=f.text("description_en"),
                description_ko=f.text("description_ko"),
                essential_skills=f.strings("essential_skills"),
                optional_skills=f.strings("optional_skills"),
                broader=f.strings("broader"),
                esco_uri=f.text("esco_uri") or None,
                builtin=True,
            )
            if not occ_id:
                continue
            _register(
                taxonomy.occupations,
                "occupation",
                occupation,
                _Where(source.name, line),
                where,
                uri_owner,
                problems,
            )

    _resolve_references(taxonomy, where, problems)
    return taxonomy


def _register(
    bucket: dict[str, Any],
    kind: str,
    concept: Skill | Occupation,
    at: _Where,
    where: dict[tuple[str, str], _Where],
    uri_owner: dict[str, tuple[str, str]],
    problems: list[Problem],
) -> None:
    if concept.id in bucket:
        first = where[(kind, concept.id)]
        problems.append(
            Problem(
                (at.source, "id"),
                f"duplicate {kind} id (first defined in {first.source} line {first.line})",
                value=concept.id,
                type="duplicate",
                line=at.line,
            )
        )
        return
    if concept.esco_uri:
        owner = uri_owner.get(concept.esco_uri)
        if owner is not None:
            first = where[owner]
            problems.append(
                Problem(
                    (at.source, "esco_uri"),
                    f"ESCO URI already used by {owner[0]} {owner[1]!r} ({first.source} line {first.line})",
                    value=concept.esco_uri,
                    type="duplicate",
                    line=at.line,
                )
            )
        else:
            uri_owner[concept.esco_uri] = (kind, concept.id)
    bucket[concept.id] = concept
    where[(kind, concept.id)] = at


def _resolve_references(taxonomy: Taxonomy, where: dict[tuple[str, str], _Where], problems: list[Problem]) -> None:
    skill_ids = {s.esco_uri: s.id for s in taxonomy.skills.values() if s.esco_uri}
    skill_ids.update({sid: sid for sid in taxonomy.skills})
    occ_ids = {o.esco_uri: o.id for o in taxonomy.occupations.values() if o.esco_uri}
    occ_ids.update({oid: oid for oid in taxonomy.occupations})

    def resolve(
        kind: str, owner_id: str, field: str, refs: list[str], targets: dict[str, str], target: str
    ) -> list[str]:
        out: list[str] = []
        for ref in refs:
            resolved = targets.get(ref)
            if resolved is None:
                at = where[(kind, owner_id)]
                problems.append(
                    Problem(
                        (at.source, field),
                        f"{kind} {owner_id!r} refers to unknown {target} {ref!r}",
                        value=ref,
                        type="unresolved",
                        line=at.line,
                    )
                )
            elif resolved == owner_id and target == kind:
                at = where[(kind, owner_id)]
                problems.append(
                    Problem((at.source, field), f"{kind} {owner_id!r} refers to itself", value=ref, line=at.line)
                )
            elif resolved not in out:
                out.append(resolved)
        return out

    for skill in taxonomy.skills.values():
        skill.broader = resolve("skill", skill.id, "broader", skill.broader, skill_ids, "skill")
        skill.related = resolve("skill", skill.id, "related", skill.related, skill_ids, "skill")
    for occ in taxonomy.occupations.values():
        occ.essential_skills = resolve(
            "occupation", occ.id, "essential_skills", occ.essential_skills, skill_ids, "skill"
        )
        occ.optional_skills = resolve("occupation", occ.id, "optional_skills", occ.optional_skills, skill_ids, "skill")
        occ.optional_skills = [s for s in occ.optional_skills if s not in occ.essential_skills]
        occ.broader = resolve("occupation", occ.id, "broader", occ.broader, occ_ids, "occupation")

    for kind, parents in (
        ("skill", {s.id: s.broader for s in taxonomy.skills.values()}),
        ("occupation", {o.id: o.broader for o in taxonomy.occupations.values()}),
    ):
        for node, cycle_start in _cycles(parents):
            parents[node].remove(cycle_start)  # break the cycle (the lists are the concepts' own)
            at = where[(kind, cycle_start)]
            problems.append(
                Problem(
                    (at.source, "broader"),
                    f"{kind} {cycle_start!r} is its own ancestor (a cycle in broader)",
                    value=cycle_start,
                    type="cycle",
                    line=at.line,
                )
            )


def _cycles(parents: dict[str, list[str]]) -> list[tuple[str, str]]:
    """One edge (child, parent) closing each cycle in the ``parents`` graph (iterative DFS, linear time)."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    found: list[tuple[str, str]] = []
    for root in parents:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            children = parents.get(node, [])
            if i < len(children):
                stack[-1] = (node, i + 1)
                child = children[i]
                if state.get(child) == 1:
                    found.append((node, child))
                elif child not in state:
                    state[child] = 1
                    stack.append((child, 0))
            else:
                state[node] = 2
                stack.pop()
    return found
