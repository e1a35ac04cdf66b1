"""What every recommendation use case shares over one session: settings, the registry, the date, the taxonomy's
skill graph (cached per process), organizations' affiliates, hard-constraint contexts, weights and the encoder of
the ``text`` criterion.

``TalentIndexService`` (``talent_index.py``), ``RecommendationService`` (``recommendations.py``) and
``BatchRecommendService`` (``recommend_batch.py``) each take one ``MatchingContext``; sharing it shares these
caches within a request or a command.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.domain import Opening
from talentbridge.domain.enums import OpeningKind, OpeningStatus
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.matching import OpeningContext, SkillGraph, weights_for
from talentbridge.matching.constraints import Affiliates
from talentbridge.matching.weights import FitWeights
from talentbridge.services.recommend_cache import DataVersion
from talentbridge.services.registry import Registry, registry
from talentbridge.services.text_embeddings import TextEmbeddings, text_embeddings_for
from talentbridge.skills.taxonomy import Taxonomy

__all__ = ["MatchingContext", "check_top", "reset_graphs"]

_lock = threading.RLock()
_graphs: dict[int, tuple[Taxonomy, SkillGraph]] = {}


def reset_graphs() -> None:
    with _lock:
        _graphs.clear()


def check_top(top: int) -> None:
    if not 1 <= top <= 1000:
        raise ValidationFailed("invalid top", [Problem(loc=("query", "top"), msg="between 1 and 1000", value=top)])


class MatchingContext:
    """The shared pieces of the recommendation use cases over one session. ``today`` fixes the date
    constraints and experience are computed at."""

    def __init__(
        self,
        settings: Settings,
        session: Session,
        *,
        today: date | None = None,
        text: TextEmbeddings | None = None,
    ) -> None:
        self.settings = settings
        self.session = session
        self.repos: Registry = registry(session)
        self.today = today or date.today()
        self._affiliates: Affiliates | None = None
        self._text = text
        self._taxonomy: tuple[Taxonomy, SkillGraph] | None = None
        #: The data version a cached list is being computed for (``recommend_cache``), read in this session: its
        #: taxonomy stamp and the openings' and organizations' stamps are used instead of reading them again.
        self.known: DataVersion | None = None

    @property
    def text(self) -> TextEmbeddings:
        """Encoder and stores of the ``text`` criterion (``text_embeddings.text_embeddings_for`` by default)."""
        if self._text is None:
            self._text = text_embeddings_for(self.settings)
        return self._text

    @property
    def taxonomy_and_graph(self) -> tuple[Taxonomy, SkillGraph]:
        """The stored taxonomy and its skill graph, read once per context (a request, a command or a job works
        with one taxonomy throughout)."""
        if self._taxonomy is not None:
            return self._taxonomy
        known = self.known
        taxonomy = _load_taxonomy(self.session, None if known is None else known.taxonomy_stamp)
        with _lock:
            hit = _graphs.get(id(taxonomy))
            if hit is None or hit[0] is not taxonomy:
                hit = _graphs[id(taxonomy)] = (taxonomy, SkillGraph(taxonomy))
        self._taxonomy = hit
        return hit

    def openings_signature(self) -> dict[str, Any] | None:
        """The openings' and organizations' stamps from ``known`` (None: to be read)."""
        if self.known is None:
            return None
        return {name: self.known.table(name) for name in ("openings", "organizations")}

    @property
    def graph(self) -> SkillGraph:
        return self.taxonomy_and_graph[1]

    @property
    def affiliates(self) -> Affiliates:
        if self._affiliates is None:
            self._affiliates = Affiliates({o.id: o for o in self.repos.organizations.iter_all()})
        return self._affiliates

    def context(self, opening: Opening) -> OpeningContext:
        affiliates = (
            self.affiliates.of(opening.organization_id) if opening.kind == OpeningKind.SECONDMENT_SLOT else frozenset()
        )
        return OpeningContext(opening, affiliate_ids=affiliates, today=self.today)

    def weights(self, opening: Opening, program_settings: dict[str, Any] | None = None) -> FitWeights:
        """Default weights of the opening's kind, overridden by a programme's ``settings["fit_weights"]``."""
        return weights_for(opening.kind, (program_settings or {}).get("fit_weights"))

    def program_settings(self, program_id: int | None) -> dict[str, Any] | None:
        return None if program_id is None else self.repos.programs.get(program_id).settings

    def open_openings(self) -> Iterator[Opening]:
        """Open openings whose deadline has not passed, in id order."""
        for o in self.repos.openings.iter_all(batch_size=5000, filters={"status": OpeningStatus.OPEN.value}):
            if o.deadline is None or o.deadline >= self.today:
                yield o

    _open_openings = open_openings  # the name before the split (tests of one release)


def _load_taxonomy(session: Session, stamp: str | None = None) -> Taxonomy:
    from talentbridge.services.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(session, stamp)
    return taxonomy if len(taxonomy) else _builtin_taxonomy()


_builtin_cache: list[Taxonomy] = []


def _builtin_taxonomy() -> Taxonomy:
    if not _builtin_cache:
        from talentbridge.skills.builtin import load_builtin_lenient

        _builtin_cache.append(load_builtin_lenient()[0])
    return _builtin_cache[0]
