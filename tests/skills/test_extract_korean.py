"""Korean lines are read by the multilingual encoder: MiniLM (English only) finds every Korean line close to every
Korean label, so its inferred skills for Korean text were noise (docs/skills.md, "Korean text")."""

import numpy as np
import pytest

from talentbridge.skills.encoder import EmbeddingCache, HashingEncoder, USEEncoder
from talentbridge.skills.extract import ExtractionWeights, SkillExtractor
from talentbridge.skills.minilm import MiniLMEncoder
from talentbridge.skills.text import has_hangul, mostly_hangul


class _Recording:
    """An encoder that records what it is given; ``hangul_noise`` makes it read every Hangul text as the same
    vector, as an English-only model nearly does."""

    def __init__(self, inner, hangul_noise: bool = False):
        self.inner, self.hangul_noise, self.seen = inner, hangul_noise, []
        self.model_id, self.dim = f"rec-{inner.model_id}-{hangul_noise}", inner.dim

    def encode(self, texts, progress=None):
        texts = list(texts)
        self.seen += texts
        out = self.inner.encode(texts, progress)
        if self.hangul_noise:
            for i, t in enumerate(texts):
                if has_hangul(t):
                    out[i] = self.inner.encode(["ㅁ"])[0]
        return out


def test_mostly_hangul_weighs_a_syllable_as_three_letters():
    assert mostly_hangul("재고 관리 및 입출고 일정 조율")
    assert mostly_hangul("PyTorch 기반 비전 검사 모델 개발")
    assert not mostly_hangul("Python, PyTorch, OpenCV 능숙자")
    assert not mostly_hangul("Docker and Kubernetes")
    assert not mostly_hangul("2024 - 2025")


_ANY = ExtractionWeights(min_semantic=-1.0)  # the tiny test taxonomy: every concept may be inferred


@pytest.fixture
def pair(taxonomy, tmp_path):
    main = _Recording(HashingEncoder(), hangul_noise=True)
    multi = _Recording(HashingEncoder(dim=128))
    ex = SkillExtractor(taxonomy, encoder=main, cache=EmbeddingCache(tmp_path), weights=_ANY, multilingual=multi)
    ex.prepare()
    main.seen.clear()
    multi.seen.clear()
    return ex, main, multi


def test_each_line_goes_to_the_encoder_that_reads_its_script(pair):
    ex, main, multi = pair
    text = "Built deep learning models for visual inspection.\n비전 검사 모델 개발 및 제조 데이터 분석"
    ex.extract(text, top=10)
    assert main.seen == ["Built deep learning models for visual inspection"]
    assert multi.seen == ["비전 검사 모델 개발 및 제조 데이터 분석"]


def test_a_korean_line_is_scored_against_the_multilingual_label_vectors(pair, taxonomy, tmp_path):
    ex, _, _ = pair
    text = "비전 검사 모델 개발 및 제조 데이터 분석"
    # the same extractor reading Korean with the English-only encoder: its inferred skills are noise
    noisy_encoder = _Recording(HashingEncoder(), hangul_noise=True)
    noisy = SkillExtractor(taxonomy, encoder=noisy_encoder, cache=EmbeddingCache(tmp_path), weights=_ANY)
    reference = SkillExtractor(taxonomy, encoder=HashingEncoder(dim=128), cache=EmbeddingCache(tmp_path), weights=_ANY)

    def inferred(extractor):
        return [(s.label, round(s.score, 4)) for s in extractor.extract(text, top=12) if s.via == "semantic"]

    got = inferred(ex)
    assert got and got == inferred(reference)
    assert got != inferred(noisy)
    span = next(s for s in ex.extract(text, top=12) if s.via == "semantic").spans[0]
    assert text[slice(*span)] == text


def test_without_a_main_encoder_the_multilingual_one_is_not_used(taxonomy):
    multi = _Recording(HashingEncoder())
    ex = SkillExtractor(taxonomy, multilingual=multi)
    assert all(s.via == "explicit" for s in ex.extract("파이토치를 이용한 비전 검사 모델 개발", top=10))
    assert multi.seen == []


# ------------------------------------------------------------------------------------------ the real models


@pytest.fixture(scope="module")
def product_extractor(tmp_path_factory):
    from talentbridge.skills.builtin import load_builtin

    ex = SkillExtractor(
        load_builtin(),
        encoder=MiniLMEncoder(),
        cache=EmbeddingCache(tmp_path_factory.mktemp("ko")),
        multilingual=USEEncoder(),
    )
    ex.prepare()
    return ex


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("유동성 관리 및 자금 계획 수립 업무", "Financial planning and investment"),
        ("회계 결산 및 세무 신고 업무 담당", "Accounting software (QuickBooks, Xero, Sage)"),
        ("물류 창고 재고 관리 및 입출고 일정 조율", "Smart logistics and warehouse automation"),
        ("신입 사원 교육 프로그램 기획 및 운영", "Teaching and mentoring"),
    ],
)
def test_korean_lines_get_related_inferred_skills(product_extractor, line, expected):
    inferred = [s.label for s in product_extractor.extract(line, top=10) if s.via == "semantic"]
    assert expected in inferred
    # what MiniLM inferred for such lines before: programming and AI skills for office work
    assert not {"Industrial robot programming", "Parallel and concurrent programming", "Graph neural networks"} & set(
        inferred
    )


def test_english_lines_are_still_read_by_minilm(product_extractor):
    text = "Trained convolutional neural networks for visual inspection of weld seams."
    with_use = product_extractor.extract(text, top=10)
    multilingual, product_extractor.multilingual = product_extractor.multilingual, None
    index, product_extractor._multilingual_index = product_extractor._multilingual_index, None
    try:
        alone = product_extractor.extract(text, top=10)
    finally:
        product_extractor.multilingual, product_extractor._multilingual_index = multilingual, index
    assert [(s.label, s.score, s.spans) for s in with_use] == [(s.label, s.score, s.spans) for s in alone]
    assert np.isclose(with_use[0].score, alone[0].score)


def test_one_use_model_serves_skills_titles_and_the_text_criterion(tmp_path):
    from talentbridge.config import build_settings
    from talentbridge.services.skill_extraction import reset_shared_encoders, title_second_encoder
    from talentbridge.services.text_embeddings import text_encoder

    reset_shared_encoders()
    try:
        text, status = text_encoder(build_settings(environment="test", data_dir=tmp_path))
        assert status == "compared" and text is not None and text.model_id == USEEncoder.model_id
        assert title_second_encoder(MiniLMEncoder()) is text
    finally:
        reset_shared_encoders()


def test_the_warm_up_reads_a_line_with_each_encoder():
    from types import SimpleNamespace

    from talentbridge.services.readiness import _warm_skills

    seen = {}

    class Extractor:
        def extract(self, text):
            seen["text"] = text
            return []

    assert _warm_skills(SimpleNamespace(extractor=Extractor(), encoder_id="m")) == "encoder m"
    lines = seen["text"].split("\n")
    assert [mostly_hangul(line) for line in lines] == [True, False]  # one line for each encoder


def test_a_section_heading_or_a_date_is_no_evidence_of_a_skill(pair):
    # "[우대사항]" read by an encoder drew 3D modeling, firewalls and LLM APIs on an opening's suggestions
    ex, main, multi = pair
    text = (
        "[자격요건]\n비전 검사 모델 개발 및 제조 데이터 분석\n[우대사항]\nRequirements:\nBuilt deep learning models.\n"
        "2021.03 - 2024.02"  # a line of dates drew ISO certification
    )
    ex.extract(text, top=10)
    assert multi.seen == ["비전 검사 모델 개발 및 제조 데이터 분석"]
    assert main.seen == ["Built deep learning models"]
