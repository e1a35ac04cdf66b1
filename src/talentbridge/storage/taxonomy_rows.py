"""Skills and occupations as rows of the taxonomy tables and back.

The rows of a concept's labels (each with its ``normalize_label`` form, the one labels are searched in), a concept's
ESCO side as JSON, stored rows back to ``Skill`` and ``Occupation``; rows are written and read in chunks. Shared by
the parts of ``taxonomy_repository.TaxonomyRepository``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from talentbridge.skills.taxonomy import Occupation, Skill
from talentbridge.storage.taxonomy_tables import OccupationRow, SkillRow

__all__ = ["CHUNK", "chunks", "esco_json", "label_rows", "normalize_label", "occupation_from_row", "skill_from_row"]

T = TypeVar("T")

CHUNK = 5000


def normalize_label(text: str) -> str:
    """The form labels are searched in: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


def chunks(rows: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    chunk: list[T] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def label_rows(key: str, concept: Skill | Occupation) -> Iterator[dict[str, Any]]:
    """The label rows of ``concept`` (its id in column ``key``): preferred and alternative, English and Korean, each once."""
    seen: set[tuple[str, str]] = set()
    for lang, preferred, labels in (
        ("en", True, [concept.label_en]),
        ("ko", True, [concept.label_ko]),
        ("en", False, concept.alt_en),
        ("ko", False, concept.alt_ko),
    ):
        for label in labels:
            if label and (lang, label) not in seen:
                seen.add((lang, label))
                yield {
                    key: concept.id,
                    "lang": lang,
                    "label": label,
                    "norm": normalize_label(label),
                    "preferred": preferred,
                }


def esco_json(concept: Skill | Occupation | None) -> dict[str, Any] | None:
    """The ESCO side of a concept as it is stored (JSON; None: none)."""
    return None if concept is None else dataclasses.asdict(concept)


def skill_from_row(r: SkillRow) -> Skill:
    """A stored skill, without its relations."""
    return Skill(
        id=r.id,
        label_en=r.label_en,
        label_ko=r.label_ko,
        alt_en=list(r.alt_en or []),
        alt_ko=list(r.alt_ko or []),
        type=r.type,  # type: ignore[arg-type]
        description_en=r.description_en,
        description_ko=r.description_ko,
        family=r.family,
        esco_uri=r.esco_uri,
        builtin=r.builtin,
    )


def occupation_from_row(r: OccupationRow) -> Occupation:
    """A stored occupation, without its skills."""
    return Occupation(
        id=r.id,
        label_en=r.label_en,
        label_ko=r.label_ko,
        alt_en=list(r.alt_en or []),
        alt_ko=list(r.alt_ko or []),
        isco_code=r.isco_code,
        description_en=r.description_en,
        description_ko=r.description_ko,
        broader=list(r.broader or []),
        esco_uri=r.esco_uri,
        builtin=r.builtin,
    )
