"""Lexical matching over taxonomy labels: an exact n-gram index of all labels and a BM25 index over concepts.

``LabelIndex`` maps the key of every label (tokens joined without spaces, see ``text.tokens``) to the concepts that
carry it and finds every label occurrence in a text in one pass over its token n-grams (O(tokens × max label
length) dictionary look-ups).

``BM25Index`` scores concepts against a bag of token keys with Okapi BM25 over the concatenated labels of each
concept; it is a sparse matrix product, a few hundred microseconds per query over all of ESCO.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from talentbridge.skills.text import Token, tokens

__all__ = ["LabelIndex", "LabelMatch", "BM25Index", "ENGLISH_STOPWORDS"]

_STOPWORDS = """a an and are as at be by for from has have in into is it its of on or our the their this to was we
    were will with you your who what which all any can able etc per via other others"""
ENGLISH_STOPWORDS = frozenset(_STOPWORDS.split())

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]{2,}")


def keeps_hangul(label: str, toks: Sequence[Token]) -> bool:
    """Whether the tokens of ``label`` still say what its Hangul words say. The morphological analyser splits some
    words it does not know into a stem and an ending and keeps only part: "AWS 글루" is read as *AWS*, "로봇 인지" as
    *로봇*, "도커" as *크*, "유동해석" as *유동*, "넘파이" as *파이*. Indexed under such a key, a label would match
    every text that names only the part left ("AWS", "로봇 팔", "유동성 관리", "파이 차트"). A word keeps its
    meaning when its first syllable is read, no two syllables in a row are lost and at least half are read: a
    particle or an ending may go ("자료구조와", "설명 가능한"), as may a one-syllable word (및, 등)."""
    for word in _HANGUL_WORD.finditer(label):
        covered = [any(t.start <= i < t.end for t in toks) for i in range(word.start(), word.end())]
        run = longest = 0
        for c in covered:
            run = 0 if c else run + 1
            longest = max(longest, run)
        if not covered[0] or longest >= 2 or 2 * sum(covered) < len(covered):
            return False
    return True


@dataclass(frozen=True, slots=True)
class LabelMatch:
    concept: int  # concept index
    start: int  # character offsets in the text
    end: int
    n_tokens: int
    weight: float  # label weight: 1.0 preferred label, lower for alternative labels


class LabelIndex:
    """Exact label occurrences (after tokenization) for a list of concepts.

    ``labels`` holds, per concept index, ``(label, weight)`` pairs. Labels whose key is shorter than two
    characters are ignored (except tech spellings such as ``c#``), as are keys made only of stopwords.
    ``tokenized`` maps a label to its ``tokens`` when the caller has them already.
    """

    def __init__(
        self,
        labels: Sequence[Iterable[tuple[str, float]]],
        max_tokens: int = 8,
        tokenized: Mapping[str, list[Token]] | None = None,
    ) -> None:
        self.max_tokens = 1
        self._index: dict[str, list[tuple[int, float]]] = {}
        # how many tokens the labels behind each key have: "ASR" (1) and "a Sr" (2) share the key "asr"
        self._lengths: dict[str, set[int]] = {}
        # (concept, label, weight) of the labels left out because the analyser reads them only in part
        # (``keeps_hangul``): whoever matches labels as written takes them from here
        self.partial: list[tuple[int, str, float]] = []
        for concept, pairs in enumerate(labels):
            for label, weight in pairs:
                toks = tokenized[label] if tokenized is not None and label in tokenized else tokens(label)
                if not toks or len(toks) > max_tokens:
                    continue
                if not keeps_hangul(label, toks):
                    self.partial.append((concept, label, weight))
                    continue
                if all(t.key in ENGLISH_STOPWORDS for t in toks):
                    continue
                key = "".join(t.key for t in toks)
                if len(key) < 2 and not any(c in key for c in "+#"):
                    continue
                self._lengths.setdefault(key, set()).add(len(toks))
                entries = self._index.setdefault(key, [])
                for i, (c, w) in enumerate(entries):
                    if c == concept:
                        if weight > w:
                            entries[i] = (c, weight)
                        break
                else:
                    entries.append((concept, weight))
                self.max_tokens = max(self.max_tokens, len(toks))

    def __len__(self) -> int:
        return len(self._index)

    def lookup(self, key: str) -> list[tuple[int, float]]:
        return self._index.get(key, [])

    def label_lengths(self, key: str) -> frozenset[int]:
        """Token counts of the labels whose key is ``key`` (empty for an unknown key)."""
        return frozenset(self._lengths.get(key, ()))

    def find(self, toks: Sequence[Token]) -> list[LabelMatch]:
        """Every label occurrence in the token sequence (overlaps included), left to right."""
        found: list[LabelMatch] = []
        index = self._index
        for i in range(len(toks)):
            key = ""
            for n in range(1, min(self.max_tokens, len(toks) - i) + 1):
                key += toks[i + n - 1].key
                hits = index.get(key)
                if hits:
                    start, end = toks[i].start, toks[i + n - 1].end
                    for concept, weight in hits:
                        found.append(LabelMatch(concept, start, end, n, weight))
        return found


class BM25Index:
    """Okapi BM25 over one token bag per concept (all its labels together)."""

    def __init__(
        self,
        docs: Sequence[Sequence[str]],
        k1: float = 1.2,
        b: float = 0.75,
        stopwords: frozenset[str] = ENGLISH_STOPWORDS,
    ) -> None:
        from scipy import sparse

        self.vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.zeros(len(docs), dtype=np.float32)
        for d, doc in enumerate(docs):
            counts: dict[int, int] = {}
            for term in doc:
                if term in stopwords:
                    continue
                t = self.vocab.setdefault(term, len(self.vocab))
                counts[t] = counts.get(t, 0) + 1
            lengths[d] = sum(counts.values())
            for t, c in counts.items():
                rows.append(d)
                cols.append(t)
                vals.append(c)
        tf = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(docs), max(len(self.vocab), 1))
        )
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=tf.shape[1]).astype(np.float32)
        n = max(len(docs), 1)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if len(docs) else 1.0
        norm = k1 * (1.0 - b + b * lengths / max(avg, 1e-9))
        tf = tf.tocoo()
        weighted = tf.data * (k1 + 1.0) / (tf.data + norm[tf.row]) * self.idf[tf.col]
        # column-major so that a query touches only the columns of its terms
        self.matrix = sparse.csc_matrix((weighted.astype(np.float32), (tf.row, tf.col)), shape=tf.shape)
        self.n_docs = len(docs)
        self.stopwords = stopwords

    def scores(self, query: Iterable[str]) -> np.ndarray:
        """BM25 score of every concept for the query terms (unknown terms are ignored)."""
        cols = sorted({self.vocab[t] for t in query if t in self.vocab and t not in self.stopwords})
        if not cols:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self.matrix[:, cols].sum(axis=1), dtype=np.float32).ravel()

    def scores_many(self, queries: Sequence[Iterable[str]]) -> np.ndarray:
        """``scores`` of several queries at once, shape ``(len(queries), n_docs)``: one sparse product instead of
        a column selection per query."""
        from scipy import sparse

        rows, cols = [], []
        for r, query in enumerate(queries):
            for c in {self.vocab[t] for t in query if t in self.vocab and t not in self.stopwords}:
                rows.append(r)
                cols.append(c)
        q = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(queries), self.matrix.shape[1])
        )
        return np.asarray((q @ self.matrix.T).toarray(), dtype=np.float32)

    def max_score(self, query: Iterable[str]) -> float:
        """Sum of the idf of the query terms: an upper bound used to scale scores to 0..1."""
        cols = {self.vocab[t] for t in query if t in self.vocab and t not in self.stopwords}
        return float(sum(self.idf[c] for c in cols))
