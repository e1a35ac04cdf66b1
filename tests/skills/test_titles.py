import pytest

from talentbridge.domain.errors import InputTooLarge
from talentbridge.skills.encoder import EmbeddingCache, HashingEncoder
from talentbridge.skills.korean import translate_title
from talentbridge.skills.title_words import expand_abbreviations
from talentbridge.skills.titles import TitleNormalizer


@pytest.fixture
def normalizer(taxonomy, tmp_path):
    return TitleNormalizer(taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path))


def top1(normalizer, title):
    return normalizer.normalize([title], top=1)[0][0].label


def test_english_titles(normalizer):
    assert top1(normalizer, "Senior Software Engineer") == "software developer"
    assert top1(normalizer, "WELDERS") == "welder"
    assert top1(normalizer, "ML Engineer (Computer Vision)") == "machine learning engineer"


def test_korean_titles_via_korean_labels_and_glossary(normalizer):
    assert top1(normalizer, "머신러닝 엔지니어") == "machine learning engineer"
    assert top1(normalizer, "용접원") == "welder"  # English-only occupation, reached through the glossary
    assert top1(normalizer, "간호사") == "specialist nurse"


def test_glossary_segments_unknown_compounds():
    assert translate_title("자동차조립원") == "motor vehicle assembler"
    assert translate_title("소프트웨어개발자") == "software developer"
    assert translate_title("Python 개발자") == "Python developer"


def test_top_k_and_scores(normalizer):
    (matches,) = normalizer.normalize(["data scientist"], top=3)
    assert 1 <= len(matches) <= 3  # occupations without any evidence (score 0) are not listed
    assert matches[0].uri == "http://data.europa.eu/esco/occupation/data-scientist"
    assert all(0 <= m.score <= 1 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_empty_and_too_long(normalizer):
    assert normalizer.normalize(["", "  "], top=5) == [[], []]
    with pytest.raises(InputTooLarge):
        normalizer.normalize(["x" * 100_001])


def test_lexical_only(taxonomy):
    lexical = TitleNormalizer(taxonomy)
    assert lexical.normalize(["welder"], top=1)[0][0].label == "welder"


def test_abbreviations_spelled_out():
    assert expand_abbreviations("HR Exec") == "human resources executive"
    assert expand_abbreviations("Sr. QA Engineer (IT)") == "senior. quality assurance Engineer (ICT)"
    assert expand_abbreviations("Admin cum Driver") == "administrative and Driver"
    assert expand_abbreviations("Welder") == "Welder"


def test_korean_and_english_titles_in_one_batch(normalizer):
    mixed = normalizer.normalize(["용접원", "welder", ""], top=1)
    assert [m[0].label for m in mixed[:2]] == ["welder", "welder"]
    assert mixed[2] == []


def test_korean_head_word_names_the_major_group():
    from talentbridge.skills.korean import head_major_groups

    assert head_major_groups("선반기조작원") == "8"
    assert head_major_groups("회계사무원") == "4"
    assert head_major_groups("재무관리자") == "1"
    assert head_major_groups("데이터 분석 연구원") == "2"
    assert head_major_groups("Python") == ""


def test_a_title_that_is_a_preferred_label_ranks_that_occupation_first(taxonomy, tmp_path):
    # priors that push every occupation of ISCO major group 7 (welders) far down: a title that merely resembles
    # "welder" goes elsewhere, the exact preferred label still names the welder
    from dataclasses import replace

    from talentbridge.skills.title_weights import TitleWeights

    weights = replace(TitleWeights(), prior_major=(0.0,) * 7 + (-5.0,) + (0.0,) * 2)
    biased = TitleNormalizer(taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path), weights=weights)
    assert top1(biased, "welders") != "welder"
    assert top1(biased, "Welder") == "welder"
    assert top1(biased, "  WELDER ") == "welder"
