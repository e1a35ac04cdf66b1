"""Reading the skill taxonomy: search pages, one skill or occupation with its relations, counts.

The use cases behind ``GET /api/taxonomy/...`` and ``talentbridge taxonomy stats|search``. They read through a
``TaxonomyReader`` (implemented by ``storage.taxonomy_repository.TaxonomyRepository``) and answer plain dicts, so
the adapters neither build SQL nor know the repository class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from sqlalchemy.orm import Session

from talentbridge.domain.errors import NotFound
from talentbridge.skills.esco import IscoGroup, SkillGroup
from talentbridge.skills.taxonomy import Occupation, Skill

__all__ = [
    "TaxonomyReader",
    "occupation_detail",
    "occupation_page",
    "skill_detail",
    "skill_page",
    "taxonomy_overview",
    "taxonomy_reader",
]


class SearchResult(Protocol):
    items: list[Any]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int: ...


class Counts(Protocol):
    def as_dict(self) -> dict[str, int]: ...


class TaxonomyReader(Protocol):
    """What reading the taxonomy needs from storage."""

    def get_meta(self, key: str) -> Any: ...
    def counts(self) -> Counts: ...
    def get_skill(self, key: str) -> Skill | None: ...
    def get_occupation(self, key: str) -> Occupation | None: ...
    def related_types(self, skill_id: str) -> dict[str, str]: ...
    def isco_group(self, code: str) -> IscoGroup | None: ...
    def narrower(self, skill_id: str) -> list[str]: ...
    def skill_groups_of(self, skill_id: str) -> list[SkillGroup]: ...
    def occupations_needing(self, skill_id: str, limit: int = 50) -> list[tuple[str, str, str, str]]: ...
    def labels_of_skills(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]: ...
    def labels_of_occupations(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]: ...
    def search_skills(
        self,
        query: str = "",
        page: int = 1,
        size: int = 50,
        type: str | None = None,
        family: str | None = None,
        builtin: bool | None = None,
    ) -> SearchResult: ...
    def search_occupations(
        self, query: str = "", page: int = 1, size: int = 50, isco: str | None = None, builtin: bool | None = None
    ) -> SearchResult: ...


def taxonomy_reader(session: Session) -> TaxonomyReader:
    """The SQL implementation of ``TaxonomyReader`` over ``session``."""
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    return TaxonomyRepository(session)


ReaderOf = Callable[[Session], TaxonomyReader]


def skill_public(s: Skill) -> dict[str, Any]:
    return {
        "id": s.id, "uri": s.uri, "esco_uri": s.esco_uri, "label_en": s.label_en, "label_ko": s.label_ko,
        "alt_en": s.alt_en, "alt_ko": s.alt_ko, "type": s.type, "family": s.family,
        "description_en": s.description_en, "description_ko": s.description_ko, "builtin": s.builtin,
    }  # fmt: skip


def occupation_public(o: Occupation) -> dict[str, Any]:
    return {
        "id": o.id, "uri": o.uri, "esco_uri": o.esco_uri, "label_en": o.label_en, "label_ko": o.label_ko,
        "alt_en": o.alt_en, "alt_ko": o.alt_ko, "isco_code": o.isco_code, "description_en": o.description_en,
        "description_ko": o.description_ko, "builtin": o.builtin,
    }  # fmt: skip


def _refs(ids: list[str], labels: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    return [{"id": i, "label_en": labels[i][0], "label_ko": labels[i][1]} for i in ids if i in labels]


def _page(result: SearchResult, shape: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {
        "items": [shape(item) for item in result.items],
        "total": result.total,
        "page": result.page,
        "size": result.size,
        "pages": result.pages,
    }


def skill_page(
    session: Session,
    q: str = "",
    page: int = 1,
    size: int = 50,
    *,
    type: str | None = None,
    family: str | None = None,
    builtin: bool | None = None,
    reader: ReaderOf = taxonomy_reader,
) -> dict[str, Any]:
    """A page of skills whose labels contain ``q`` (ranked: exact, prefix, substring; built-in first)."""
    result = reader(session).search_skills(q, page, size, type=type, family=family, builtin=builtin)
    return _page(result, skill_public)


def occupation_page(
    session: Session,
    q: str = "",
    page: int = 1,
    size: int = 50,
    *,
    isco: str | None = None,
    builtin: bool | None = None,
    reader: ReaderOf = taxonomy_reader,
) -> dict[str, Any]:
    """A page of occupations by label; ``isco`` filters by ISCO-08 code prefix."""
    result = reader(session).search_occupations(q, page, size, isco=isco, builtin=builtin)
    return _page(result, occupation_public)


def skill_detail(session: Session, skill_id: str, *, reader: ReaderOf = taxonomy_reader) -> dict[str, Any]:
    """One skill (id or URI) with broader, narrower and related skills, its groups and the occupations needing
    it (at most 50); ``NotFound`` when there is none."""
    repo = reader(session)
    skill = repo.get_skill(skill_id)
    if skill is None:
        raise NotFound("skill", skill_id)
    narrower = repo.narrower(skill.id)
    labels = repo.labels_of_skills([*skill.broader, *skill.related, *narrower])
    types = repo.related_types(skill.id)
    return {
        **skill_public(skill),
        "broader": _refs(skill.broader, labels),
        "narrower": _refs(narrower, labels),
        "related": [{**r, "relation_type": types.get(r["id"], "")} for r in _refs(skill.related, labels)],
        "groups": [{"uri": g.uri, "label_en": g.label_en} for g in repo.skill_groups_of(skill.id)],
        "occupations": [
            {"id": oid, "label_en": en, "label_ko": ko, "relation": relation}
            for oid, en, ko, relation in repo.occupations_needing(skill.id)
        ],
    }


def occupation_detail(session: Session, occupation_id: str, *, reader: ReaderOf = taxonomy_reader) -> dict[str, Any]:
    """One occupation (id or URI) with its ISCO group, broader occupations and essential/optional skills."""
    repo = reader(session)
    occ = repo.get_occupation(occupation_id)
    if occ is None:
        raise NotFound("occupation", occupation_id)
    labels = repo.labels_of_skills([*occ.essential_skills, *occ.optional_skills])
    group = repo.isco_group(occ.isco_code) if occ.isco_code else None
    return {
        **occupation_public(occ),
        "isco_group": None if group is None else {"code": group.code, "label_en": group.label_en},
        "broader": _refs(occ.broader, repo.labels_of_occupations(occ.broader)),
        "essential_skills": _refs(occ.essential_skills, labels),
        "optional_skills": _refs(occ.optional_skills, labels),
    }


def taxonomy_overview(session: Session, *, reader: ReaderOf = taxonomy_reader) -> tuple[dict[str, int], Any]:
    """The counts of skills, occupations, labels and relations, and the record of the last ESCO import (or
    None when ESCO was never imported)."""
    from talentbridge.services.taxonomy import ESCO_IMPORT_KEY

    repo = reader(session)
    return repo.counts().as_dict(), repo.get_meta(ESCO_IMPORT_KEY)
