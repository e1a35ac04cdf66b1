"""Pooled short windows: token spans line up with the text, window vectors are means of the tokens inside, the
restricted products equal the full ones, and the windows cost no forward pass."""

import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.skills import text_units
from talentbridge.skills.encoder import EmbeddingCache, HashingEncoder
from talentbridge.skills.extract import SkillExtractor
from talentbridge.skills.minilm import MiniLMEncoder
from talentbridge.skills.text import tokens
from talentbridge.skills.windows import TokenRows, best_over, window_vectors
from talentbridge.skills.wordpiece import WordPiece

_ALPHABET = st.sampled_from(list("abcXYZ019 ,.-/+#()\n\tÉéüñç기반모델개발파이토치") + ["\u0301", "ﬁ", "Å"])


def _folded(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if unicodedata.category(c) != "Mn")


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_word_spans_cover_the_words_the_tokenizer_sees(text):
    spans = WordPiece.word_spans(text)
    if spans is None:
        return
    words = WordPiece._basic(text)
    assert len(spans) == len(words)
    for (a, b), word in zip(spans, words, strict=True):
        assert 0 <= a < b <= len(text)
        assert _folded(text[a:b]) == word


@pytest.fixture(scope="module")
def minilm():
    return MiniLMEncoder()


@pytest.mark.parametrize(
    "text",
    [
        "PyTorch 기반 비전 검사 모델 개발, C++/CUDA 및 Docker 경험.",
        "Résumé: naïve Bayes, über-fast OpenCV pipelines!",
        "deep learning " * 200,  # truncated at the model's length
    ],
)
def test_piece_spans_match_the_token_vectors(minilm, text):
    spans = minilm.piece_spans(text)
    _, token_vectors, ids = minilm.encode_tokens([text])
    assert spans is not None
    assert len(spans) == len(ids[0]) - 2 == len(token_vectors[0]) - 2
    assert all(0 <= a < b <= len(text) for a, b in spans)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1, max_value=12),
    st.lists(st.tuples(st.integers(0, 14), st.integers(1, 6)), min_size=1, max_size=8),
    st.integers(0, 2**31 - 1),
)
def test_a_window_is_the_mean_of_the_tokens_wholly_inside_it(n, raw_windows, seed):
    rng = np.random.default_rng(seed)
    starts = np.arange(n, dtype=np.int64) * 2  # token i covers characters [2i, 2i + 1)
    rows = TokenRows(rng.normal(size=(n, 5)).astype(np.float32), starts, starts + 1)
    windows = [(a, a + length) for a, length in raw_windows]
    vectors, kept = window_vectors(rows, windows)
    expected_kept = []
    for w, (a, b) in enumerate(windows):
        inside = [i for i in range(n) if a <= starts[i] and starts[i] + 1 <= b]
        if not inside:
            continue
        expected_kept.append(w)
        mean = rows.vectors[inside].mean(0)
        assert np.allclose(vectors[len(expected_kept) - 1], mean / np.linalg.norm(mean), atol=1e-5)
    assert kept.tolist() == expected_kept


@pytest.fixture(scope="module")
def hashing_extractor(tmp_path_factory):
    from talentbridge.skills.builtin import load_builtin

    ex = SkillExtractor(load_builtin(), encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path_factory.mktemp("h")))
    ex.prepare()
    return ex


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=40, unique=True), st.integers(1, 6))
def test_best_over_some_concepts_equals_the_full_product(hashing_extractor, picks, n_windows):
    index = hashing_extractor.index
    concepts = np.asarray(sorted({p % len(index.concepts) for p in picks}), dtype=np.int64)
    vectors = HashingEncoder().encode([f"window {i} deep learning sql" for i in range(n_windows)])
    best, row = best_over(index, vectors, concepts)
    full = index.semantic_scores(vectors)[:, concepts]
    assert np.allclose(best, full.max(0), atol=1e-6)
    assert np.allclose(full[row, np.arange(len(concepts))], best, atol=1e-6)


class _Counting:
    """MiniLM that counts the texts it runs through the model."""

    def __init__(self, inner):
        self.inner, self.texts = inner, 0
        self.model_id, self.dim = inner.model_id, inner.dim

    def encode(self, texts, progress=None):
        self.texts += len(texts)
        return self.inner.encode(texts, progress)

    def encode_tokens(self, texts):
        self.texts += len(texts)
        return self.inner.encode_tokens(texts)

    def piece_spans(self, text):
        return self.inner.piece_spans(text)


@pytest.fixture(scope="module")
def minilm_extractor(minilm, tmp_path_factory):
    from talentbridge.skills.builtin import load_builtin

    ex = SkillExtractor(load_builtin(), encoder=_Counting(minilm), cache=EmbeddingCache(tmp_path_factory.mktemp("e")))
    ex.prepare()
    return ex


LONG = (
    "Our plant team maintains the stamping presses, schedules the night shift, negotiates with suppliers and "
    "trains convolutional neural networks for visual inspection of weld seams."
)


def test_pooled_windows_cost_no_forward_pass_and_localise_inferred_skills(minilm_extractor):
    ex = minilm_extractor
    counting = ex.encoder
    chunks = text_units.chunks(LONG, tokens(LONG), ex.chunk_tokens)
    assert len(chunks) == 1

    counting.texts = 0
    skills = ex.extract(LONG, top=15)
    assert counting.texts == len(chunks)  # the chunk only: its windows come from its token vectors
    inferred = [s for s in skills if s.via == "semantic"]
    assert inferred
    # some inferred skill is shown at a window of the sentence, not at the whole sentence
    assert any(s.spans[0] != chunks[0] and s.spans[0][1] - s.spans[0][0] < len(LONG) // 2 for s in inferred)

    ex.window_sizes = ()
    try:
        plain = ex.extract(LONG, top=15)
    finally:
        ex.window_sizes = (2, 4)
    assert all(s.spans[0] == chunks[0] for s in plain if s.via == "semantic")


def test_encoded_windows_run_each_window_through_the_model(minilm_extractor):
    ex = minilm_extractor
    ex.window_mode = "encoded"
    try:
        ex.encoder.texts = 0
        ex.extract(LONG, top=15)
        assert ex.encoder.texts > 10
    finally:
        ex.window_mode = "pooled"


def test_an_unknown_window_mode_is_refused(taxonomy):
    with pytest.raises(ValueError, match="window_mode"):
        SkillExtractor(taxonomy, window_mode="sliding")


_LINES = st.lists(
    st.lists(st.sampled_from(["Docker", "k8s", "배포", "기술:", "Python,", "CUDA", "최적화", "OpenCV", "모델", "SQL"]),
             min_size=1, max_size=12).map(" ".join),
    min_size=1, max_size=6,
).map("\n".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_LINES)
def test_windows_stay_inside_one_chunk_and_off_hangul(hashing_extractor, text):
    ex = hashing_extractor
    toks = tokens(text)
    chunks = text_units.chunks(text, toks, ex.chunk_tokens)
    latin, _ = text_units.by_script(text, chunks)
    for a, b in ex._windows_in(text, toks, latin):
        assert any(c <= a and b <= d for c, d in latin)  # never across a line or a chunk break
        assert "\n" not in text[a:b]
        assert not any("\uac00" <= ch <= "\ud7a3" for ch in text[a:b])  # MiniLM does not read Hangul


MIXED = "비전 AI 엔지니어\n- OpenCV 전처리와 CUDA 최적화, 도커와 k8s로 배포\n기술: Python, C++, SQL, AWS, MLflow, Kubeflow"


@pytest.fixture(scope="module")
def product_extractor(minilm, tmp_path_factory):
    """As the product builds it: MiniLM, and multilingual USE for the lines written mostly in Hangul."""
    from talentbridge.skills.builtin import load_builtin
    from talentbridge.skills.encoder import USEEncoder

    cache = EmbeddingCache(tmp_path_factory.mktemp("p"))
    ex = SkillExtractor(load_builtin(), encoder=minilm, cache=cache, multilingual=USEEncoder())
    ex.prepare()
    return ex


def test_no_inferred_skill_is_read_from_hangul_by_the_english_model(product_extractor):
    # a window across "배포" and the next line's "기술" read as *Human resources management*, at the top score
    inferred = [s for s in product_extractor.extract(MIXED, top=20, min_inferred=5) if s.via == "semantic"]
    assert inferred
    for skill in inferred:
        for a, b in skill.spans:
            assert "\n" not in MIXED[a:b], (skill.label, MIXED[a:b])
