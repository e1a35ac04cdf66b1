"""The talent index built from the registry, with its profile-text embeddings (a part of
``talent_index.TalentIndexService``).

``_build`` reads every talent into index columns (``TalentColumns``) and builds the ``TalentIndex`` over them;
``_upsert`` puts changed talents into a loaded index. Talent text embeddings sit in the index columns, refilled from
the on-disk store by text hash (``TalentTexts``, ``text_keys.npy`` beside the index): ``_fill_texts`` takes them from
the store and encodes texts not encoded yet within a time budget per request (all of them in ``rebuild_index`` and
batch runs: ``encode_all``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from talentbridge.domain import Talent
from talentbridge.matching.columns import SkillVocab, TalentColumns
from talentbridge.matching.retrieval import TalentIndex
from talentbridge.services.compared_texts import talent_text
from talentbridge.services.recommend_context import MatchingContext
from talentbridge.services.talent_index_state import _key, _lock, _texts
from talentbridge.services.talent_texts import TalentTexts

__all__ = ["Progress", "TalentIndexBuild"]

Progress = Callable[[int, int], None]


class TalentIndexBuild:
    """Building the talent index of ``ctx``'s database and filling its text embeddings."""

    ctx: MatchingContext

    @property
    def key(self) -> str:
        return _key(self.ctx.settings)

    def encode_all(self, idx: TalentIndex) -> None:
        """Encode every profile text not encoded yet (batch runs): encoded into the store outside the lock, then
        put into the columns under it."""
        with _lock:
            tt = _texts[self.key]
            tt.grow(len(idx.columns))
            keys = tt.keys[tt.pending(idx.columns.alive)].copy()
            ids = idx.columns.ids[tt.pending(idx.columns.alive)].copy()
        if self.ctx.text.active and keys.size:

            def texts_of(positions: np.ndarray) -> list[str]:
                wanted = [int(i) for i in ids[positions]]
                found = self.ctx.repos.talents.get_many(wanted)
                return [talent_text(found[i]) if i in found else "" for i in wanted]

            self.ctx.text.lookup("talents", keys, texts_of, budget=None)
        with _lock:
            self._fill_texts(idx, None)

    def text_states(self, rows: np.ndarray) -> list[str]:
        """Per index row: whether its profile text was compared, is pending, or there is none."""
        return _texts[self.key].state(rows)

    def _talent_columns(self, talents: Iterable[Talent], vocab: SkillVocab) -> TalentColumns:
        return TalentColumns.from_talents(list(talents), vocab=vocab, today=self.ctx.today)

    def _build(self, progress: Progress | None = None, *, budget: float | None) -> tuple[TalentIndex, TalentTexts]:
        taxonomy, graph = self.ctx.taxonomy_and_graph
        vocab = SkillVocab()
        parts = []
        texts: list[str] = []
        batch: list[Talent] = []
        for t in self.ctx.repos.talents.iter_all(batch_size=5000):
            batch.append(t)
            texts.append(talent_text(t))
            if len(batch) >= 5000:
                parts.append(self._talent_columns(batch, vocab))
                batch = []
        if batch:
            parts.append(self._talent_columns(batch, vocab))
        for sid in taxonomy.skills:  # skills in use first: they get their own vector dimensions
            vocab.add(sid)
        cols = TalentColumns.empty(vocab)
        for p in parts:
            cols.append(p)
        idx = TalentIndex.build(cols, graph, threads=0, progress=progress)
        tt = TalentTexts.empty(self.ctx.text.model_id)
        tt.set(np.arange(len(texts), dtype=np.int64), texts)
        self._fill_texts(idx, budget, texts=texts, progress=progress, tt=tt)
        return idx, tt

    def _fill_texts(
        self,
        idx: TalentIndex,
        budget: float | None,
        *,
        texts: list[str] | None = None,
        encode: bool = True,
        progress: Progress | None = None,
        tt: TalentTexts | None = None,
    ) -> None:
        """Put the embeddings of live rows that lack theirs into the columns: from the store, then (``encode``)
        encoded within ``budget`` seconds (None: all). ``texts``: the text of every row, when at hand."""
        tt = _texts[self.key] if tt is None else tt
        cols = idx.columns
        tt.grow(len(cols))
        text = self.ctx.text
        if not text.active:
            return
        dim = text.dim
        if cols.embeddings is None or cols.embeddings.shape != (len(cols), dim):
            cols.embeddings = np.zeros((len(cols), dim), dtype=np.float16)
            tt.have[:] = False
        pending = tt.pending(cols.alive)
        if pending.size == 0:
            return
        if not encode:
            vectors, found = text.store("talents").get(tt.keys[pending])
        else:

            def texts_of(positions: np.ndarray) -> list[str]:
                rows = pending[positions]
                if texts is not None:
                    return [texts[int(r)] for r in rows]
                ids = [int(i) for i in cols.ids[rows]]
                found = self.ctx.repos.talents.get_many(ids)
                return [talent_text(found[i]) if i in found else "" for i in ids]

            vectors, found = text.lookup("talents", tt.keys[pending], texts_of, budget=budget, progress=progress)
        cols.embeddings[pending[found]] = vectors[found]
        tt.have[pending[found]] = True

    def _upsert(self, idx: TalentIndex, talents: list[Talent]) -> None:
        rows = idx.upsert(talents, today=self.ctx.today)
        _texts[self.key].set(rows, [talent_text(t) for t in talents])
