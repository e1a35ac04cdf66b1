"""Taxonomy look-ups for pickers in forms: skills by label (Korean or English) and occupation names."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from talentbridge.storage.taxonomy_repository import TaxonomyRepository

__all__ = ["find_skills", "occupation_labels", "skill_exists", "skill_labels"]


def find_skills(session: Session, query: str, size: int = 12) -> list[Any]:
    """Skills whose label in any language contains ``query``, best first (exact, prefix, built-in, short)."""
    return list(TaxonomyRepository(session).search_skills(query, 1, size).items)


def skill_exists(session: Session, skill_id: str) -> bool:
    return TaxonomyRepository(session).get_skill(skill_id) is not None


def occupation_labels(session: Session, builtin_only: bool = True) -> dict[str, tuple[str, str]]:
    """Occupation id → (English, Korean) label: the built-in roles (about a hundred)."""
    page = TaxonomyRepository(session).search_occupations("", 1, 500, builtin=True if builtin_only else None)
    return {o.id: (o.label_en, o.label_ko) for o in page.items}


def skill_labels(session: Session, ids: list[str], lang: str) -> dict[str, str]:
    """Skill id → its label in ``lang`` (Korean falls back to English; an unknown id stays as it is)."""
    found = TaxonomyRepository(session).labels_of_skills(list(dict.fromkeys(ids)))
    out = {}
    for sid in ids:
        en, ko = found.get(sid, (sid, ""))
        out[sid] = (ko or en) if lang == "ko" else en
    return out
