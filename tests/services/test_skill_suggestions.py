"""What a suggestion quotes: a named skill its mention as written, an inferred skill the line it was read from
(its span, the window the encoder read, runs across line breaks: "요건] - PyTorch", "능숙자 - 도커")."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from talentbridge.config import build_settings
from talentbridge.services.skill_suggestions import SkillSuggestion, suggest_skills
from talentbridge.skills.extract import ExtractedSkill, SkillExtractor
from talentbridge.skills.taxonomy import Skill, Taxonomy

KO = "[자격요건]\n- PyTorch 기반 모델 개발 경험\n- 도커 사용 능숙자\n[우대사항]\n- 대규모 데이터 파이프라인 구축 경험"
EN = (
    "Requirements:\n- Experience building models with PyTorch\n- Comfortable deploying services with Docker\n"
    "Nice to have:\n1. Experience running large data pipelines\n2. Cloud infrastructure operations"
)


def _taxonomy() -> Taxonomy:
    tax = Taxonomy()
    tax.add_skills(
        [
            Skill("pytorch", "PyTorch", "파이토치"),
            Skill("docker", "Docker", "도커"),
            Skill("deep-learning", "Deep learning", "딥러닝"),
            Skill("containers", "Containerization", "컨테이너화"),
            Skill("data-engineering", "Data engineering", "데이터 엔지니어링"),
            Skill("cloud", "Cloud computing", "클라우드 컴퓨팅"),
        ]
    )
    return tax


def at(text: str, words: str) -> tuple[int, int]:
    i = text.index(words)
    return i, i + len(words)


def _skill(taxonomy: Taxonomy, skill_id: str, where: tuple[int, int], via: str, score: float) -> ExtractedSkill:
    return ExtractedSkill(taxonomy.skills[skill_id].uri, skill_id, score, [where], via)


def _services(taxonomy: Taxonomy, found: list[ExtractedSkill]) -> Any:
    """A ``SkillServices`` whose extractor gives ``found`` (spans made by hand) and whose titles name nothing."""
    extractor = SimpleNamespace(extract=lambda text, top, min_inferred: found)
    normalizer = SimpleNamespace(normalize=lambda titles, top: [[] for _ in titles])
    return SimpleNamespace(taxonomy=taxonomy, extractor=extractor, normalizer=normalizer)


def _suggest(text: str, windows: list[tuple[str, str]]) -> list[SkillSuggestion]:
    taxonomy = _taxonomy()
    found = [_skill(taxonomy, "pytorch", at(text, "PyTorch"), "explicit", 1.0)]
    found += [_skill(taxonomy, sid, at(text, w), "semantic", 0.6 - i / 100) for i, (sid, w) in enumerate(windows)]
    return suggest_skills(_services(taxonomy, found), text)


def test_an_inferred_skill_quotes_the_line_it_was_read_from() -> None:
    ko = _suggest(
        KO,
        [
            ("deep-learning", "요건]\n- PyTorch"),
            ("containers", "능숙자\n[우대"),
            ("data-engineering", "사항]\n- 대규모"),
        ],
    )
    assert [(s.skill_id, s.via, s.evidence) for s in ko] == [
        ("pytorch", "explicit", ["PyTorch"]),  # a mention is quoted as written
        ("deep-learning", "semantic", ["PyTorch 기반 모델 개발 경험"]),
        ("containers", "semantic", ["도커 사용 능숙자"]),
        ("data-engineering", "semantic", ["대규모 데이터 파이프라인 구축 경험"]),
    ]
    assert ko[1].spans == [at(KO, "요건]\n- PyTorch")]  # the span is still the window the encoder read
    en = _suggest(EN, [("data-engineering", "pipelines\n2"), ("cloud", "pipelines\n2. Cloud infrastructure")])
    assert [s.evidence for s in en] == [
        ["PyTorch"],
        ["Experience running large data pipelines"],
        ["Cloud infrastructure operations"],
    ]


@pytest.mark.parametrize("text", [KO, EN], ids=["ko", "en"])
def test_inferred_evidence_is_one_line_without_bullet_or_bracket(text: str) -> None:
    # every window of two words the text holds, as the encoder's windows are: many cross a line break
    words = [(m, m + len(w)) for m, w in _word_starts(text)]
    spans = [(a, d) for (a, _), (_, d) in zip(words, words[1:], strict=False)]
    ids = [f"s{i}" for i in range(len(spans))]
    taxonomy = _taxonomy()
    taxonomy.add_skills([Skill(sid, sid, sid) for sid in ids])
    found = [_skill(taxonomy, sid, where, "semantic", 0.5) for sid, where in zip(ids, spans, strict=True)]
    suggestions = suggest_skills(_services(taxonomy, found), text, total=len(found))
    assert [s.skill_id for s in suggestions] == ids  # the same suggestions, in the same order
    assert [s.spans for s in suggestions] == [[where] for where in spans]
    assert any("\n" in text[a:b] for a, b in spans)
    for s in suggestions:
        (quote,) = s.evidence
        assert "\n" not in quote and quote == quote.strip()
        assert not quote.startswith(("-", "•", "·", "*", "[", "1.", "2.")), quote


def _word_starts(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for word in text.split():
        start = text.index(word, start)
        out.append((start, word))
        start += len(word)
    return out


def test_the_products_path_quotes_lines(tmp_path: Path) -> None:
    # the real extractor with a cheap encoder and encoded windows (which cross line breaks like the product's)
    from talentbridge.services.skill_extraction import SkillServices, get_skill_services
    from talentbridge.skills.encoder import HashingEncoder

    base = get_skill_services(build_settings(environment="test", data_dir=tmp_path), encoder="none")
    extractor = SkillExtractor(base.taxonomy, encoder=HashingEncoder(), window_mode="encoded")
    services = SkillServices(base.taxonomy, extractor, base.normalizer, "given", "hashing")
    for text in (KO, EN):
        inferred = [s for s in suggest_skills(services, text) if s.via == "semantic"]
        assert inferred
        for s in inferred:
            assert all("\n" not in q and not q.startswith(("-", "[", "1.", "2.")) for q in s.evidence), s.evidence
            assert all(q in text for q in s.evidence)
