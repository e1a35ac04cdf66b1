"""``RecommendService``: the one-object facade over the three recommendation services, kept for one release.

The use cases now live in services named after what they do:

- ``talent_index.TalentIndexService`` — build, keep in step and rebuild the talent index;
- ``recommendations.RecommendationService`` — talents for an opening, openings for a talent;
- ``recommend_batch.BatchRecommendService`` — batch runs (JSON Lines) and the fairness audit of shortlists;

all over one ``recommend_context.MatchingContext`` (settings, session, date, skill graph, text encoder). New code
should use them directly; this module re-exports the old public names so callers written against it keep
working while branches merge.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.matching.retrieval import TalentIndex
from talentbridge.services.recommend_batch import DIRECTIONS, BatchRecommendService
from talentbridge.services.recommend_context import MatchingContext
from talentbridge.services.recommendations import OpeningFilters, RecommendationService, TalentFilters
from talentbridge.services.talent_index import (
    API_SYNC_INTERVAL,
    Progress,
    TalentIndexService,
    on_talent_changed,
    reset_indexes,
)
from talentbridge.services.text_embeddings import TextEmbeddings

__all__ = [
    "RecommendService",
    "TalentFilters",
    "OpeningFilters",
    "on_talent_changed",
    "reset_indexes",
    "DIRECTIONS",
    "API_SYNC_INTERVAL",
]


class RecommendService(MatchingContext):
    """The three recommendation services over one shared context, under the method names of before the split."""

    def __init__(
        self,
        settings: Settings,
        session: Session,
        *,
        today: date | None = None,
        text: TextEmbeddings | None = None,
    ) -> None:
        super().__init__(settings, session, today=today, text=text)
        self.talent_index = TalentIndexService(self)
        self.recommendations = RecommendationService(self, self.talent_index)
        self.batches = BatchRecommendService(self, self.talent_index, self.recommendations)

    @property
    def sync_interval(self) -> float:
        return self.talent_index.sync_interval

    @sync_interval.setter
    def sync_interval(self, seconds: float) -> None:
        self.talent_index.sync_interval = seconds

    @property
    def index_dir(self) -> Path:
        return self.talent_index.index_dir

    def index(self) -> TalentIndex:
        return self.talent_index.index()

    def rebuild_index(self, progress: Progress | None = None) -> dict[str, Any]:
        return self.talent_index.rebuild_index(progress)

    def talents_for_opening(self, opening_id: int, top: int = 20, filters: TalentFilters | None = None,
                            **options: Any) -> dict[str, Any]:  # fmt: skip
        return self.recommendations.talents_for_opening(opening_id, top, filters, **options)

    def openings_for_talent(self, talent_id: int, top: int = 20, filters: OpeningFilters | None = None,
                            **options: Any) -> dict[str, Any]:  # fmt: skip
        return self.recommendations.openings_for_talent(talent_id, top, filters, **options)

    def batch(self, direction: str, top: int, output: Path, **options: Any) -> dict[str, Any]:
        return self.batches.batch(direction, top, output, **options)

    def audit(self, top: int = 20, limit: int | None = 1000) -> dict[str, Any]:
        return self.batches.audit(top, limit)
