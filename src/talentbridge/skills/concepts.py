"""A searchable view of a list of concepts (skills or occupations): labels, exact-label index, BM25, embeddings.

Shared by ``SkillExtractor`` and ``TitleNormalizer``. Built once per taxonomy; the label embeddings come from the
encoder through ``EmbeddingCache`` so a taxonomy is encoded once per model and content.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from talentbridge.skills.encoder import EmbeddingCache, Encoder, Progress
from talentbridge.skills.lexicon import BM25Index, LabelIndex
from talentbridge.skills.taxonomy import Occupation, Skill
from talentbridge.skills.text import tokens

__all__ = ["ConceptIndex", "LabelledConcept"]

#: Weight of a match on an alternative label relative to the preferred label.
ALT_WEIGHT = 0.9


@dataclass(frozen=True, slots=True)
class LabelledConcept:
    uri: str
    label: str


class ConceptIndex:
    """Labels of ``concepts`` in one flat list (grouped by concept) plus lexical and semantic indexes.

    ``label_owner[j]`` is the concept index of label ``j``; labels of one concept are contiguous, so the best
    label per concept is one ``np.maximum.reduceat`` over ``label_starts``.
    """

    def __init__(self, concepts: Sequence[Skill | Occupation], max_label_tokens: int = 8) -> None:
        self.concepts = list(concepts)
        self.uris = [c.uri for c in self.concepts]
        self.display = [c.label_en or c.label_ko for c in self.concepts]
        self.labels: list[str] = []
        self.label_weight: list[float] = []
        owner: list[int] = []
        starts: list[int] = []
        per_concept: list[list[tuple[str, float]]] = []
        for i, c in enumerate(self.concepts):
            starts.append(len(self.labels))
            pairs: list[tuple[str, float]] = []
            seen: set[str] = set()
            for label in c.labels():
                low = label.strip().lower()
                if not low or low in seen:
                    continue
                seen.add(low)
                preferred = label in (c.label_en, c.label_ko)
                pairs.append((label.strip(), 1.0 if preferred else ALT_WEIGHT))
            if not pairs:  # a concept without labels still needs one row to keep the grouping contiguous
                pairs.append((c.id, 0.5))
            for label, w in pairs:
                self.labels.append(label)
                self.label_weight.append(w)
                owner.append(i)
            per_concept.append(pairs)
        self.label_owner = np.asarray(owner, dtype=np.int64)
        self.label_starts = np.asarray(starts, dtype=np.int64)
        # each label is tokenized once for both lexical indexes (Kiwi reads every Hangul label: the slow part)
        tokenized = {label: tokens(label) for label in dict.fromkeys(self.labels)}
        self.lexicon = LabelIndex(per_concept, max_tokens=max_label_tokens, tokenized=tokenized)
        self.label_pairs = per_concept  # (label, weight) per concept, as indexed
        self.bm25 = BM25Index([[t.key for label, _ in pairs for t in tokenized[label]] for pairs in per_concept])
        self.label_vectors: np.ndarray | None = None
        self.encoder: Encoder | None = None
        self._label_blocks: list[tuple[int, int, int, int]] | None = None

    def __len__(self) -> int:
        return len(self.concepts)

    def embed_labels(
        self, encoder: Encoder, cache: EmbeddingCache | None = None, progress: Progress | None = None
    ) -> None:
        """Encode every label (cached on disk by model id + label content)."""
        cache = cache or EmbeddingCache(None)
        self.label_vectors = cache.encode(encoder, self.labels, progress)
        self.encoder = encoder

    def embedded_copy(
        self, encoder: Encoder, cache: EmbeddingCache | None = None, progress: Progress | None = None
    ) -> ConceptIndex:
        """The same concepts and labels (shared, not copied) with label vectors of another ``encoder``."""
        other = copy.copy(self)
        other.embed_labels(encoder, cache, progress)
        return other

    def semantic_scores(self, query_vectors: np.ndarray) -> np.ndarray:
        """Best cosine over each concept's labels: shape ``(n_queries, n_concepts)``."""
        if self.label_vectors is None:
            raise RuntimeError("embed_labels() first")
        sims = query_vectors @ self.label_vectors.T
        return np.maximum.reduceat(sims, self.label_starts, axis=1)

    def best_scores(self, query_vectors: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Best cosine per concept over its labels and over each group of queries, and which query gave it.

        ``groups`` holds the first row of each group of consecutive ``query_vectors`` rows (strictly increasing,
        starting at 0; a group runs to the next start or the end). Returns ``(best, row)``, both of shape
        ``(len(groups), n_concepts)``: ``best`` is the row-wise maximum of ``semantic_scores`` within each group,
        ``row`` the offset within the group of the first query reaching it. The label matrix is walked in blocks
        of whole concepts so that each block of cosines stays in cache while it is reduced (a fifth faster than
        one product over all labels).
        """
        if self.label_vectors is None:
            raise RuntimeError("embed_labels() first")
        n_rows = len(query_vectors)
        per_row = np.empty((n_rows, len(self.concepts)), dtype=np.float32)
        for la, lb, ca, cb in self._blocks():
            sims = query_vectors @ self.label_vectors[la:lb].T
            per_row[:, ca:cb] = np.maximum.reduceat(sims, self.label_starts[ca:cb] - la, axis=1)
        rows = np.zeros((len(groups), len(self.concepts)), dtype=np.int32)
        if len(groups) == n_rows:
            return per_row, rows
        best = np.empty((len(groups), len(self.concepts)), dtype=np.float32)
        ends = [*groups[1:], n_rows]
        for g, (a, b) in enumerate(zip(groups, ends, strict=True)):
            # a loop over groups: np.maximum.reduceat along axis 0 is several times slower than this
            if b - a == 1:
                best[g] = per_row[a]
            else:
                np.argmax(per_row[a:b], axis=0, out=rows[g])
                best[g] = np.take_along_axis(per_row[a:b], rows[g][None, :], axis=0)[0]
        return best, rows

    def _blocks(self, labels_per_block: int = 4096) -> list[tuple[int, int, int, int]]:
        """``(first label, end label, first concept, end concept)`` of consecutive blocks of whole concepts."""
        if self._label_blocks is None:
            blocks: list[tuple[int, int, int, int]] = []
            n_labels, n = len(self.labels), len(self.concepts)
            ca = 0
            while ca < n:
                la = int(self.label_starts[ca])
                cb = int(np.searchsorted(self.label_starts, la + labels_per_block, side="right"))
                cb = min(max(cb, ca + 1), n)
                lb = int(self.label_starts[cb]) if cb < n else n_labels
                blocks.append((la, lb, ca, cb))
                ca = cb
            self._label_blocks = blocks
        return self._label_blocks

    def select(self, keep: Callable[[int], bool]) -> list[int]:
        return [i for i in range(len(self.concepts)) if keep(i)]
