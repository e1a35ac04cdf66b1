"""Extraction gives the same answer however the work is cut: label blocks, unit blocks, text blocks, workers,
encoder batches."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.skills import text_units
from talentbridge.skills.encoder import EmbeddingCache, HashingEncoder
from talentbridge.skills.extract import SkillExtractor
from talentbridge.skills.minilm import MiniLMEncoder, _length_batches
from talentbridge.skills.text import tokens
from talentbridge.skills.text_units import blocks as _blocks

TEXTS = [
    "we build deep learning models in pytorch and write sql every day",
    "",
    "Experience with Python, torch and structured query language databases; ML background.",
    "파이토치를 이용한 딥러닝기반 머신러닝과 컴퓨터비전 개발",
    "welding. machine vision! data pipelines\n- spark - kafka\n• statistics",
    "   ",
    "computer vision and natural language processing for manufacturing quality inspection",
]


@pytest.fixture
def extractor(taxonomy, tmp_path):
    ex = SkillExtractor(taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path))
    ex.prepare()
    return ex


def as_dicts(results):
    return [[s.as_dict() for s in skills] for skills in results]


def test_best_scores_is_the_group_maximum_of_semantic_scores(extractor):
    index = extractor.index
    index._label_blocks = None
    index._blocks(labels_per_block=3)  # many small blocks of whole concepts
    queries = HashingEncoder().encode(["deep learning", "pytorch", "sql", "welding robots", "vision"])
    groups = np.array([0, 1, 4])
    best, rows = index.best_scores(queries, groups)
    full = index.semantic_scores(queries)
    for g, (a, b) in enumerate([(0, 1), (1, 4), (4, 5)]):
        assert np.allclose(best[g], full[a:b].max(axis=0), atol=1e-6)
        assert np.array_equal(rows[g], full[a:b].argmax(axis=0))


@pytest.mark.parametrize("window_sizes", [(), (2, 4)])
def test_results_do_not_depend_on_how_the_work_is_cut(extractor, window_sizes):
    extractor.window_sizes = window_sizes
    extractor.window_mode = "encoded"  # the hashing encoder has no token vectors to pool
    texts = TEXTS * 3
    reference = as_dicts(extractor.extract_many(texts, top=8))
    extractor.block_texts, extractor.block_units = 2, 3  # texts spread over blocks, long texts over products
    assert as_dicts(extractor.extract_many(texts, top=8)) == reference
    assert as_dicts(extractor.extract_many(texts, top=8, workers=2)) == reference
    assert as_dicts([extractor.extract(t, top=8) for t in texts]) == reference


def test_semantic_span_is_the_best_chunk(extractor):
    text = "welding and soldering of steel.\nWe train deep learning models with pytorch."
    (skills,) = extractor.extract_many([text], top=20)
    chunks = text_units.chunks(text, tokens(text), extractor.chunk_tokens)
    for s in skills:
        if s.via == "semantic":
            assert s.spans[0] in chunks


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 300), max_size=300), st.integers(1, 64), st.integers(1, 5))
def test_text_blocks_cover_the_texts_in_order(lengths, max_texts, workers):
    texts = ["x" * n for n in lengths]
    blocks = _blocks(texts, max_texts, workers)
    assert [t for b in blocks for t in b] == texts
    assert all(0 < len(b) <= max_texts for b in blocks)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 256), max_size=400), st.integers(1, 64), st.integers(0, 40))
def test_length_batches_cover_in_order_within_limits(lengths, max_size, overhead):
    lengths = np.sort(np.asarray(lengths, dtype=np.int64))
    batches = _length_batches(lengths, max_size, 1024, overhead)
    assert [i for a, b in batches for i in range(a, b)] == list(range(len(lengths)))
    for a, b in batches:
        assert 0 < b - a <= max_size
        assert b - a == 1 or (b - a) * lengths[b - 1] <= 1024


def test_length_batches_separate_short_from_long():
    lengths = np.array([5] * 40 + [120] * 3)
    assert _length_batches(lengths, 64, 8192, 12) == [(0, 40), (40, 43)]


def test_minilm_vectors_do_not_depend_on_batching():
    texts = ["a", "deep learning with pytorch", "welding " * 40, "sql", "machine vision for quality inspection"]
    enc = MiniLMEncoder()
    together = enc.encode(texts)
    alone = np.vstack([enc.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
