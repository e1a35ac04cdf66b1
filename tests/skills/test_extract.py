import pytest

from talentbridge.domain.errors import InputTooLarge
from talentbridge.skills.encoder import HashingEncoder
from talentbridge.skills.extract import SkillExtractor


@pytest.fixture
def extractor(taxonomy):
    return SkillExtractor(taxonomy)


@pytest.fixture
def semantic_extractor(taxonomy, tmp_path):
    from talentbridge.skills.encoder import EmbeddingCache

    return SkillExtractor(taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path))


def ids(skills):
    return [s.label for s in skills]


def test_korean_particles_and_compounds(extractor):
    text = "파이토치를 이용한 딥러닝기반 머신러닝과 컴퓨터비전 개발"
    found = {s.label: s for s in extractor.extract(text, top=10)}
    assert {"PyTorch", "deep learning", "machine learning", "computer vision"} <= set(found)
    assert text[slice(*found["PyTorch"].spans[0])] == "파이토치"
    assert text[slice(*found["machine learning"].spans[0])] == "머신러닝"
    assert text[slice(*found["deep learning"].spans[0])] == "딥러닝"
    assert all(s.via == "explicit" for s in found.values())


def test_aliases_and_uris(extractor):
    text = "Experience with Python, torch and structured query language databases; ML background."
    found = {s.label: s for s in extractor.extract(text, top=10)}
    assert {"Python (computer programming)", "PyTorch", "SQL", "machine learning"} <= set(found)
    # ESCO-linked concept → ESCO URI; built-in only → our own URN
    assert found["machine learning"].uri == "http://data.europa.eu/esco/skill/ml-0001"
    assert found["PyTorch"].uri == "urn:talentbridge:skill:pytorch"
    assert text[slice(*found["SQL"].spans[0])] == "structured query language"


def test_mixed_script_sentence(extractor):
    found = ids(extractor.extract("PyTorch와 TensorFlow 경험, 텐서플로우 우대", top=5))
    assert "PyTorch" in found and "TensorFlow" in found


def test_repeated_mentions_give_all_spans(extractor):
    text = "Python here, python there"
    (python,) = [s for s in extractor.extract(text) if s.label.startswith("Python")]
    assert python.spans == [(0, 6), (13, 19)]


def test_scores_in_unit_interval_and_ranked(semantic_extractor):
    skills = semantic_extractor.extract("deep learning with pytorch and some machine vision", top=8)
    assert skills
    scores = [s.score for s in skills]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert {s.via for s in skills} <= {"explicit", "semantic"}
    # every explicit mention first, then the inferred skills by score
    vias = [s.via for s in skills]
    assert vias == sorted(vias, key=lambda v: v != "explicit")
    inferred = [s.score for s in skills if s.via == "semantic"]
    assert inferred == sorted(inferred, reverse=True)


def test_empty_text_gives_empty_result(extractor, semantic_extractor):
    assert extractor.extract("") == []
    assert extractor.extract("   \n\t") == []
    assert semantic_extractor.extract("") == []
    assert semantic_extractor.extract_many(["", "PyTorch"], top=3)[0] == []


def test_too_long_text_is_a_clear_error(extractor):
    with pytest.raises(InputTooLarge) as err:
        extractor.extract("a" * 100_001)
    assert "100,000" in err.value.message
    extractor.extract("a " * 50_000)  # exactly the limit is fine


def test_unknown_language_is_processed(semantic_extractor):
    assert semantic_extractor.extract("Опыт работы с Python", top=3)[0].label.startswith("Python")
    semantic_extractor.extract("ภาษาไทย การเรียนรู้ของเครื่อง", top=3)  # no error


def test_as_dict_format(extractor):
    (first, *_) = extractor.extract("PyTorch", top=1)
    d = first.as_dict()
    assert set(d) == {"uri", "label", "score", "spans", "via"}
    assert d["spans"] == [[0, 7]]


def test_window_mode_keeps_format_and_spans(taxonomy, tmp_path):
    from talentbridge.skills.encoder import EmbeddingCache

    ex = SkillExtractor(
        taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path), window_sizes=(2, 4), window_mode="encoded"
    )
    text = "we build deep learning models in pytorch and write sql every day"
    skills = ex.extract(text, top=6)
    assert skills and all(0 <= s.score <= 1 for s in skills)
    for s in skills:
        for a, b in s.spans:
            assert 0 <= a < b <= len(text)
    assert ex.extract("", top=3) == []
