import numpy as np

from talentbridge.skills.encoder import EmbeddingCache, Encoder, HashingEncoder
from talentbridge.skills.minilm import MiniLMEncoder


class CountingEncoder:
    model_id = "counting"
    dim = 4

    def __init__(self):
        self.calls = 0

    def encode(self, texts, progress=None):
        self.calls += 1
        out = np.ones((len(texts), 4), dtype=np.float32) / 2
        return out


def test_hashing_encoder_is_normalised_and_deterministic():
    enc = HashingEncoder(64)
    assert isinstance(enc, Encoder)
    a = enc.encode(["machine learning", "machine learning", "welding"])
    assert a.shape == (3, 64)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.allclose(a[0], a[1])
    assert enc.encode([]).shape == (0, 64)


def test_cache_computes_once_per_model_and_content(tmp_path):
    enc = CountingEncoder()
    cache = EmbeddingCache(tmp_path)
    first = cache.encode(enc, ["a", "b"])
    second = cache.encode(enc, ["a", "b"])
    assert enc.calls == 1
    assert np.allclose(first, second, atol=1e-3)
    cache.encode(enc, ["a", "c"])
    assert enc.calls == 2
    assert len(list(tmp_path.glob("counting-*.npy"))) == 2


def test_cache_recovers_from_a_torn_file(tmp_path):
    enc = CountingEncoder()
    cache = EmbeddingCache(tmp_path)
    path = tmp_path / f"{EmbeddingCache.key('counting', ['x'])}.npy"
    path.write_bytes(b"garbage")
    assert cache.encode(enc, ["x"]).shape == (1, 4)
    assert enc.calls == 1


def test_minilm_numpy_forward_matches_reference():
    # reference: sentence-transformers all-MiniLM-L6-v2, "This is an example sentence", first dimensions
    vec = MiniLMEncoder().encode(["This is an example sentence", ""])
    assert np.allclose(vec[0][:4], [0.0677, 0.0635, 0.0487, 0.0793], atol=2e-3)
    sims = MiniLMEncoder().encode(["software developer", "programmer", "registered nurse"])
    assert sims[0] @ sims[1] > sims[0] @ sims[2]
