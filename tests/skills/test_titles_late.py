"""Late-interaction re-ranking of title candidates (label tokens against title tokens)."""

import numpy as np
import pytest

from talentbridge.skills.encoder import EmbeddingCache, HashingEncoder
from talentbridge.skills.minilm import MiniLMEncoder
from talentbridge.skills.title_weights import KOREAN_WEIGHTS, TitleWeights
from talentbridge.skills.titles import TitleNormalizer


class TokenHashingEncoder(HashingEncoder):
    """HashingEncoder with ``encode_tokens``: one vector per word, between fake [CLS]/[SEP] rows."""

    def __init__(self) -> None:
        super().__init__(dim=64)
        self.model_id = "hashing-tokens-test"
        self.token_calls = 0

    def encode_tokens(self, texts):
        self.token_calls += 1
        pooled = self.encode(texts)
        vectors, ids = [], []
        for text in texts:
            words = text.lower().split() or [""]
            cls_sep = np.ones((1, self.dim), dtype=np.float32)
            vectors.append(np.vstack([cls_sep, HashingEncoder.encode(self, words), cls_sep]))
            ids.append([101, *(abs(hash(w)) % 30000 + 1000 for w in words), 102])
        return pooled, vectors, ids


def test_late_interaction_reranks_and_caches(taxonomy, tmp_path):
    encoder = TokenHashingEncoder()
    normalizer = TitleNormalizer(taxonomy, encoder=encoder, cache=EmbeddingCache(tmp_path))
    (matches,) = normalizer.normalize(["Senior Software Engineer"], top=3)
    assert normalizer.late is not None
    assert matches[0].label == "software developer"
    assert all(0 <= m.score <= 1 for m in matches)
    assert len(list(tmp_path.glob("hashing-tokens-test-tokens-*.npz"))) == 1
    # a second normalizer reads the label tokens from the disk cache: no label encoding
    again = TitleNormalizer(taxonomy, encoder=TokenHashingEncoder(), cache=EmbeddingCache(tmp_path))
    again.prepare()
    assert again.late is not None and again.encoder.token_calls == 0  # type: ignore[union-attr]
    np.testing.assert_array_equal(again.late.vectors, normalizer.late.vectors)


def test_late_scores_prefer_the_label_the_title_spells_out(taxonomy):
    normalizer = TitleNormalizer(taxonomy, encoder=TokenHashingEncoder())
    normalizer.prepare()
    late = normalizer.late
    assert late is not None
    title = normalizer.encoder.encode_tokens(["welder"])[1][0][1:-1]  # type: ignore[union-attr]
    title = title / np.linalg.norm(title, axis=1, keepdims=True)
    welder = normalizer.index.display.index("welder")
    other = next(i for i, d in enumerate(normalizer.index.display) if "welder" not in d.lower())
    scores = late.scores(title, np.asarray([other, welder]))
    assert scores.shape == (2,)
    assert scores[1] == pytest.approx(1.0, abs=1e-3)  # float16 on disk
    assert scores[0] < scores[1]


def test_late_off_without_token_vectors_or_weight(taxonomy):
    plain = TitleNormalizer(taxonomy, encoder=HashingEncoder())
    plain.prepare()
    assert plain.late is None  # the encoder has no encode_tokens
    off = TitleNormalizer(taxonomy, encoder=TokenHashingEncoder(), weights=TitleWeights(late=0.0))
    off.korean_weights = KOREAN_WEIGHTS
    off.prepare()
    assert off.late is None


def test_minilm_encode_tokens_matches_encode():
    encoder = MiniLMEncoder()
    texts = ["software developer", "HR exec", "a much longer title with several words in it", "x", ""]
    pooled, vectors, ids = encoder.encode_tokens(texts)
    np.testing.assert_array_equal(pooled, encoder.encode(texts))  # bit-identical
    assert [len(v) for v in vectors] == [len(i) for i in ids]
    assert ids[0][0] == 101 and ids[0][-1] == 102
    assert vectors[0].shape[1] == encoder.dim
