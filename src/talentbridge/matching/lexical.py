"""The ``lexical`` criterion's numbers: how much more a profile's text uses the words of an opening's text than the
profiles of the pool do.

* ``terms(text)``: lower-cased Latin words with a light suffix stemming (accountant, accounting -> account) and
  character bigrams of Hangul runs (회계사 -> 회계, 계사), common function words left out.
* ``LexicalCorpus(docs)``: document frequencies and mean length of a pool of profile texts (the talent index, or a
  sample of it), for Okapi BM25 (``k1`` 1.2, ``b`` 0.75) with the opening's distinct terms as the query and a
  profile as the document.
* ``LexicalQueries``: openings compiled against a corpus: per opening its terms and the mean and standard
  deviation of its BM25 over the corpus documents. ``z(profile)`` gives, per opening, the profile's BM25
  standardised by that opening's mean and deviation: a bare title ("Chef") and a long ad become comparable, and a
  word every profile uses counts for little.
* **A bare title widened by the pool** (pseudo-relevance feedback, the relevance model of information retrieval):
  an opening of at most ``EXPAND_MAX_TERMS`` distinct terms is matched, before it is standardised, with the
  ``EXPAND_TERMS`` terms that best characterise the ``EXPAND_DOCS`` pool profiles using its own words most (each
  profile weighted by its BM25 for the title; a term by its share of the profile times its idf), together weighing
  ``EXPAND_WEIGHT`` times the title's own terms. "Accountant" then also counts *ledger*, *reconciliation* and
  *payable*, which separates an accountant from a banker who mentions accounts once. Nothing is widened when fewer
  than ``EXPAND_MIN_DOCS`` pool profiles use the title's words.

The criterion is ``criteria.lexical_score(z)`` (0 at the pool's mean, 1 at ``LEXICAL_Z_FULL`` deviations above).
Pure: no I/O; the services build the corpus from the talent pool.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "terms",
    "LexicalCorpus",
    "LexicalQueries",
    "EmbeddingPool",
    "K1",
    "B",
    "MIN_STD",
    "EXPAND_MAX_TERMS",
    "EXPAND_DOCS",
    "EXPAND_TERMS",
    "EXPAND_WEIGHT",
    "EXPAND_MIN_DOCS",
    "TITLES_EXPAND",
    "expands",
]

K1 = 1.2
B = 0.75
#: Deviation below which an opening's BM25 is treated as constant over the pool (no term of it occurs).
MIN_STD = 1e-6
#: Widening of bare titles by the pool (module docstring). Chosen on half A of the résumé-routing development set
#: (``benchmarks/eval_routing.py``; docs/matching.md): accuracy@1 moved by at most a point or two across 10-40
#: profiles, 30-100 terms and weights 1-2.
EXPAND_MAX_TERMS = 12
EXPAND_DOCS = 20
EXPAND_TERMS = 30
EXPAND_WEIGHT = 1.0
EXPAND_MIN_DOCS = 3
#: Whether openings' titles are widened for the ``titles`` criterion (against the pool's job titles). They are not:
#: on half A of the résumé-routing set widened and as-written titles scored alike, and every title is short, so
#: widening them all would cost seconds per 10,000 openings at each pool rebuild.
TITLES_EXPAND = False


def expands(kind: str) -> bool:
    """Whether bare openings are widened when compiled against a corpus of ``kind`` ("text": yes; "titles":
    ``TITLES_EXPAND``)."""
    return kind != "titles" or TITLES_EXPAND

_LATIN = re.compile(r"[a-z0-9]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "was",
        "we",
        "were",
        "will",
        "with",
        "you",
        "your",
    ]
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ants", "ant", "ents", "ent", "ers", "er", "ies", "es", "s")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    """The text's terms (see module docstring), in order, repeated as they occur."""
    low = text.lower()
    out = [_stem(w) for w in _LATIN.findall(low) if w not in _STOP and len(w) > 1]
    for run in _HANGUL.findall(low):
        out += [run] if len(run) < 2 else [run[i : i + 2] for i in range(len(run) - 1)]
    return out


class LexicalCorpus:
    """Document frequencies and mean length of a pool of documents (each given as its terms)."""

    def __init__(self, docs: Iterable[Sequence[str]]) -> None:
        self.df: Counter[str] = Counter()
        self.docs: list[Counter[str]] = []
        total = 0
        for d in docs:
            tf = Counter(d)
            self.docs.append(tf)
            self.df.update(tf.keys())
            total += len(d)
        self.n = len(self.docs)
        self.avgdl = total / self.n if self.n else 1.0
        self.lengths = np.array([sum(tf.values()) for tf in self.docs], dtype=np.float64)

    def __len__(self) -> int:
        return self.n

    def extended(self, docs: Iterable[Sequence[str]]) -> LexicalCorpus:
        """A new corpus of this one's documents followed by ``docs``: the same as one built from all of them, at the
        cost of the new documents only. This one is left as it is (a corpus is shared by the lists in flight)."""
        new = LexicalCorpus(())
        new.df = Counter(self.df)
        new.docs = list(self.docs)
        added: list[int] = []
        for d in docs:
            tf = Counter(d)
            new.docs.append(tf)
            new.df.update(tf.keys())
            added.append(len(d))
        new.n = len(new.docs)
        total = int(self.lengths.sum()) + sum(added)
        new.avgdl = total / new.n if new.n else 1.0
        new.lengths = np.concatenate([self.lengths, np.array(added, dtype=np.float64)])
        return new

    def postings(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """term -> (documents holding it, ascending; its counts there), built on first use: compiling one
        opening then reads its terms' postings instead of every document."""
        found = getattr(self, "_postings", None)
        if found is None:
            rows: dict[str, list[int]] = {}
            counts: dict[str, list[int]] = {}
            for d, tf in enumerate(self.docs):
                for t, c in tf.items():
                    rows.setdefault(t, []).append(d)
                    counts.setdefault(t, []).append(c)
            found = {t: (np.array(r, dtype=np.int64), np.array(counts[t], dtype=np.float64)) for t, r in rows.items()}
            self._postings = found  # a race builds it twice, the same
        return found

    def matrix(self, names: Sequence[str], value: Any) -> Any:
        """documents x ``names`` sparse matrix; entry ``value(counts, documents, columns)`` for each posting (a term
        no document holds is an empty column)."""
        from scipy import sparse

        postings = self.postings()
        held = [(k, postings[t]) for k, t in enumerate(names) if t in postings]
        none = np.zeros(0, dtype=np.int64)
        rows = np.concatenate([p[0] for _, p in held] or [none])
        cols = np.concatenate([np.full(len(p[0]), k, dtype=np.int64) for k, p in held] or [none])
        counts = np.concatenate([p[1] for _, p in held] or [np.zeros(0)])
        return sparse.csr_matrix((value(counts, rows, cols), (rows, cols)), shape=(self.n, len(names)))

    def profile_terms(self) -> tuple[Any, list[str], dict[str, int]]:
        """(documents x terms sparse matrix of each term's share of the document times its idf, the terms, each
        term's column), built on first use: what widening a bare title reads."""
        found = getattr(self, "_profile_terms", None)
        if found is None:
            names = list(self.postings())
            idf = np.array([self.idf(t) for t in names], dtype=np.float64)
            matrix = self.matrix(names, lambda c, r, k: c / np.maximum(self.lengths[r], 1.0) * idf[k])
            found = (matrix, names, {t: i for i, t in enumerate(names)})
            self._profile_terms = found  # a race builds it twice, the same
        return found

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def contributions(self, tf: np.ndarray, length: float | np.ndarray) -> np.ndarray:
        """BM25 term weight without the idf for term frequencies ``tf`` in a document of ``length`` terms."""
        norm = K1 * (1.0 - B + B * np.asarray(length, dtype=np.float64) / max(self.avgdl, 1e-9))
        return tf * (K1 + 1.0) / (tf + norm)


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest positive ``scores``, ties broken by the lower index."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) <= k:
        return positive
    threshold = -np.partition(-scores[positive], k - 1)[k - 1]
    above = positive[scores[positive] > threshold]
    tied = positive[scores[positive] == threshold]
    return np.concatenate([above, tied[: k - len(above)]])


class LexicalQueries:
    """Openings' texts compiled against a corpus: ``z(doc_terms)`` is (n,) standardised BM25 of one profile,
    NaN where an opening has no term, the corpus is empty or no corpus document shares a term with the opening
    (the criterion is then not applicable). A query term has a weight: 1 for the opening's own terms, less for
    the terms a bare title is widened with (``expanded``; ``expand=False`` leaves every opening as written)."""

    #: openings per block when scoring the corpus (documents x block dense)
    BLOCK = 2048
    #: bare titles per block when finding the profiles that use their words most
    WIDEN_BLOCK = 256

    def __init__(self, corpus: LexicalCorpus, texts: Sequence[str], *, expand: bool = True) -> None:
        self.corpus = corpus
        self.n = n = len(texts)
        self.vocab: dict[str, int] = {}
        term_of: list[int] = []
        opening_of: list[int] = []
        for j, text in enumerate(texts):
            for t in dict.fromkeys(terms(text)):
                term_of.append(self.vocab.setdefault(t, len(self.vocab)))
                opening_of.append(j)
        self._term = np.array(term_of, dtype=np.int64)
        self._opening = np.array(opening_of, dtype=np.int64)
        self._weight = np.ones(len(term_of))
        self.has_terms = np.bincount(self._opening, minlength=n) > 0
        #: per opening, the terms it was widened with and their weights (empty when not widened)
        self.expanded: list[dict[str, float]] = [{} for _ in range(n)]
        self.mean = np.zeros(n)
        self.std = np.zeros(n)
        self.idf = np.array([corpus.idf(t) for t in self.vocab], dtype=np.float64)
        if not (corpus.n and self.vocab):
            return
        sizes = np.bincount(self._opening, minlength=n)
        narrow = (sizes > 0) & (sizes <= EXPAND_MAX_TERMS)
        if expand and narrow.any():
            self._widen(np.flatnonzero(narrow), sizes)
        doc_term = self._doc_term()
        incidence = self._incidence()
        for start in range(0, n, self.BLOCK):
            block = (doc_term @ incidence[:, start : start + self.BLOCK]).toarray()
            self.mean[start : start + self.BLOCK] = block.mean(axis=0)
            self.std[start : start + self.BLOCK] = block.std(axis=0)

    def _doc_term(self) -> Any:
        """documents x query terms: idf x BM25 term weight (sparse); sets ``idf`` for the current vocabulary."""
        corpus = self.corpus
        self.idf = np.array([corpus.idf(t) for t in self.vocab], dtype=np.float64)
        return corpus.matrix(list(self.vocab), lambda c, r, k: self.idf[k] * corpus.contributions(c, corpus.lengths[r]))

    def _incidence(self) -> Any:
        """query terms x openings: each term's weight in each opening's query (sparse)."""
        from scipy import sparse

        shape = (len(self.vocab), self.n)
        return sparse.csc_matrix((self._weight, (self._term, self._opening)), shape=shape)

    def _widen(self, narrow: np.ndarray, sizes: np.ndarray) -> None:
        """Add to each opening of ``narrow`` (``sizes``: every opening's number of own terms) the terms of the pool
        profiles that use its words most (module docstring); the new terms join ``vocab`` and the query arrays."""
        from scipy import sparse

        corpus = self.corpus
        doc_term, incidence = self._doc_term(), self._incidence()
        k = min(EXPAND_DOCS, corpus.n)
        picked_rows: list[np.ndarray] = []
        picked_docs: list[np.ndarray] = []
        picked_weights: list[np.ndarray] = []
        for start in range(0, len(narrow), self.WIDEN_BLOCK):
            cols = narrow[start : start + self.WIDEN_BLOCK]
            scores = (doc_term @ incidence[:, cols]).toarray()  # documents x these openings
            # rounded, ties to the lower document index: one opening compiled alone picks the same profiles
            scores = np.round(scores, 9)
            for c in range(len(cols)):
                top = _best(scores[:, c], k)
                if len(top) < EXPAND_MIN_DOCS:
                    continue
                picked_rows.append(np.full(len(top), start + c))
                picked_docs.append(top)
                picked_weights.append(scores[top, c] / scores[top, c].sum())
        if not picked_rows:
            return
        rows = np.concatenate(picked_rows)
        relevance = sparse.csr_matrix(
            (np.concatenate(picked_weights), (rows, np.concatenate(picked_docs))), shape=(len(narrow), corpus.n)
        )
        matrix, names, column = corpus.profile_terms()
        model = (relevance @ matrix).tocsr()  # narrow openings x corpus terms: the relevance model times idf
        model.sort_indices()
        # each opening's own terms, as columns of the corpus matrix (-1: no profile uses it): never added again
        own_column = np.array([column.get(t, -1) for t in self.vocab], dtype=np.int64)[self._term]
        new_term, new_opening, new_weight = [], [], []
        for r, j in enumerate(narrow):
            j = int(j)
            lo, hi = model.indptr[r], model.indptr[r + 1]
            idx, val = model.indices[lo:hi], model.data[lo:hi].copy()
            if not len(idx):
                continue
            val[np.isin(idx, own_column[self._opening == j])] = 0.0
            take = np.argsort(-np.round(val, 12), kind="stable")[:EXPAND_TERMS]
            take = take[val[take] > 0]
            if not len(take):
                continue
            share = val[take] / val[take].sum() * EXPAND_WEIGHT * int(sizes[j])
            for i, w in zip(idx[take], share, strict=True):
                name = names[int(i)]
                new_term.append(self.vocab.setdefault(name, len(self.vocab)))
                new_opening.append(j)
                new_weight.append(float(w))
                self.expanded[j][name] = float(w)
        self._term = np.concatenate([self._term, np.array(new_term, dtype=np.int64)])
        self._opening = np.concatenate([self._opening, np.array(new_opening, dtype=np.int64)])
        self._weight = np.concatenate([self._weight, np.array(new_weight)])

    def __len__(self) -> int:
        return self.n

    def bm25(self, doc_terms: Sequence[str]) -> np.ndarray:
        """(n,) BM25 of one document (its terms) for every opening (each query term times its weight)."""
        counts = np.zeros(len(self.vocab))
        for t, c in Counter(doc_terms).items():
            k = self.vocab.get(t)
            if k is not None:
                counts[k] = c
        weights = self.idf * self.corpus.contributions(counts, float(len(doc_terms)))
        return np.bincount(self._opening, weights=weights[self._term] * self._weight, minlength=self.n)

    def z(self, doc_terms: Sequence[str]) -> np.ndarray:
        """(n,) ``(bm25 - mean) / std`` per opening; NaN where not applicable (see the class) or for an empty
        text."""
        out = np.full(self.n, np.nan)
        if not doc_terms or not self.corpus.n:
            return out
        ok = self.has_terms & (self.std > MIN_STD)
        s = self.bm25(doc_terms)
        out[ok] = (s[ok] - self.mean[ok]) / self.std[ok]
        return out


class EmbeddingPool:
    """Mean and covariance of the talent pool's text embeddings, so that an opening's cosine with a profile can be
    standardised over the pool without scoring every profile: for an opening embedding ``e`` the pool's cosines
    have mean ``e·μ`` and variance ``eᵀΣe``. The ``text`` criterion then says how far above the pool's usual
    similarity to this opening a profile sits (a bare title and a long ad become comparable, as for ``lexical``)."""

    def __init__(self, vectors: np.ndarray) -> None:
        v = np.asarray(vectors, dtype=np.float64)
        self.n = int(v.shape[0])
        self.mean = v.mean(axis=0) if self.n else np.zeros(v.shape[1] if v.ndim == 2 else 0)
        centred = v - self.mean
        self.cov = centred.T @ centred / max(self.n, 1)

    def __len__(self) -> int:
        return self.n

    def stats(self, openings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mean, standard deviation) of the pool's cosines with each row of ``openings`` ((n, dim) unit vectors)."""
        e = np.asarray(openings, dtype=np.float64)
        mean = e @ self.mean
        var = np.einsum("ij,jk,ik->i", e, self.cov, e)
        return mean, np.sqrt(np.maximum(var, 0.0))

    def z(self, cosines: np.ndarray, mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
        """``(cosine - mean) / sd``; NaN where the cosine is NaN or the pool has no spread."""
        cos = np.asarray(cosines, dtype=np.float64)
        ok = (sd > MIN_STD) & ~np.isnan(cos)
        out = np.full(cos.shape, np.nan)
        out[ok] = (cos[ok] - mean[ok]) / sd[ok]
        return out
