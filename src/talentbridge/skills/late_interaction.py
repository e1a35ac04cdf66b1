"""Late interaction of job titles with occupation labels (ColBERT-style, label side), for ``titles.py``.

``LateInteraction`` holds the contextual MiniLM token vectors of every occupation label and an idf² weight per
token; for a title's token vectors it scores each candidate occupation by its best label: the weighted mean over the
label's tokens of the best cosine with a title token. It asks whether the title says what the label's informative
words say (``ICT help desk agent`` for ``IT support``), which the pooled cosines blur. The label token vectors are
computed once per encoder and label list and cached on disk beside the label embeddings (``EmbeddingCache``).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from talentbridge.skills.concepts import ConceptIndex
from talentbridge.skills.encoder import EmbeddingCache, Encoder, Progress

__all__ = ["LateInteraction", "content_tokens"]


def content_tokens(vectors: np.ndarray) -> np.ndarray:
    """Token vectors without ``[CLS]``/``[SEP]`` (kept when nothing else is there), rows L2-normalised."""
    if len(vectors) > 2:
        vectors = vectors[1:-1]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


class LateInteraction:
    """Contextual token vectors of every occupation label (``[CLS]``/``[SEP]`` dropped, unit rows; float16 on
    disk) in label order, so that one occupation's tokens are one contiguous slice, and an idf² weight per token.

    ``scores(title_tokens, concepts)``: per concept, the best over its labels of the weighted mean over label
    tokens of the best cosine with a title token (clipped at 0).
    """

    def __init__(self, index: ConceptIndex, vectors: np.ndarray, lengths: np.ndarray, ids: np.ndarray) -> None:
        # float32 in memory (about 200 MB for ESCO's 130k label tokens): gathering float16 rows and converting
        # them per title costs more than the rest of the re-ranking
        self.vectors = vectors.astype(np.float32)
        n_labels = len(lengths)
        token_start = np.zeros(n_labels + 1, dtype=np.int64)
        np.cumsum(lengths, out=token_start[1:])
        label_end = np.append(index.label_starts[1:], n_labels)
        self.concept_tokens = token_start[index.label_starts]  # first token of each concept
        self.concept_token_count = token_start[label_end] - self.concept_tokens
        self.label_tokens = lengths  # tokens per label
        self.concept_labels = label_end - index.label_starts  # labels per concept
        self.first_label = index.label_starts
        # idf of each WordPiece over the concepts (a piece counts once per concept), squared, normalised per label
        owner = np.repeat(index.label_owner, lengths)
        df = Counter(int(t) for t in np.unique(np.stack([owner, ids]), axis=1)[1])
        n = len(index)
        idf = np.log((n + 1) / (np.asarray([df[int(t)] for t in ids], dtype=np.float64) + 1)) + 1e-3
        weight = idf**2
        per_label = np.add.reduceat(weight, token_start[:-1]) if n_labels else weight
        self.weight = (weight / np.repeat(per_label, lengths)).astype(np.float32)

    @classmethod
    def build(
        cls, index: ConceptIndex, encoder: Encoder, cache: EmbeddingCache | None, progress: Progress | None = None
    ) -> LateInteraction:
        labels = index.labels
        path = None
        if cache is not None and cache.root is not None:
            path = cache.root / f"{EmbeddingCache.key(encoder.model_id + '-tokens', labels)}.npz"
            cache.used.append(path.name)
            if path.exists():
                try:
                    with np.load(path) as z:
                        vectors, lengths, ids = z["vectors"], z["lengths"], z["ids"]
                    if len(lengths) == len(labels) and int(lengths.sum()) == len(vectors) == len(ids):
                        return cls(index, vectors, lengths, ids)
                except (OSError, ValueError, KeyError):
                    pass  # a torn or foreign file: recompute
        parts: list[np.ndarray] = []
        piece_ids: list[int] = []
        lengths = np.zeros(len(labels), dtype=np.int64)
        for a in range(0, len(labels), 2048):
            _, token_vectors, encoded = encoder.encode_tokens(labels[a : a + 2048])  # type: ignore[attr-defined]
            for j, (tv, ids) in enumerate(zip(token_vectors, encoded, strict=True)):
                parts.append(content_tokens(tv).astype(np.float16))
                piece_ids.extend(ids[1:-1] if len(ids) > 2 else ids)
                lengths[a + j] = len(parts[-1])
            if progress:
                progress(min(a + 2048, len(labels)), len(labels))
        vectors = np.concatenate(parts) if parts else np.zeros((0, encoder.dim), dtype=np.float16)
        ids_arr = np.asarray(piece_ids, dtype=np.int32)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            with tmp.open("wb") as fh:
                np.savez(fh, vectors=vectors, lengths=lengths, ids=ids_arr)
            tmp.replace(path)
        return cls(index, vectors, lengths, ids_arr)

    def scores(self, title_tokens: np.ndarray, concepts: np.ndarray) -> np.ndarray:
        counts = self.concept_token_count[concepts]
        total = int(counts.sum())
        # token rows of the concepts, concatenated: each concept's slice is contiguous
        ends = np.cumsum(counts)
        rows = np.arange(total) + np.repeat(self.concept_tokens[concepts] - (ends - counts), counts)
        best = (title_tokens @ self.vectors[rows].T).max(0)
        np.clip(best, 0.0, 1.0, out=best)
        best *= self.weight[rows]
        # labels of the concepts, concatenated, and where each starts among the rows
        n_labels = self.concept_labels[concepts]
        label_ends = np.cumsum(n_labels)
        labels = np.arange(int(label_ends[-1])) + np.repeat(
            self.first_label[concepts] - (label_ends - n_labels), n_labels
        )
        label_starts = np.zeros(len(labels), dtype=np.int64)
        np.cumsum(self.label_tokens[labels][:-1], out=label_starts[1:])
        per_label = np.add.reduceat(best, label_starts)
        return np.maximum.reduceat(per_label, label_ends - n_labels)
