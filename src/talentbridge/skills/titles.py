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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from talentbridge.skills.concepts import ConceptIndex
from talentbridge.skills.encoder import EmbeddingCache, Encoder, Progress
from talentbridge.skills.occupation_priors import FEATURES, occupation_features
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.skills.text import check_text, has_hangul, normalize, tokens

__all__ = ["TitleNormalizer", "TitleMatch", "TitleWeights", "expand_abbreviations"]

#: How far above every other occupation a title's exact preferred label is put (scale of the fused score).
PREFERRED_LEAD = 1e-3

#: Common job-title abbreviations and shorthand (general English usage; ESCO writes "ICT" for IT).
ABBREVIATIONS = {
    "it": "ICT", "hr": "human resources", "hrd": "human resources development", "admin": "administrative",
    "acct": "accounting", "accts": "accounting", "accounts": "accounting", "mgr": "manager", "asst": "assistant",
    "exec": "executive", "snr": "senior", "sr": "senior", "jr": "junior", "engr": "engineer", "rep": "representative",
    "reps": "representatives", "qa": "quality assurance", "qc": "quality control", "f&b": "food and beverage",
    "r&d": "research and development", "ops": "operations", "dev": "developer", "coord": "coordinator",
    "pa": "personal assistant", "ceo": "chief executive officer", "cfo": "chief financial officer",
    "cto": "chief technology officer", "coo": "chief operating officer", "cio": "chief information officer",
    "gm": "general manager", "hod": "head of department", "csr": "customer service representative",
    "cs": "customer service", "bd": "business development", "biz": "business", "mktg": "marketing",
    "ar": "accounts receivable", "ap": "accounts payable", "m&e": "mechanical and electrical",
    "hse": "health safety environment", "ehs": "environment health safety", "dba": "database administrator",
    "qs": "quantity surveyor", "pr": "public relations", "ui": "user interface", "ux": "user experience",
    "vp": "vice president", "svp": "senior vice president", "avp": "assistant vice president", "tech": "technical",
    "dr": "doctor", "cnc": "CNC machine", "mech": "mechanical", "elec": "electrical", "govt": "government",
    "intl": "international", "mfg": "manufacturing", "prod": "production", "maint": "maintenance",
    "cum": "and", "ecommerce": "e-commerce", "fullstack": "full stack", "frontend": "front end",
    "backend": "back end", "aircon": "air conditioning",
}  # fmt: skip
_ABBREVIATION = re.compile(r"[A-Za-z]+&[A-Za-z]+|[A-Za-z]+")

#: Words that make a title managerial; occupations whose preferred label has one are penalized without them.
MANAGERIAL = frozenset(
    [
        "manager",
        "managers",
        "director",
        "head",
        "chief",
        "supervisor",
        "lead",
        "leader",
        "president",
        "superintendent",
        "foreman",
        "principal",
        "owner",
        "partner",
    ]
)
_MANAGERIAL_LABEL = frozenset(
    ["manager", "director", "chief", "head", "supervisor", "superintendent", "foreman", "forewoman", "president"]
)


def expand_abbreviations(title: str) -> str:
    """``title`` with common job-title abbreviations spelled out (``HR Exec`` → ``human resources executive``)."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS.get(m.group().lower(), m.group()), title)


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


@dataclass
class TitleWeights:
    """Fusion weights, fitted on half A of the development titles as a conditional logit over the top 100
    candidates (``benchmarks/fit_title_weights.py``, docs/skills.md; half B stays held out). The score is divided
    by the sum of the evidence weights so that it stays about 0..1; the prior terms are small nudges between
    near-ties."""

    semantic: float = 0.1956
    bm25: float = 0.0384
    exact: float = 0.0  # an exact label already has semantic and preferred 1.0; kept for lexical-only use
    cover: float = 0.0251
    document: float = 0.1862
    preferred: float = 0.0542
    # cosine with the normalised (essential + 0.5 x optional) sum of the occupation's skill-label vectors: a title
    # that names a tool or a task ("Kafka developer") leans to occupations that need it
    skills: float = 0.2525
    # a second encoder's best-label and preferred-label cosines (multilingual USE next to MiniLM: a second
    # opinion with other training data; ``TitleNormalizer(second_encoder=...)``)
    second: float = 0.1673
    second_preferred: float = 0.0797
    # on the candidates: some label's first word is the title's first word, some label's head (last) word is
    # the title's last word (a Dice overlap of word sets was measured too: +0.001 acc@1 for 15% of the speed)
    first_word: float = 0.0204
    head_word: float = -0.0193
    # priors from the taxonomy's own structure (no training data): generic occupations with narrower
    # occupations under them and long labels are rarely what a short vacancy title means
    prior_children: float = -0.1317  # × log(1 + number of narrower occupations)
    prior_has_parent: float = -0.0298  # occupation is itself under another occupation
    prior_label_words: float = -0.007  # × words in the preferred label
    prior_skills: float = 0.0228  # × log(1 + number of linked skills)
    prior_alt_labels: float = 0.0141  # × log(1 + number of alternative labels): common occupations have many names
    prior_description_words: float = -0.0343  # × log(1 + words in the description)
    # × wordfreq Zipf frequency in general English of the preferred label, the best and the mean over the English
    # labels, and of the preferred label's rarest word: a common name is a common occupation
    prior_name_frequency: float = -0.0067
    prior_name_frequency_max: float = 0.029
    prior_name_frequency_mean: float = 0.0147
    prior_rarest_word: float = 0.011
    # × log(1 + other occupations of the same ISCO sub-major (2-digit) / unit (4-digit) group with a label that
    # contains every word of the preferred label): a generic name with specialisations under it
    prior_variants_group: float = 0.0605
    prior_variants_unit: float = -0.0696
    # × 1 for the occupation's ISCO major group 0..9 (armed forces and farming are rare in vacancy titles)
    prior_major: tuple[float, ...] = (-0.1142, -0.0127, 0.0218, 0.013, 0.0075, 0.0129, -0.0167, -0.0022, 0.0099, 0.0808)  # fmt: skip
    unasked_manager: float = -0.0813  # managerial occupation for a title without a managerial word
    korean_head: float = 0.0  # occupation in the ISCO major group named by a Korean title's head word (원, 공 ...)
    # late interaction (label tokens -> title tokens, idf²-weighted) for the best ``late_top`` occupations, added
    # to their final score (scale of the fused score); needs an encoder with ``encode_tokens`` (MiniLM)
    late: float = 0.1578
    late_top: int = 40
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def evidence(self) -> float:
        return (
            self.semantic
            + self.bm25
            + self.exact
            + self.cover
            + self.document
            + self.preferred
            + self.skills
            + self.second
            + self.second_preferred
            + self.first_word
            + self.head_word
        )


#: Weights for Korean titles (translated word by word): the glossary's English is plainer than vacancy titles, so
#: the label cosine leads; the second encoder, the first/head-word signals and the late interaction are off. Fitted on
#: half A of the Korean development titles only (``benchmarks/fit_korean_weights.py --nonneg --priors bounded
#: --guard``, "current + coordinate": coordinate ascent on major-group accuracy from the earlier hand-set weights,
#: evidence weights >= 0, priors within +-0.05 of the label cosine's weight, every step kept only when the everyday
#: titles of ``benchmarks/korean_everyday_titles.py`` got no worse); half B is held out (docs/skills.md, "Korean
#: weights on held-out halves"). Scale: the evidence weights sum to 1.
KOREAN_WEIGHTS = TitleWeights(
    semantic=0.6711,
    bm25=0.0537,
    exact=0.1342,
    cover=0.0134,
    document=0.0805,
    preferred=0.0,
    skills=0.047,
    second=0.0,  # USE's own Korean reading: the glossary's English is the better query
    second_preferred=0.0,
    first_word=0.0,
    head_word=0.0,
    prior_children=0.0067,
    prior_has_parent=-0.0067,
    prior_label_words=-0.0067,
    prior_skills=-0.0067,
    prior_alt_labels=0.0,
    prior_description_words=-0.0134,
    prior_name_frequency=0.0134,
    prior_name_frequency_max=-0.0201,
    prior_name_frequency_mean=-0.0134,
    prior_rarest_word=0.0,
    prior_variants_group=0.0134,
    prior_variants_unit=-0.0134,
    prior_major=(),
    unasked_manager=-0.047,
    korean_head=0.1678,
    late=0.0,
)


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
            [bool(_MANAGERIAL_LABEL & set(d.lower().split())) for d in self.index.display], dtype=np.float32
        )
        self.document_vectors: np.ndarray | None = None
        self.preferred_vectors: np.ndarray | None = None
        self.skill_vectors: np.ndarray | None = None  # one unit vector per occupation (zero without skills)
        self.second_label_vectors: np.ndarray | None = None
        self.second_preferred_vectors: np.ndarray | None = None
        self.late: _LateInteraction | None = None
        self.block_titles = 512
        self.candidates = 50  # occupations per title that the candidate signals and the late interaction see
        self._words: _LabelWords | None = None

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
                self.late = _LateInteraction.build(self.index, self.encoder, self.cache, progress)
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
                title_tokens = [_content_tokens(t) for t in token_vectors]
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

    def _label_words(self) -> _LabelWords:
        if self._words is None:
            self._words = _LabelWords(self.index.labels)
        return self._words


class _LabelWords:
    """The first and the last word key (``text.tokens``) of every label, as ids, for the word signals on
    candidates (-1 for a label without words)."""

    def __init__(self, labels: Sequence[str]) -> None:
        vocab: dict[str, int] = {}
        first = np.full(len(labels), -1, dtype=np.int64)
        last = np.full(len(labels), -1, dtype=np.int64)
        for j, label in enumerate(labels):
            keys = [t.key for t in tokens(label)]
            if keys:
                first[j] = vocab.setdefault(keys[0], len(vocab))
                last[j] = vocab.setdefault(keys[-1], len(vocab))
        self.vocab = vocab
        self.first, self.last = first, last

    def scores(self, query: str, labels: np.ndarray, offsets: np.ndarray, w: TitleWeights) -> np.ndarray:
        """Per concept (``labels`` grouped at ``offsets``), the weighted best-label word signals of ``query``."""
        keys = [t.key for t in tokens(query)]
        out = np.zeros(len(offsets), dtype=np.float32)
        if not keys or not len(labels):
            return out
        # an unknown word gets an id below -1: equal to no label's word, nor to a label without words (-1)
        if w.first_word:
            hit = self.first[labels] == self.vocab.get(keys[0], -2)
            out += w.first_word * np.maximum.reduceat(hit.astype(np.float32), offsets)
        if w.head_word:
            hit = self.last[labels] == self.vocab.get(keys[-1], -2)
            out += w.head_word * np.maximum.reduceat(hit.astype(np.float32), offsets)
        return out


def _content_tokens(vectors: np.ndarray) -> np.ndarray:
    """Token vectors without ``[CLS]``/``[SEP]`` (kept when nothing else is there), rows L2-normalised."""
    if len(vectors) > 2:
        vectors = vectors[1:-1]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


class _LateInteraction:
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
    ) -> _LateInteraction:
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
                parts.append(_content_tokens(tv).astype(np.float16))
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
