"""Short-window evidence for skill extraction, pooled from the chunks' own forward pass.

A long sentence names several things; its one embedding is a blend, so a skill named in three of its words
scores lower than the sentence deserves. Short windows of the text (2 and 4 tokens) localise it. Encoding each
window on its own costs a forward pass per window (about 15 per sentence: the old "windows" mode, 4-7x slower).
Here a window's vector is the mean of the chunk's *contextual* token vectors that fall inside it — the same mean
pooling the model applies to a whole text, over part of it — so windows cost no forward pass. Only the concepts
the chunks already rank near the top (``WINDOW_CANDIDATES``) and the explicit mentions are compared with the
windows, which keeps the products small.

Measured on the TECH and HOUSE sentence-linking sets (``benchmarks/eval_skills.py``; chosen on half A, reported
on half B; docs/skills.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from talentbridge.skills.concepts import ConceptIndex

__all__ = ["TokenRows", "window_vectors", "best_over", "WINDOW_CANDIDATES"]

#: Concepts (best by the chunks' cosine) whose labels are compared with a text's windows.
WINDOW_CANDIDATES = 300


@dataclass
class TokenRows:
    """One text's contextual token vectors (``[CLS]``/``[SEP]`` left out), over all its chunks in text order, and
    the character range of each in the text."""

    vectors: np.ndarray  # (n_tokens, dim) float32
    starts: np.ndarray  # (n_tokens,) int64, non-decreasing
    ends: np.ndarray  # (n_tokens,) int64

    @classmethod
    def of_chunks(
        cls, dim: int, parts: Sequence[tuple[int, np.ndarray, list[tuple[int, int]] | None]]
    ) -> TokenRows:
        """From ``(chunk offset in the text, token vectors with [CLS]/[SEP], piece spans in the chunk)`` per chunk;
        a chunk whose spans are None (not alignable) or do not match its vectors is left out."""
        vecs: list[np.ndarray] = []
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        for offset, tv, spans in parts:
            inner = tv[1:-1]
            if spans is None or len(spans) != len(inner) or not len(inner):
                continue
            se = np.asarray(spans, dtype=np.int64) + offset
            vecs.append(inner)
            starts.append(se[:, 0])
            ends.append(se[:, 1])
        if not vecs:
            empty = np.zeros(0, dtype=np.int64)
            return cls(np.zeros((0, dim), dtype=np.float32), empty, empty)
        return cls(np.concatenate(vecs).astype(np.float32, copy=False), np.concatenate(starts), np.concatenate(ends))


def window_vectors(rows: TokenRows, windows: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors of ``windows`` (character ranges): the mean of the token vectors lying wholly inside each.
    Returns ``(vectors, kept)``: ``kept`` indexes the windows that hold at least one token."""
    dim = rows.vectors.shape[1]
    if not len(windows) or not len(rows.starts):
        return np.zeros((0, dim), dtype=np.float32), np.zeros(0, dtype=np.int64)
    w = np.asarray(windows, dtype=np.int64)
    lo = np.searchsorted(rows.starts, w[:, 0], side="left")
    hi = np.searchsorted(rows.ends, w[:, 1], side="right")
    kept = np.flatnonzero(hi > lo)
    if not len(kept):
        return np.zeros((0, dim), dtype=np.float32), kept
    csum = np.zeros((len(rows.vectors) + 1, dim), dtype=np.float64)
    np.cumsum(rows.vectors, axis=0, out=csum[1:])
    lo, hi = lo[kept], hi[kept]
    mean = (csum[hi] - csum[lo]) / (hi - lo)[:, None]
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (mean / norms).astype(np.float32), kept


def best_over(index: ConceptIndex, vectors: np.ndarray, concepts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``concepts``: its best cosine over its labels and ``vectors``, and the row giving it."""
    assert index.label_vectors is not None
    starts = index.label_starts[concepts]
    ends = np.append(index.label_starts, len(index.labels))[concepts + 1]
    counts = ends - starts
    if not len(concepts) or not len(vectors) or counts.min() <= 0:
        return np.full(len(concepts), -1.0, dtype=np.float32), np.zeros(len(concepts), dtype=np.int64)
    offsets = np.zeros(len(concepts), dtype=np.int64)
    np.cumsum(counts[:-1], out=offsets[1:])
    labels = np.arange(int(counts.sum())) + np.repeat(starts - offsets, counts)
    sims = vectors @ index.label_vectors[labels].T  # (windows, labels of the concepts)
    row = sims.argmax(0)
    per_label = sims[row, np.arange(len(labels))]
    best = np.maximum.reduceat(per_label, offsets)
    # the row of the first label reaching each concept's best
    owner = np.repeat(np.arange(len(concepts)), counts)
    hits = np.flatnonzero(per_label >= best[owner])
    first = hits[np.unique(owner[hits], return_index=True)[1]]
    return best.astype(np.float32, copy=False), row[first].astype(np.int64)
