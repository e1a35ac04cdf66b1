"""Search of the stored taxonomy by label (a part of ``taxonomy_repository.TaxonomyRepository``).

Skills and occupations whose label (any language, preferred or alternative) contains the query, case-insensitively,
ranked, a page at a time (``SearchPage``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from talentbridge.storage.entity_repository import escape_like
from talentbridge.storage.taxonomy_rows import normalize_label, occupation_from_row, skill_from_row
from talentbridge.storage.taxonomy_tables import OccupationLabelRow, OccupationRow, SkillLabelRow, SkillRow

__all__ = ["SearchPage", "TaxonomySearch"]


@dataclass
class SearchPage:
    """One page of search results (``page`` is 1-based)."""

    items: list[Any]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


class TaxonomySearch:
    """Skills and occupations by label, through ``session``."""

    session: Session

    def search_skills(
        self,
        query: str = "",
        page: int = 1,
        size: int = 50,
        type: str | None = None,
        family: str | None = None,
        builtin: bool | None = None,
    ) -> SearchPage:
        """Skills whose label (any language, preferred or alternative) contains ``query``, case-insensitively.

        Ranked: exact label, then label starting with the query, then containing it; built-in first; then
        shorter labels. Items are ``Skill`` without relations. ``page`` is 1-based.
        """
        filters = []
        if type:
            filters.append(SkillRow.type == type)
        if family:
            filters.append(SkillRow.family == family)
        if builtin is not None:
            filters.append(SkillRow.builtin.is_(builtin))
        return self._search(
            SkillRow, SkillLabelRow, SkillLabelRow.skill_id, query, page, size, filters, skill_from_row
        )

    def search_occupations(
        self,
        query: str = "",
        page: int = 1,
        size: int = 50,
        isco: str | None = None,
        builtin: bool | None = None,
    ) -> SearchPage:
        """Occupations by label, ranked like ``search_skills``; ``isco`` filters by ISCO code prefix."""
        filters = []
        if isco:
            filters.append(OccupationRow.isco_code.like(escape_like(isco) + "%", escape="\\"))
        if builtin is not None:
            filters.append(OccupationRow.builtin.is_(builtin))
        return self._search(
            OccupationRow,
            OccupationLabelRow,
            OccupationLabelRow.occupation_id,
            query,
            page,
            size,
            filters,
            occupation_from_row,
        )

    def _search(
        self,
        concept: Any,
        labels: Any,
        label_owner: Any,
        query: str,
        page: int,
        size: int,
        filters: list[Any],
        convert: Callable[[Any], Any],
    ) -> SearchPage:
        page = max(1, page)
        size = max(1, size)
        q = normalize_label(query)
        if q:
            escaped = escape_like(q)
            rank = case(
                (labels.norm == q, 0),
                (labels.norm.like(escaped + "%", escape="\\"), 1),
                else_=2,
            )
            hits = (
                select(label_owner.label("owner"), func.min(rank).label("rank"))
                .where(labels.norm.like("%" + escaped + "%", escape="\\"))
                .group_by(label_owner)
                .subquery()
            )
            base = select(concept).join(hits, hits.c.owner == concept.id).where(*filters)
            order = [hits.c.rank, concept.builtin.desc(), func.length(concept.label_en), concept.label_en]
        else:
            base = select(concept).where(*filters)
            order = [concept.builtin.desc(), concept.label_en]
        total = int(self.session.execute(select(func.count()).select_from(base.subquery())).scalar_one())
        rows = self.session.execute(base.order_by(*order, concept.id).offset((page - 1) * size).limit(size))
        return SearchPage([convert(r) for r in rows.scalars()], total, page, size)
