"""Columns: appending in pieces (the incremental path of the index) gives the same arrays as building at once."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.matching.columns import SkillVocab, TalentColumns

from .conftest import TODAY
from .test_retrieval import random_talents


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=0, max_value=10_000),
    st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=12),
    st.booleans(),
)
def test_appending_in_pieces_equals_building_at_once(seed: int, sizes: list[int], with_text: bool) -> None:
    talents = random_talents(sum(sizes), seed)
    rng = np.random.default_rng(seed)
    emb = rng.normal(size=(len(talents), 4)).astype(np.float16) if with_text else None
    vocab = SkillVocab()
    whole = TalentColumns.from_talents(talents, vocab=vocab, today=TODAY, embeddings=emb)
    grown = TalentColumns.empty(vocab)
    at = 0
    for size in sizes:
        part = talents[at : at + size]
        part_emb = None if emb is None else emb[at : at + size]
        rows = grown.append(TalentColumns.from_talents(part, vocab=vocab, today=TODAY, embeddings=part_emb))
        assert rows.tolist() == list(range(at, at + size))
        grown.kill(rows[:1])  # writes go to the live arrays, not to a stale copy
        whole.kill(rows[:1])
        at += size
    for name, array in whole.arrays().items():
        assert np.array_equal(getattr(grown, name), array, equal_nan=True), name
    if emb is not None:
        assert grown.embeddings is not None and grown.embeddings.shape == emb.shape
    assert len(grown) == len(talents)
    assert grown.entries_of(np.arange(len(grown)))[1].tolist() == np.diff(whole.indptr).tolist()
