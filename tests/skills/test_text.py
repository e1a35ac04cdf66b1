from talentbridge.skills.text import english_key, has_hangul, label_key, tokens


def keys(text: str) -> list[str]:
    return [t.key for t in tokens(text)]


def test_korean_particles_are_dropped():
    assert keys("파이토치를") == ["파이토치"]
    assert "".join(keys("머신러닝과")) == "머신러닝"
    assert label_key("머신러닝과") == label_key("머신러닝") == label_key("머신 러닝")


def test_korean_compound_splits_into_nouns():
    joined = "".join(keys("딥러닝기반"))
    assert joined.startswith(label_key("딥러닝"))
    assert joined.endswith("기반")


def test_offsets_point_into_the_original_text():
    text = "저는 PyTorch와 파이토치를 씁니다"
    for tok in tokens(text):
        assert 0 <= tok.start < tok.end <= len(text)
    spans = {text[t.start : t.end] for t in tokens(text)}
    assert "PyTorch" in spans and "파이토치" in spans


def test_mixed_scripts_and_other_languages():
    assert keys("Python 개발자 データ Москва") == ["python", "개발자", "データ", "москва"]
    assert keys("") == []
    assert keys("   \n ") == []


def test_english_normalisation():
    assert english_key("Databases") == "database"
    assert english_key("skills") == "skill"
    assert english_key("class") == "class"
    assert keys("C++ and C# on .NET, Node.js") == ["c++", "and", "c#", "on", ".net", "node.js"]


def test_has_hangul():
    assert has_hangul("abc 가")
    assert not has_hangul("abc")


def test_a_korean_morpheme_with_latin_letters_is_folded_like_english():
    # Kiwi reads "파워BI" before a space as one morpheme; its key must meet the label "파워BI" (key "파워bi")
    from talentbridge.skills.text import label_key, tokens

    keys = [t.key for t in tokens("파워BI 대시보드")]
    assert label_key("파워BI") in keys or "".join(keys[:2]) == label_key("파워BI")
    assert all(k == k.lower() for k in keys)
