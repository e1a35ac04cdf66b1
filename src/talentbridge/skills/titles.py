"""Job-title normalization: free-text titles (Korean or English) to ranked occupations.

For each title every occupation gets a fused score in 0..1 from four signals:

* ``semantic``: best cosine between the title and any label of the occupation (one embedding per label, not one
  per concept: a title is usually a paraphrase of one label, and averaging labels blurs it);
* ``bm25``: Okapi BM25 of the title words over the occupation's labels, scaled by the query's idf mass;
* ``exact``: the whole title equals a label after tokenization (plurals, case, spacing, Korean particles);
* ``cover``: the largest share of the title's tokens covered by one label found inside it
  (``senior java developer`` contains ``java developer``: 2/3).

Korean titles are first translated word by word into English occupational vocabulary with a hand-written
glossary (``korean.py``), so they reach English-only ESCO occupations; Korean labels of built-in occupations are
matched directly as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from talentbridge.skills.concepts import ConceptIndex
from talentbridge.skills.encoder import EmbeddingCache, Encoder, Progress
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.skills.text import check_text, has_hangul, normalize, tokens

__all__ = ["TitleNormalizer", "TitleMatch", "TitleWeights"]


@dataclass(frozen=True)
class TitleMatch:
    uri: str
    label: str
    score: float
    isco_code: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"uri": self.uri, "label": self.label, "score": round(self.score, 4)}


@dataclass
class TitleWeights:
    """Fusion weights, tuned on development data (docs/skills.md). The score is divided by the sum of the four
    evidence weights so that it stays in 0..1; the prior terms are small nudges between near-ties."""

    semantic: float = 1.0
    bm25: float = 0.1
    exact: float = 0.2
    cover: float = 0.05
    # priors from the taxonomy's own structure (no training data): generic occupations with narrower
    # occupations under them and long labels are rarely what a short vacancy title means
    prior_children: float = -0.04  # × log(1 + number of narrower occupations)
    prior_has_parent: float = -0.01  # occupation is itself under another occupation
    prior_label_words: float = -0.01  # × words in the preferred label
    prior_skills: float = 0.01  # × log(1 + number of linked skills)
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def evidence(self) -> float:
        return self.semantic + self.bm25 + self.exact + self.cover


class TitleNormalizer:
    """Rank the occupations of ``taxonomy`` for job titles.

    ``encoder=None`` gives a lexical-only normalizer (BM25 + exact + cover). Label embeddings are computed on
    first use (``prepare``), cached on disk in ``cache`` when given.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        encoder: Encoder | None = None,
        cache: EmbeddingCache | None = None,
        weights: TitleWeights | None = None,
        translate_korean: bool = True,
    ) -> None:
        self.taxonomy = taxonomy
        self.encoder = encoder
        self.cache = cache
        self.weights = weights or TitleWeights()
        self.translate_korean = translate_korean
        self.index = ConceptIndex(list(taxonomy.occupations.values()))
        self._prepared = encoder is None
        self.prior = self._prior()

    def _prior(self) -> np.ndarray:
        w = self.weights
        occupations = self.index.concepts
        ids = set(self.taxonomy.occupations)
        children: dict[str, int] = {}
        for o in occupations:
            for parent in o.broader:
                children[parent] = children.get(parent, 0) + 1
        prior = np.zeros(len(occupations), dtype=np.float32)
        for i, o in enumerate(occupations):
            skills = len(o.essential_skills) + len(o.optional_skills)  # type: ignore[union-attr]
            prior[i] = (
                w.prior_children * np.log1p(children.get(o.id, 0))
                + w.prior_has_parent * float(any(p in ids for p in o.broader))
                + w.prior_label_words * len((o.label_en or o.label_ko).split())
                + w.prior_skills * np.log1p(skills)
            )
        return prior

    def prepare(self, progress: Progress | None = None) -> None:
        """Embed the occupation labels (once; from the disk cache when present)."""
        if not self._prepared and self.encoder is not None:
            self.index.embed_labels(self.encoder, self.cache, progress)
        self._prepared = True

    def _query_text(self, title: str) -> str:
        title = normalize(title)
        if self.translate_korean and has_hangul(title):
            from talentbridge.skills.korean import translate_title

            english = translate_title(title)
            if english:
                return f"{english} {title}"
        return title

    def score_matrix(self, titles: Sequence[str]) -> np.ndarray:
        """Fused scores, shape ``(len(titles), n_occupations)``."""
        self.prepare()
        idx = self.index
        w = self.weights
        queries = [self._query_text(t) for t in titles]
        out = np.zeros((len(titles), len(idx)), dtype=np.float32)
        if self.encoder is not None and w.semantic:
            vectors = self.encoder.encode(queries)
            for a in range(0, len(queries), 256):  # bounded memory: 256 x n_labels similarities at a time
                sem = idx.semantic_scores(vectors[a : a + 256])
                out[a : a + 256] += w.semantic * np.clip(sem, 0.0, 1.0)
        for r, query in enumerate(queries):
            toks = tokens(query)
            if not toks:
                out[r] = 0.0
                continue
            keys = [t.key for t in toks]
            if w.bm25:
                bound = idx.bm25.max_score(keys)
                if bound > 0:
                    out[r] += w.bm25 * idx.bm25.scores(keys) / bound
            whole = "".join(keys)
            for concept, weight in idx.lexicon.lookup(whole):
                out[r, concept] += w.exact * weight
            if w.cover:
                best: dict[int, float] = {}
                for m in idx.lexicon.find(toks):
                    share = m.n_tokens / len(toks) * m.weight
                    if share > best.get(m.concept, 0.0):
                        best[m.concept] = share
                for concept, share in best.items():
                    out[r, concept] += w.cover * share
        return out

    def normalize(self, titles: Sequence[str], top: int = 5) -> list[list[TitleMatch]]:
        """Top ``top`` occupations per title, best first. Blank titles give ``[]``."""
        for t in titles:
            check_text(t)
        results: list[list[TitleMatch]] = [[] for _ in titles]
        live = [i for i, t in enumerate(titles) if t and t.strip()]
        if not live or not len(self.index):
            return results
        scores = self.score_matrix([titles[i] for i in live])
        evidence = scores > 0
        scores = np.where(evidence, (scores + self.prior[None, :]) / max(self.weights.evidence, 1e-9), 0.0)
        k = min(top, scores.shape[1])
        for row, i in enumerate(live):
            best = np.argpartition(-scores[row], k - 1)[:k]
            best = best[np.argsort(-scores[row, best], kind="stable")]
            concepts = self.index.concepts
            results[i] = [
                TitleMatch(
                    self.index.uris[j],
                    self.index.display[j],
                    float(np.clip(scores[row, j], 0.0, 1.0)),
                    getattr(concepts[j], "isco_code", ""),
                )
                for j in best
                if scores[row, j] > 0
            ]
        return results
