"""The label-embedding cache: an exact list is read back; a list that shares most texts with an earlier one of
the same model encodes only its new texts (an operator's alias must not re-encode the whole taxonomy); other
models' files and lists sharing little are never mixed in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.skills.embedding_cache import EmbeddingCache
from talentbridge.skills.encoder import HashingEncoder


class Counting(HashingEncoder):
    """The hashing encoder, counting the texts it was asked to encode."""

    def __init__(self, model_id: str = "counting", dim: int = 64) -> None:
        super().__init__(dim)
        self.model_id = model_id
        self.seen: list[str] = []

    def encode(self, texts, progress=None):  # type: ignore[no-untyped-def]
        self.seen.extend(texts)
        return super().encode(texts, progress)


LABELS = [f"skill label {i}" for i in range(200)] + ["파이토치", "도커", "Kubernetes"]


def test_an_added_alias_encodes_only_itself(tmp_path: Path) -> None:
    enc = Counting()
    cache = EmbeddingCache(tmp_path)
    first = cache.encode(enc, LABELS)
    assert len(enc.seen) == len(LABELS) and cache.last_encoded == len(LABELS)
    enc.seen.clear()
    again = cache.encode(enc, LABELS)  # the exact list: read back
    assert enc.seen == [] and cache.last_encoded == 0
    np.testing.assert_allclose(again, first, atol=2e-3)  # stored as float16

    with_alias = LABELS[:100] + ["독커"] + LABELS[100:]  # a new label in the middle shifts every row after it
    got = EmbeddingCache(tmp_path).encode(enc, with_alias)
    assert enc.seen == ["독커"]
    np.testing.assert_allclose(got, Counting().encode(with_alias), atol=2e-3)  # the same rows, in the new order


def test_files_without_ids_get_them_on_first_read_and_other_models_are_never_mixed(tmp_path: Path) -> None:
    enc = Counting()
    cache = EmbeddingCache(tmp_path)
    cache.encode(enc, LABELS)
    for ids in tmp_path.glob("*.ids"):
        ids.unlink()  # as written before the sidecars existed
    EmbeddingCache(tmp_path).encode(enc, LABELS)  # read back; writes the sidecar
    enc.seen.clear()
    EmbeddingCache(tmp_path).encode(enc, LABELS + ["MLflow"])
    assert enc.seen == ["MLflow"]

    other = Counting(model_id="counting-other", dim=64)  # same dim, another model: its vectors are not ours
    EmbeddingCache(tmp_path).encode(other, LABELS + ["Airflow"])
    assert len(other.seen) == len(LABELS) + 1


def test_a_list_that_shares_little_is_encoded_whole(tmp_path: Path) -> None:
    enc = Counting()
    EmbeddingCache(tmp_path).encode(enc, LABELS)
    enc.seen.clear()
    mostly_new = LABELS[:50] + [f"other {i}" for i in range(150)]
    cache = EmbeddingCache(tmp_path)
    cache.encode(enc, mostly_new)
    assert len(enc.seen) == len(mostly_new) and cache.last_encoded == len(mostly_new)


@settings(max_examples=25, deadline=None)
@given(
    base=st.lists(st.text(min_size=1, max_size=12), min_size=4, max_size=40, unique=True),
    extra=st.lists(st.text(min_size=1, max_size=12), max_size=3),
    seed=st.integers(0, 1000),
)
def test_reused_rows_equal_a_fresh_encoding(tmp_path_factory, base, extra, seed) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("cache")
    enc = Counting()
    EmbeddingCache(root).encode(enc, base)
    rng = np.random.default_rng(seed)
    new = list(rng.permutation(base + extra))  # reordered, with a few new (or repeated) texts
    got = EmbeddingCache(root).encode(enc, new)
    np.testing.assert_allclose(got, HashingEncoder(64).encode(new), atol=2e-3)


def test_a_superseded_file_is_deleted_unless_the_manifest_names_it(tmp_path: Path) -> None:
    enc = Counting()
    cache = EmbeddingCache(tmp_path)
    cache.encode(enc, LABELS)
    (tmp_path / "label-encodings.json").write_text('{"x": {"files": ["' + cache.used[-1] + '"]}}')
    protected = tmp_path / cache.used[-1]
    cache = EmbeddingCache(tmp_path)  # the next load of the taxonomy (an alias added)
    cache.encode(enc, LABELS + ["독커"])
    derived = tmp_path / cache.used[-1]
    cache = EmbeddingCache(tmp_path)  # and the next (another alias)
    cache.encode(enc, LABELS + ["독커", "쿠버"])
    assert protected.exists()  # named by the manifest (what `db upgrade` encoded): kept
    assert not derived.exists() and not derived.with_name(derived.name[:-4] + ".ids").exists()
    assert sorted(p.name for p in tmp_path.glob("*.npy") if not p.name.endswith(".ids")) == sorted(
        {protected.name, cache.used[-1]}
    )
    # within one build, a file another list read stays (the extractor's and the normalizer's lists overlap)
    cache.encode(enc, LABELS + ["독커", "쿠버", "MLflow"])
    assert (tmp_path / cache.used[-2]).exists()
