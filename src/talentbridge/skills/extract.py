"""Skill extraction: ranked taxonomy skills for a free text (Korean, English or mixed), with character spans.

Two signals, fused per skill into a score in 0..1:

* ``alias``: exact occurrences of any label (preferred or alternative, English or Korean) after tokenization —
  Korean through Kiwi, so particles and compounds do not break matches (파이토치를, 머신러닝과, 딥러닝기반).
  Spans are the character offsets of each occurrence.
* ``semantic``: the text is cut into chunks (lines and sentences, at most ``chunk_tokens`` tokens); each chunk is
  embedded and compared with one embedding per skill label; a skill's semantic score is its best cosine over its
  labels and the chunks, and its span is the best chunk.

``via`` says which signal found the skill: ``"alias"`` (a label occurs in the text, possibly also semantically
close) or ``"semantic"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from talentbridge.skills.concepts import ConceptIndex
from talentbridge.skills.encoder import EmbeddingCache, Encoder, Progress
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.skills.text import Token, check_text, tokens

__all__ = ["SkillExtractor", "ExtractedSkill", "ExtractionWeights"]

_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+|(?<=다\.)|[•·▪●■◦]|\s[-*]\s")


@dataclass(frozen=True)
class ExtractedSkill:
    uri: str
    label: str
    score: float
    spans: list[tuple[int, int]]
    via: str

    def as_dict(self) -> dict[str, object]:
        return {
            "uri": self.uri,
            "label": self.label,
            "score": round(self.score, 4),
            "spans": [list(s) for s in self.spans],
            "via": self.via,
        }


@dataclass
class ExtractionWeights:
    """Fusion weights; tuned on development data (docs/skills.md)."""

    semantic: float = 0.6
    alias: float = 0.4
    alias_multiword_bonus: float = 0.1  # per extra token of the matched label, up to 2
    min_semantic: float = 0.35  # semantic-only skills below this cosine are not reported
    window: float = 0.4  # weight of the best short-window cosine (only when window_sizes is set)
    extra: dict[str, float] = field(default_factory=dict)


class SkillExtractor:
    """Extract skills of ``taxonomy`` from texts.

    ``encoder=None`` gives alias matching only. Label embeddings are computed on first use (``prepare``),
    cached on disk in ``cache`` when given. Thread-safe for concurrent ``extract`` calls once prepared.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        encoder: Encoder | None = None,
        cache: EmbeddingCache | None = None,
        weights: ExtractionWeights | None = None,
        chunk_tokens: int = 48,
        max_chars: int = 100_000,
        window_sizes: tuple[int, ...] = (),
    ) -> None:
        self.taxonomy = taxonomy
        self.encoder = encoder
        self.cache = cache
        self.weights = weights or ExtractionWeights()
        self.chunk_tokens = chunk_tokens
        self.max_chars = max_chars
        # Short token windows (e.g. (2, 4)) embedded on their own localise skills inside long sentences: much
        # better ranking (docs/skills.md) at ~15 extra encodings per sentence, so off by default.
        self.window_sizes = tuple(window_sizes)
        self.index = ConceptIndex(list(taxonomy.skills.values()))
        self._prepared = encoder is None

    def prepare(self, progress: Progress | None = None) -> None:
        """Embed the skill labels (once; from the disk cache when present)."""
        if not self._prepared and self.encoder is not None:
            self.index.embed_labels(self.encoder, self.cache, progress)
        self._prepared = True

    # ------------------------------------------------------------------------------------------ chunks

    def _chunks(self, text: str, toks: list[Token]) -> list[tuple[int, int]]:
        """Character ranges of sentence-like chunks, each at most ``chunk_tokens`` tokens."""
        bounds = [0]
        for m in _SENTENCE_END.finditer(text):
            bounds.append(m.end())
        bounds.append(len(text))
        chunks: list[tuple[int, int]] = []
        ti = 0
        for a, b in zip(bounds, bounds[1:], strict=False):
            if b <= a or not text[a:b].strip():
                continue
            inside: list[Token] = []
            while ti < len(toks) and toks[ti].start < b:
                if toks[ti].start >= a:
                    inside.append(toks[ti])
                ti += 1
            if not inside:
                continue
            for i in range(0, len(inside), self.chunk_tokens):
                part = inside[i : i + self.chunk_tokens]
                chunks.append((part[0].start, part[-1].end))
        return chunks

    # ------------------------------------------------------------------------------------------ extraction

    def extract(self, text: str, top: int = 10) -> list[ExtractedSkill]:
        """Ranked skills of one text, best first (at most ``top``). Empty text gives ``[]``.

        Raises ``InputTooLarge`` for a text over ``max_chars`` characters.
        """
        return self.extract_many([text], top=top)[0]

    def extract_many(self, texts: Sequence[str], top: int = 10) -> list[list[ExtractedSkill]]:
        """``extract`` for several texts, encoding their chunks in one batch."""
        for text in texts:
            check_text(text, self.max_chars)
        self.prepare()
        toks_per_text = [tokens(t) if t and t.strip() else [] for t in texts]
        chunks_per_text = [self._chunks(t, toks) for t, toks in zip(texts, toks_per_text, strict=True)]
        sem_per_text: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(texts)
        if self.encoder is not None and self.weights.semantic:
            flat = [t[a:b] for t, chunks in zip(texts, chunks_per_text, strict=True) for a, b in chunks]
            if flat:
                vectors = self.encoder.encode(flat)
                owner = np.repeat(np.arange(len(texts)), [len(c) for c in chunks_per_text])
                first = np.concatenate([[0], np.cumsum([len(c) for c in chunks_per_text])])
                # one matrix product per block of chunks: the label matrix is read once per block, not per text
                for a in range(0, len(flat), 128):
                    sims = self.index.semantic_scores(vectors[a : a + 128])  # chunks x concepts
                    for r in range(sims.shape[0]):
                        i = int(owner[a + r])
                        local = a + r - int(first[i])
                        row = sims[r]
                        if sem_per_text[i] is None:
                            sem_per_text[i] = (row.copy(), np.zeros(len(row), dtype=np.int64))
                        else:
                            best, where = sem_per_text[i]  # type: ignore[misc]
                            better = row > best
                            best[better] = row[better]
                            where[better] = local
        if self.encoder is not None and self.window_sizes and self.weights.window:
            windows_per_text = [self._windows(toks) for toks in toks_per_text]
            flat = [t[a:b] for t, wins in zip(texts, windows_per_text, strict=True) for a, b in wins]
            if flat:
                vectors = self.encoder.encode(flat)
                pos = 0
                for i, wins in enumerate(windows_per_text):
                    if not wins or sem_per_text[i] is None:
                        pos += len(wins)
                        continue
                    sims = self.index.semantic_scores(vectors[pos : pos + len(wins)])
                    pos += len(wins)
                    best, where = sem_per_text[i]  # type: ignore[misc]
                    win_best = sims.max(axis=0)
                    # fused semantic evidence; span = the window when it beats the whole chunk
                    fused = (self.weights.semantic * best + self.weights.window * win_best) / self.weights.semantic
                    chunks_per_text[i] = chunks_per_text[i] + wins
                    use_win = win_best > best
                    where = np.where(use_win, sims.argmax(axis=0) + (len(chunks_per_text[i]) - len(wins)), where)
                    sem_per_text[i] = (fused, where)
        return [
            self._rank(toks_per_text[i], chunks_per_text[i], sem_per_text[i], top) for i in range(len(texts))
        ]

    def _windows(self, toks: list[Token]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for size in self.window_sizes:
            if len(toks) <= size:
                continue
            for a in range(0, len(toks) - size + 1, max(1, size // 2)):
                out.append((toks[a].start, toks[a + size - 1].end))
        return out

    def _rank(
        self,
        toks: list[Token],
        chunks: list[tuple[int, int]],
        sem: tuple[np.ndarray, np.ndarray] | None,
        top: int,
    ) -> list[ExtractedSkill]:
        if not toks or top <= 0:
            return []
        w = self.weights
        n = len(self.index)
        score = np.zeros(n, dtype=np.float32)
        alias_spans: dict[int, list[tuple[int, int]]] = {}
        alias_strength: dict[int, float] = {}
        for m in self.index.lexicon.find(toks):
            alias_spans.setdefault(m.concept, []).append((m.start, m.end))
            strength = m.weight * (1.0 + w.alias_multiword_bonus * min(m.n_tokens - 1, 2))
            if strength > alias_strength.get(m.concept, 0.0):
                alias_strength[m.concept] = strength
        for concept, strength in alias_strength.items():
            score[concept] += w.alias * min(strength, 1.2)
        sem_best: np.ndarray | None = None
        if sem is not None:
            sem_best, _ = sem
            score += w.semantic * np.clip(sem_best, 0.0, 1.0)
        candidates = set(alias_strength)
        if sem_best is not None:
            k = min(max(top * 3, 30), n)
            best = np.argpartition(-sem_best, k - 1)[:k]
            candidates.update(int(j) for j in best if sem_best[j] >= w.min_semantic)
        ordered = sorted(candidates, key=lambda j: -float(score[j]))[:top]
        out: list[ExtractedSkill] = []
        for j in ordered:
            if j in alias_spans:
                spans = sorted(set(alias_spans[j]))
                via = "alias"
            else:
                assert sem is not None
                spans = [chunks[int(sem[1][j])]]
                via = "semantic"
            out.append(
                ExtractedSkill(
                    uri=self.index.uris[j],
                    label=self.index.display[j],
                    score=float(np.clip(score[j], 0.0, 1.0)),
                    spans=spans,
                    via=via,
                )
            )
        return out
