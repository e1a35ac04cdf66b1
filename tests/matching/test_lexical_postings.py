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


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=25), max_size=15), docs, openings)
def test_an_extended_corpus_is_the_corpus_of_all_its_documents(
    first: list[list[str]], more: list[list[str]], texts: list[str]
) -> None:
    """A pool that grows reads only its newcomers (``services.lexical_pool``): extending a corpus must give what
    building it from every document gives, and leave the corpus it extends (shared by lists in flight) as it was."""
    base = LexicalCorpus(first)
    before = (dict(base.df), base.n, base.avgdl, base.lengths.copy(), [dict(tf) for tf in base.docs])
    grown = base.extended(more)
    whole = LexicalCorpus(first + more)
    assert grown.df == whole.df and grown.n == whole.n and grown.docs == whole.docs
    assert grown.avgdl == whole.avgdl
    np.testing.assert_array_equal(grown.lengths, whole.lengths)
    a, b = LexicalQueries(grown, texts), LexicalQueries(whole, texts)
    np.testing.assert_array_equal(a.mean, b.mean)
    np.testing.assert_array_equal(a.std, b.std)
    assert (dict(base.df), base.n, base.avgdl, [dict(tf) for tf in base.docs]) == (
        before[0],
        before[1],
        before[2],
        before[4],
    )
    np.testing.assert_array_equal(base.lengths, before[3])
