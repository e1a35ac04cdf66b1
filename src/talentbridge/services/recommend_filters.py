"""Filters of recommendation lists on top of the hard constraints: talents for an opening (region, nationality,
score) and openings for a talent (kind, region, remote, organisation, score), as the web, API and CLI pass them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from talentbridge.domain import Opening
from talentbridge.domain.enums import OpeningKind, Region
from talentbridge.matching.criteria import REGION_CODE
from talentbridge.matching.opening_scores import OPENING_KINDS, OpeningColumns
from talentbridge.matching.retrieval import SearchFilters

__all__ = ["OpeningFilters", "TalentFilters"]


@dataclass(frozen=True)
class TalentFilters:
    """Optional filters of talents-for-opening (on top of the hard constraints)."""

    regions: tuple[Region, ...] = ()
    nationality: str | None = None  # "korean" or "foreign"
    min_score: float = 0.0

    def search(self) -> SearchFilters:
        foreign = None if self.nationality is None else self.nationality == "foreign"
        codes = frozenset(REGION_CODE[Region(r)] for r in self.regions) if self.regions else None
        return SearchFilters(regions=codes, foreign=foreign, min_score=self.min_score)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": [str(r) for r in self.regions],
            "nationality": self.nationality,
            "min_score": self.min_score,
        }


@dataclass(frozen=True)
class OpeningFilters:
    kinds: tuple[OpeningKind, ...] = ()
    regions: tuple[Region, ...] = ()
    remote: bool | None = None
    organization_id: int | None = None
    min_score: float = 0.0

    def keep(self, o: Opening) -> bool:
        if self.kinds and OpeningKind(o.kind) not in self.kinds:
            return False
        if self.regions and (o.region is None or Region(o.region) not in self.regions) and not o.remote:
            return False
        if self.remote is not None and o.remote != self.remote:
            return False
        return self.organization_id is None or o.organization_id == self.organization_id

    def mask(self, cols: OpeningColumns) -> np.ndarray:
        """``keep`` of every compiled opening at once."""
        out = np.ones(len(cols), dtype=bool)
        if self.kinds:
            out &= np.isin(cols.kind, [OPENING_KINDS.index(OpeningKind(k)) for k in self.kinds])
        if self.regions:
            out &= np.isin(cols.region, [REGION_CODE[Region(r)] for r in self.regions]) | cols.remote
        if self.remote is not None:
            out &= cols.remote == self.remote
        if self.organization_id is not None:
            out &= cols.organization == self.organization_id
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": [str(k) for k in self.kinds],
            "region": [str(r) for r in self.regions],
            "remote": self.remote,
            "organization_id": self.organization_id,
            "min_score": self.min_score,
        }
