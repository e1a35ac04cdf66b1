"""Per-occupation prior features of title normalization (``skills/occupation_priors.py``)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.skills.occupation_priors import FEATURES, occupation_features
from talentbridge.skills.taxonomy import Occupation, Taxonomy
from talentbridge.skills.title_weights import TitleWeights
from talentbridge.skills.titles import TitleNormalizer


def occ(i: str, label: str, isco: str = "2512", **kw) -> Occupation:
    return Occupation(i, label, isco_code=isco, **kw)


def test_named_variants_count_specialisations_in_the_same_isco_group():
    occupations = [
        occ("dev", "software developer"),
        occ("mob", "mobile software developer"),
        occ("emb", "embedded systems engineer", alt_en=["developer of embedded software"]),  # alt label counts
        occ("web", "web developer", isco="2513"),  # same sub-major group 25, another unit group
        occ("far", "software developer for farms", isco="6111"),  # another sub-major group: not counted
        occ("ko", "", isco="2512", label_ko="개발자"),
    ]
    f = occupation_features(occupations)
    assert f["variants_unit"][0] == np.float32(np.log1p(2))  # mob, emb
    assert f["variants_group"][0] == np.float32(np.log1p(2))  # web has not both words
    assert f["variants_unit"][1] == 0.0  # nothing contains "mobile software developer"
    assert f["variants_group"][3] == 0.0  # no other label has both "web" and "developer"
    assert set(f) == set(FEATURES) and all(v.dtype == np.float32 and len(v) == 6 for v in f.values())


def test_named_variants_need_an_isco_code():
    f = occupation_features([occ("a", "clerk", isco=""), occ("b", "filing clerk", isco="")])
    assert not f["variants_group"].any() and not f["variants_unit"].any()


def test_name_frequency_ranks_common_names_above_rare_ones():
    occupations = [
        occ("nurse", "nurse", alt_en=["registered nurse"]),
        occ("rare", "aquaculture hatchery technician"),
        occ("ko", "", label_ko="간호사"),
    ]
    f = occupation_features(occupations)
    assert f["name_frequency"][0] > f["name_frequency"][1] > 0
    assert f["rarest_word"][0] > f["rarest_word"][1] > 0
    assert f["name_frequency_max"][0] >= f["name_frequency"][0]
    assert f["name_frequency_max"][0] >= f["name_frequency_mean"][0]
    # a Korean-only concept has no English frequency
    assert f["name_frequency"][2] == f["name_frequency_max"][2] == f["rarest_word"][2] == 0.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["data", "sales", "clerk", "engineer", "assistant"]), min_size=1, max_size=3),
            st.sampled_from(["2512", "2513", "4110", ""]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_named_variants_match_a_brute_force_count(rows):
    occupations = [occ(str(i), " ".join(words), isco=code) for i, (words, code) in enumerate(rows)]
    f = occupation_features(occupations)
    for digits, name in ((2, "variants_group"), (4, "variants_unit")):
        for i, o in enumerate(occupations):
            want = set(o.label_en.split())
            count = sum(
                1
                for j, other in enumerate(occupations)
                if j != i
                and o.isco_code
                and other.isco_code[:digits] == o.isco_code[:digits]
                and want <= set(other.label_en.split())
            )
            assert f[name][i] == np.float32(np.log1p(count))


def test_prior_is_the_weighted_sum_of_the_features():
    tax = Taxonomy()
    tax.add_occupations([occ("dev", "software developer", description_en="Writes code."), occ("x", "xylophonist")])
    zero = {f"prior_{name}": 0.0 for name in FEATURES}
    w = TitleWeights(**{**zero, "prior_major": (), "prior_name_frequency": 0.5, "prior_description_words": 2.0})
    n = TitleNormalizer(tax, weights=w)
    f = occupation_features(n.index.concepts)
    weighted = 0.5 * f["name_frequency"] + 2.0 * f["description_words"]
    np.testing.assert_allclose(n.prior, weighted - weighted.mean(), rtol=1e-5, atol=1e-6)  # centred on 0
    assert f["description_words"][n.index.uris.index("urn:talentbridge:occupation:dev")] == np.float32(np.log1p(2))
