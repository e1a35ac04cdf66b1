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


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=30), st.data())
def test_wiping_rows_erases_them_and_leaves_every_other_row_as_it_was(seed: int, n: int, data: st.DataObject) -> None:
    talents = random_talents(n, seed)
    emb = np.random.default_rng(seed).normal(size=(n, 4)).astype(np.float16)
    cols = TalentColumns.from_talents(talents, vocab=SkillVocab(), today=TODAY, embeddings=emb)
    before = cols.take(np.arange(n))
    gone = sorted(data.draw(st.sets(st.integers(min_value=0, max_value=n - 1))))
    cols.wipe(np.array(gone, dtype=np.int64))
    kept = np.array([r for r in range(n) if r not in gone], dtype=np.int64)
    after = cols.take(kept)
    same = before.take(kept)
    for name, array in same.arrays().items():
        assert np.array_equal(getattr(after, name), array, equal_nan=True), name
    for r in gone:
        assert not cols.alive[r] and cols.indptr[r + 1] == cols.indptr[r]
        assert cols.birth_year[r] == 0 and cols.gender[r] == -1 and not cols.embeddings[r].any()
    assert cols.skill.shape[0] == int(np.diff(before.indptr)[kept].sum())
    # appending after a wipe still works (the buffers were replaced, not shared)
    more = TalentColumns.from_talents(random_talents(2, seed + 1), vocab=cols.vocab, today=TODAY)
    rows = cols.append(more)
    assert cols.take(rows).skill.tolist() == more.skill.tolist()
