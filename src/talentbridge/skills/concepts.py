"""A searchable view of a list of concepts (skills or occupations): labels, exact-label index, BM25, embeddings.

Shared by ``SkillExtractor`` and ``TitleNormalizer``. Built once per taxonomy; the label embeddings come from the
encoder through ``EmbeddingCache`` so a taxonomy is encoded once per model and content.
"""

from __future__ import annotations

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
        self.lexicon = LabelIndex(per_concept, max_tokens=max_label_tokens)
        self.bm25 = BM25Index([[t.key for label, _ in pairs for t in tokens(label)] for pairs in per_concept])
        self.label_vectors: np.ndarray | None = None
        self.encoder: Encoder | None = None

    def __len__(self) -> int:
        return len(self.concepts)

    def embed_labels(
        self, encoder: Encoder, cache: EmbeddingCache | None = None, progress: Progress | None = None
    ) -> None:
        """Encode every label (cached on disk by model id + label content)."""
        cache = cache or EmbeddingCache(None)
        self.label_vectors = cache.encode(encoder, self.labels, progress)
        self.encoder = encoder

    def semantic_scores(self, query_vectors: np.ndarray) -> np.ndarray:
        """Best cosine over each concept's labels: shape ``(n_queries, n_concepts)``."""
        if self.label_vectors is None:
            raise RuntimeError("embed_labels() first")
        sims = query_vectors @ self.label_vectors.T
        return np.maximum.reduceat(sims, self.label_starts, axis=1)

    def select(self, keep: Callable[[int], bool]) -> list[int]:
        return [i for i in range(len(self.concepts)) if keep(i)]
