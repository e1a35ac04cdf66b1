"""Job-title normalization: free-text titles (Korean or English) to ranked occupations.

For each title every occupation gets a fused score in 0..1 from four signals:

* ``semantic``: best cosine between the title and any label of the occupation (one embedding per label, not one
  per concept: a title is usually a paraphrase of one label, and averaging labels blurs it);
* ``bm25``: Okapi BM25 of the title words over the occupation's labels, scaled by the query's idf mass;
* ``exact``: the whole title equals a label after tokenization (plurals, case, spacing, Korean particles);
* ``cover``: the largest share of the title's tokens covered by one label found inside it
  (``senior java developer`` contains ``java developer``: 2/3);
* ``preferred``: cosine with the preferred label alone (alternative labels are often narrower or older names);
* ``document``: cosine with the occupation's whole entry (``label. alternative labels. description``), which
  places titles whose words are in no label (``Wintel engineer``).

The best ``late_top`` occupations are then re-ranked with a late-interaction term (ColBERT-style, label side):
for each label, every token's contextual MiniLM vector finds its closest title token; the cosines are averaged
with the squared idf of the token's WordPiece over the occupations' labels, and the best label counts. It asks
whether the title says what the label's informative words say (``ICT help desk agent`` for ``IT support``),
which the pooled cosines blur.

Per-occupation priors (``occupation_priors.py``) lean short titles towards occupations with common, generic names:
the taxonomy's structure (narrower occupations, parent, label length, linked skills, alternative labels,
description length, ISCO major group), how common the name is in general English (``wordfreq``) and how many
occupations of the same ISCO group carry a label containing the name ("software developer" has specialisations).
A penalty for managerial occupations when the title names no managerial rank breaks near-ties. Common job-title
abbreviations are spelled out first (``HR``, ``QA``, ``IT`` → ``ICT`` as ESCO writes it).

Korean titles are first translated word by word into English occupational vocabulary with a hand-written
glossary (``korean.py``), so they reach English-only ESCO occupations; Korean labels of built-in occupations are
matched directly as well.

The fusion weights are in ``title_weights.py``, the abbreviations, managerial words and labels' first/head words in
``title_words.py``, the late interaction in ``late_interaction.py``; this module ranks with them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from talentbridge.skills.concepts import ConceptIndex
from talentbridge.skills.encoder import EmbeddingCache, Encoder, Progress
from talentbridge.skills.late_interaction import LateInteraction, content_tokens
from talentbridge.skills.occupation_priors import FEATURES, occupation_features
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.skills.text import check_text, has_hangul, normalize, tokens
from talentbridge.skills.title_weights import KOREAN_WEIGHTS, TitleWeights
from talentbridge.skills.title_words import MANAGERIAL, MANAGERIAL_LABEL, LabelWords, expand_abbreviations

__all__ = ["TitleNormalizer", "TitleMatch"]

#: How far above every other occupation a title's exact preferred label is put (scale of the fused score).
PREFERRED_LEAD = 1e-3


@dataclass(frozen=True)
class TitleMatch:
    uri: str
    label: str
    score: float
    isco_code: str = ""
    # the occupation's label (preferred or alternative) closest to the title: what it matched on
    matched_label: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "uri": self.uri,
            "label": self.label,
            "score": round(self.score, 4),
            "matched_label": self.matched_label,
        }


class _Scored(NamedTuple):
    fused: np.ndarray  # (titles, occupations)
    title_tokens: list[np.ndarray] | None  # normalised token vectors per title, when the late interaction applies
    second: np.ndarray | None  # the second encoder's title vectors, when it is used
    vectors: np.ndarray | None  # the encoder's title vectors, when it ran


class TitleNormalizer:
    """Rank the occupations of ``taxonomy`` for job titles.

    ``encoder=None`` gives a lexical-only normalizer (BM25 + exact + cover). Label embeddings are computed on
    first use (``prepare``), cached on disk in ``cache`` when given. Titles with Hangul are scored with
    ``korean_weights`` (default ``KOREAN_WEIGHTS``), others with ``weights``.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        encoder: Encoder | None = None,
        cache: EmbeddingCache | None = None,
        weights: TitleWeights | None = None,
        translate_korean: bool = True,
        korean_weights: TitleWeights | None = None,
        second_encoder: Encoder | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.encoder = encoder
        self.second_encoder = second_encoder if encoder is not None else None
        self.cache = cache
        self.weights = weights or TitleWeights()
        self.korean_weights = korean_weights or KOREAN_WEIGHTS
        self.translate_korean = translate_korean
        self.index = ConceptIndex(list(taxonomy.occupations.values()))
        self._prepared = encoder is None
        self._prior_features: dict[str, np.ndarray] | None = None
        self._preferred: dict[str, int] | None = None
        self.prior = self._prior(self.weights)
        self.korean_prior = self._prior(self.korean_weights)
        self.major = np.asarray([getattr(o, "isco_code", "")[:1] for o in self.index.concepts])
        self.managerial = np.asarray(
            [bool(MANAGERIAL_LABEL & set(d.lower().split())) for d in self.index.display], dtype=np.float32
        )
        self.document_vectors: np.ndarray | None = None
        self.preferred_vectors: np.ndarray | None = None
        self.skill_vectors: np.ndarray | None = None  # one unit vector per occupation (zero without skills)
        self.second_label_vectors: np.ndarray | None = None
        self.second_preferred_vectors: np.ndarray | None = None
        self.late: LateInteraction | None = None
        self.block_titles = 512
        self.candidates = 50  # occupations per title that the candidate signals and the late interaction see
        self._words: LabelWords | None = None

    @staticmethod
    def inputs_key(taxonomy: Taxonomy) -> str:
        """A digest of everything in ``taxonomy`` that a normalizer reads: every occupation (all its fields) and the
        preferred labels of the skills they link. Two taxonomies with the same key give the same normalizer, so a
        change to skills alone (an operator's alias) can keep the one built (``services.skill_extraction``)."""
        digest = hashlib.blake2b(digest_size=16)
        skills = taxonomy.skills
        for o in taxonomy.occupations.values():
            digest.update(repr(o).encode())
            for s in (*o.essential_skills, *o.optional_skills):
                skill = skills.get(s)
                digest.update(repr((s, skill.label_en, skill.label_ko) if skill else (s,)).encode())
        return digest.hexdigest()

    def _prior(self, w: TitleWeights) -> np.ndarray:
        if self._prior_features is None:
            self._prior_features = occupation_features(self.index.concepts)  # type: ignore[arg-type]
        prior = np.zeros(len(self.index), dtype=np.float32)
        for name in FEATURES:
            weight = getattr(w, f"prior_{name}")
            if weight:
                prior += weight * self._prior_features[name]
        for i, o in enumerate(self.index.concepts):
            major = getattr(o, "isco_code", "")[:1]
            if major.isdigit() and int(major) < len(w.prior_major):
                prior[i] += w.prior_major[int(major)]
        # zero mean over the taxonomy: only differences between occupations rank, and a constant would shift every
        # score (the name frequencies are all around 3-5) and blur what a score of 0.1 or a 2x margin means
        return prior - prior.mean() if len(prior) else prior

    def prepare(self, progress: Progress | None = None) -> None:
        """Embed the occupation labels (once; from the disk cache when present)."""
        if not self._prepared and self.encoder is not None:
            self.index.embed_labels(self.encoder, self.cache, progress)
            assert self.index.label_vectors is not None
            self.preferred_vectors = np.ascontiguousarray(self.index.label_vectors[self.index.label_starts])
            if self.weights.document or self.korean_weights.document:
                documents = [
                    f"{o.label_en}. {', '.join(o.alt_en)}. {o.description_en}".strip()  # type: ignore[union-attr]
                    if o.label_en
                    else o.label_ko
                    for o in self.index.concepts
                ]
                self.document_vectors = (self.cache or EmbeddingCache(None)).encode(self.encoder, documents)
            if (self.weights.late or self.korean_weights.late) and hasattr(self.encoder, "encode_tokens"):
                self.late = LateInteraction.build(self.index, self.encoder, self.cache, progress)
            if self.weights.skills or self.korean_weights.skills:
                self.skill_vectors = self._skill_vectors(self.encoder)
            if self.second_encoder is not None and (
                self.weights.second or self.weights.second_preferred or self.korean_weights.second
            ):
                vectors = (self.cache or EmbeddingCache(None)).encode(self.second_encoder, self.index.labels)
                self.second_label_vectors = vectors
                self.second_preferred_vectors = np.ascontiguousarray(vectors[self.index.label_starts])
        if any(w.first_word or w.head_word for w in (self.weights, self.korean_weights)):
            self._label_words()
        self._prepared = True

    def _skill_vectors(self, encoder: Encoder) -> np.ndarray:
        """Per occupation, the unit-length sum of its essential (1) and optional (0.5) skills' preferred-label
        vectors; zero rows for occupations without linked skills."""
        skills = self.taxonomy.skills
        ids = sorted({s for o in self.index.concepts for s in (*o.essential_skills, *o.optional_skills)} & set(skills))  # type: ignore[union-attr]
        position = {s: i for i, s in enumerate(ids)}
        labels = [skills[s].label_en or skills[s].label_ko for s in ids]
        vectors = (self.cache or EmbeddingCache(None)).encode(encoder, labels)
        out = np.zeros((len(self.index), encoder.dim), dtype=np.float32)
        for i, o in enumerate(self.index.concepts):
            for weight, linked in ((1.0, o.essential_skills), (0.5, o.optional_skills)):  # type: ignore[union-attr]
                rows = [position[s] for s in linked if s in position]
                if rows:
                    out[i] += weight * vectors[rows].sum(0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def _query_text(self, title: str) -> str:
        title = normalize(title)
        if self.translate_korean and has_hangul(title):
            from talentbridge.skills.korean import translate_title

            english = translate_title(title)
            if english:
                return f"{english} {title}".lower()
        # lower case: MiniLM is uncased, ESCO labels are lower case, and titles differing only in case score once
        return expand_abbreviations(title).lower()

    def score_matrix(self, titles: Sequence[str], weights: TitleWeights | None = None) -> np.ndarray:
        """Fused evidence (priors and the late-interaction re-ranking not included), shape
        ``(len(titles), n_occupations)``."""
        return self._scores(titles, weights or self.weights)[0]

    def _scores(self, titles: Sequence[str], w: TitleWeights, second_all: bool = True) -> _Scored:
        """``score_matrix`` and the title vectors that went into it (``_Scored``). ``second_all=False`` leaves
        the second encoder's cosines out of the matrix (``_rank`` adds them for the candidates only)."""
        self.prepare()
        idx = self.index
        queries = [self._query_text(t) for t in titles]
        out = np.zeros((len(titles), len(idx)), dtype=np.float32)
        title_tokens: list[np.ndarray] | None = None
        vectors: np.ndarray | None = None
        if self.encoder is not None and (w.semantic or w.preferred or w.document or w.skills or w.late):
            if w.late and self.late is not None:
                vectors, token_vectors, _ = self.encoder.encode_tokens(queries)  # type: ignore[attr-defined]
                title_tokens = [content_tokens(t) for t in token_vectors]
            else:
                vectors = self.encoder.encode(queries)
            for a in range(0, len(queries), 256):  # bounded memory: 256 x n_labels similarities at a time
                block = vectors[a : a + 256]
                if w.semantic:
                    best, _ = idx.best_scores(block, np.arange(len(block)))  # blocked: a fifth faster
                    out[a : a + 256] += w.semantic * np.clip(best, 0.0, 1.0)
                if w.preferred and self.preferred_vectors is not None:
                    out[a : a + 256] += w.preferred * np.clip(block @ self.preferred_vectors.T, 0.0, 1.0)
                if w.document and self.document_vectors is not None:
                    out[a : a + 256] += w.document * np.clip(block @ self.document_vectors.T, 0.0, 1.0)
                if w.skills and self.skill_vectors is not None:
                    out[a : a + 256] += w.skills * np.clip(block @ self.skill_vectors.T, 0.0, 1.0)
        second: np.ndarray | None = None
        if self.second_label_vectors is not None and (w.second or w.second_preferred):
            assert self.second_encoder is not None and self.second_preferred_vectors is not None
            second = self.second_encoder.encode(queries)
            for a in range(0, len(queries) if second_all else 0, 256):
                block = second[a : a + 256]
                if w.second:
                    sims = block @ self.second_label_vectors.T
                    best = np.maximum.reduceat(sims, idx.label_starts, axis=1)
                    out[a : a + 256] += w.second * np.clip(best, 0.0, 1.0)
                if w.second_preferred:
                    pref = block @ self.second_preferred_vectors.T
                    out[a : a + 256] += w.second_preferred * np.clip(pref, 0.0, 1.0)
        toks_per_query = [tokens(q) for q in queries]
        if w.bm25:
            keys_per_query = [[t.key for t in toks] for toks in toks_per_query]
            bounds = np.asarray([idx.bm25.max_score(keys) for keys in keys_per_query], dtype=np.float32)
            live = np.flatnonzero(bounds > 0)
            if len(live):
                bm25 = idx.bm25.scores_many([keys_per_query[r] for r in live])
                out[live] += w.bm25 * bm25 / bounds[live, None]
        for r, toks in enumerate(toks_per_query):
            if w.unasked_manager and not MANAGERIAL & {t.key for t in toks}:
                out[r] += w.unasked_manager * self.managerial
            if w.korean_head and has_hangul(titles[r]):
                from talentbridge.skills.korean import head_major_groups

                groups = head_major_groups(titles[r])
                if groups:
                    out[r] += w.korean_head * np.isin(self.major, list(groups))
            if not toks:
                out[r] = 0.0
                continue
            keys = [t.key for t in toks]
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
        return _Scored(out, title_tokens, second, vectors)

    def normalize(self, titles: Sequence[str], top: int = 5, workers: int = 1) -> list[list[TitleMatch]]:
        """Top ``top`` occupations per title, best first. Blank titles give ``[]``.

        Titles are ranked in blocks of ``block_titles`` (bounded memory: a block holds one score per occupation
        per title); ``workers`` threads share the blocks (numpy releases the GIL in the encoders and the label
        products, so two workers use two cores). Results do not depend on ``workers``.
        """
        for t in titles:
            check_text(t)
        results: list[list[TitleMatch]] = [[] for _ in titles]
        if not len(self.index):
            return results
        self.prepare()
        korean = [i for i, t in enumerate(titles) if t.strip() and self.translate_korean and has_hangul(t)]
        other = [i for i, t in enumerate(titles) if t.strip() and not (self.translate_korean and has_hangul(t))]
        jobs = []
        for live, w, prior in ((other, self.weights, self.prior), (korean, self.korean_weights, self.korean_prior)):
            size = max(1, min(self.block_titles, -(-len(live) // max(1, workers))))  # every worker gets a block
            jobs.extend((live[a : a + size], w, prior) for a in range(0, len(live), size))
        if workers <= 1 or len(jobs) <= 1:
            for live, w, prior in jobs:
                self._rank(titles, live, w, prior, top, results)
        else:
            with ThreadPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
                # each job fills its own rows of ``results``
                list(pool.map(lambda job: self._rank(titles, job[0], job[1], job[2], top, results), jobs))
        return results

    def _rank(
        self,
        titles: Sequence[str],
        live: list[int],
        w: TitleWeights,
        prior: np.ndarray,
        top: int,
        results: list[list[TitleMatch]],
    ) -> None:
        """Fill ``results[i]`` for the titles ``live`` (all scored with the same weights).

        Titles with the same query text (case, spacing) are scored once. The fused score picks each title's
        ``candidates`` best occupations; the candidate signals (second encoder, first/head word) are added for
        those only (a title against every label costs as much as the rest of the fusion), then the late
        interaction re-ranks the best ``w.late_top`` of them.
        """
        row_of_query: dict[str, int] = {}
        queries: list[str] = []
        first_titles: list[str] = []
        row_of: list[int] = []
        for i in live:
            query = self._query_text(titles[i])
            if query not in row_of_query:
                row_of_query[query] = len(queries)
                queries.append(query)
                first_titles.append(titles[i])
            row_of.append(row_of_query[query])
        scores, title_tokens, second, vectors = self._scores(first_titles, w, second_all=False)
        evidence = scores > 0
        scale = 1.0 / max(w.evidence, 1e-9)
        scores = np.where(evidence, (scores + prior[None, :]) * scale, 0.0)
        late = title_tokens is not None and self.late is not None and w.late_top > 0
        words = bool(w.first_word or w.head_word)
        if late or second is not None or words:
            # not ``top``: the ranking must not depend on how many results are asked for
            n_cands = min(max(self.candidates, w.late_top if late else 0), scores.shape[1])
            for row in range(len(scores)):
                cands = np.argpartition(-scores[row], n_cands - 1)[:n_cands]
                cands = cands[scores[row, cands] > 0]
                if not len(cands):
                    continue
                if second is not None or words:
                    vector = None if second is None else second[row]
                    scores[row, cands] += scale * self.candidate_scores(queries[row], vector, cands, w)
                if late and len(title_tokens[row]):  # type: ignore[index]
                    # re-rank the best late_top by label-token agreement; /(1 + late) keeps scores about 0..1
                    m = min(w.late_top, len(cands))
                    best = cands[np.argpartition(-scores[row, cands], m - 1)[:m]]
                    scores[row, best] += w.late * self.late.scores(title_tokens[row], best)  # type: ignore[union-attr,index]
            if late:
                scores /= 1.0 + w.late
        # a title that is an occupation's preferred label names that occupation: it ranks first whatever the priors
        # say of generic names ("Accountant" was 4th behind accounting assistant, "Backend developer" 2nd)
        preferred = self._preferred_rows()
        for row, query in enumerate(queries):
            j = preferred.get(" ".join(query.split()))
            if j is not None and evidence[row, j]:
                scores[row, j] = max(float(scores[row, j]), float(scores[row].max()) + PREFERRED_LEAD)
        k = min(top, scores.shape[1])
        concepts = self.index.concepts
        ranked: list[list[TitleMatch]] = []
        for row in range(len(scores)):
            best = np.argpartition(-scores[row], k - 1)[:k]
            best = best[np.argsort(-scores[row, best], kind="stable")]
            best = best[scores[row, best] > 0]
            matched = self._matched_labels(queries[row], None if vectors is None else vectors[row], best)
            ranked.append(
                [
                    TitleMatch(
                        self.index.uris[j],
                        self.index.display[j],
                        float(np.clip(scores[row, j], 0.0, 1.0)),
                        getattr(concepts[j], "isco_code", ""),
                        label,
                    )
                    for j, label in zip(best, matched, strict=True)
                ]
            )
        for i, row in zip(live, row_of, strict=True):
            results[i] = list(ranked[row])

    def _preferred_rows(self) -> dict[str, int]:
        """Occupation row by its preferred label read as a title query is (``_query_text``, single spaces)."""
        if self._preferred is None:
            rows: dict[str, int] = {}
            for j, label in enumerate(self.index.display):
                rows.setdefault(" ".join(self._query_text(label).split()), j)
            self._preferred = rows
        return self._preferred

    def _label_rows(self, concepts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The label rows of ``concepts``, concatenated concept by concept, and where each concept's rows start."""
        idx = self.index
        starts = idx.label_starts[concepts]
        counts = np.append(idx.label_starts[1:], len(idx.labels))[concepts] - starts
        offsets = np.zeros(len(concepts), dtype=np.int64)
        np.cumsum(counts[:-1], out=offsets[1:])
        return np.arange(int(counts.sum())) + np.repeat(starts - offsets, counts), offsets

    def _matched_labels(self, query: str, vector: np.ndarray | None, concepts: np.ndarray) -> list[str]:
        """Per concept, its label closest to the title: best cosine with the title's vector (one product for all
        the concepts), or without an encoder the label sharing most word keys with the query (the first, the
        preferred label, on ties)."""
        idx = self.index
        if not len(concepts):
            return []
        labels, offsets = self._label_rows(concepts)
        if vector is not None and idx.label_vectors is not None:
            closeness = idx.label_vectors[labels] @ vector
        else:
            keys = {t.key for t in tokens(query)}
            closeness = np.asarray([len(keys & {t.key for t in tokens(idx.labels[j])}) for j in labels])
        ends = [*offsets[1:], len(labels)]
        return [idx.labels[labels[a + int(np.argmax(closeness[a:b]))]] for a, b in zip(offsets, ends, strict=True)]

    def candidate_scores(
        self, query: str, second: np.ndarray | None, concepts: np.ndarray, w: TitleWeights
    ) -> np.ndarray:
        """The signals computed for a title's candidates only, weighted and summed, for ``concepts``: the second
        encoder's best-label and preferred-label cosines (``second`` is the title's vector from it) and the
        first-word / head-word matches with the labels (``query`` is the title's query text)."""
        out = np.zeros(len(concepts), dtype=np.float32)
        labels, offsets = self._label_rows(concepts)
        if second is not None and self.second_label_vectors is not None and w.second:
            sims = self.second_label_vectors[labels] @ second
            out += w.second * np.clip(np.maximum.reduceat(sims, offsets), 0.0, 1.0)
        if second is not None and self.second_preferred_vectors is not None and w.second_preferred:
            out += w.second_preferred * np.clip(self.second_preferred_vectors[concepts] @ second, 0.0, 1.0)
        if w.first_word or w.head_word:
            out += self._label_words().scores(query, labels, offsets, w)
        return out

    def _label_words(self) -> LabelWords:
        if self._words is None:
            self._words = LabelWords(self.index.labels)
        return self._words
