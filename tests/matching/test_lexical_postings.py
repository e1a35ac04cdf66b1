"""Compiling openings' texts against a corpus through its postings (``LexicalCorpus.postings``) gives each
opening's pool mean and deviation of BM25 exactly as scoring every document of the pool one by one does."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.matching.lexical import LexicalCorpus, LexicalQueries

WORDS = ["account", "kitchen", "chef", "ledger", "audit", "teacher", "python", "sales", "menu", "class", "회계"]

docs = st.lists(st.lists(st.sampled_from(WORDS), max_size=25), min_size=1, max_size=15)
openings = st.lists(st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join), min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(docs, openings)
def test_pool_statistics_equal_scoring_each_document(pool: list[list[str]], texts: list[str]) -> None:
    corpus = LexicalCorpus(pool)
    queries = LexicalQueries(corpus, texts)
    per_doc = np.array([queries.bm25(d) for d in pool])  # documents x openings, one document at a time
    np.testing.assert_allclose(queries.mean, per_doc.mean(axis=0), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(queries.std, per_doc.std(axis=0), rtol=1e-9, atol=1e-9)
    assert corpus.postings() is corpus.postings()  # built once
