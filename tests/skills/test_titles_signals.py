"""Title signals added for issue 3: skill profile, second encoder, alternative-label prior, parallel blocks."""

import numpy as np

from talentbridge.skills.encoder import EmbeddingCache, HashingEncoder
from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy
from talentbridge.skills.titles import TitleNormalizer, TitleWeights

ONLY = dict(
    semantic=0.0,
    bm25=0.0,
    exact=0.0,
    cover=0.0,
    document=0.0,
    preferred=0.0,
    skills=0.0,
    second=0.0,
    second_preferred=0.0,
    prior_children=0.0,
    prior_has_parent=0.0,
    prior_label_words=0.0,
    prior_skills=0.0,
    prior_alt_labels=0.0,
    prior_major=(),
    unasked_manager=0.0,
    late=0.0,
)


def two_twins() -> Taxonomy:
    """Two occupations with the same label; only the second needs Apache Kafka."""
    tax = Taxonomy()
    tax.add_skills([Skill("kafka", "Apache Kafka"), Skill("sewing", "sew garments")])
    tax.add_occupations(
        [
            Occupation("tailor-dev", "developer", essential_skills=["sewing"]),
            Occupation("kafka-dev", "developer", essential_skills=["kafka"], optional_skills=["sewing"]),
        ]
    )
    return tax


def test_skill_profile_signal_prefers_the_occupation_needing_the_named_tool(tmp_path):
    w = TitleWeights(**{**ONLY, "skills": 1.0})
    normalizer = TitleNormalizer(two_twins(), encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path), weights=w)
    scores = normalizer.score_matrix(["Apache Kafka developer"])[0]
    kafka = normalizer.index.uris.index("urn:talentbridge:occupation:kafka-dev")
    assert scores[kafka] > scores[1 - kafka] >= 0
    # the vector is the unit-length sum essential + 0.5 x optional of the skills' label vectors
    enc = HashingEncoder()
    expected = enc.encode(["Apache Kafka"])[0] + 0.5 * enc.encode(["sew garments"])[0]
    np.testing.assert_allclose(normalizer.skill_vectors[kafka], expected / np.linalg.norm(expected), atol=1e-6)


def test_second_encoder_scores_are_its_best_label_and_preferred_cosines(taxonomy, tmp_path):
    second = HashingEncoder(dim=96)
    w = TitleWeights(**{**ONLY, "semantic": 0.0, "second": 1.0})
    normalizer = TitleNormalizer(
        taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path), weights=w, second_encoder=second
    )
    title = "data scientist"
    got = normalizer.score_matrix([title])[0]
    q = second.encode([normalizer._query_text(title)])[0]
    labels = second.encode(normalizer.index.labels)
    best = np.maximum.reduceat(labels @ q, normalizer.index.label_starts)
    np.testing.assert_allclose(got, np.clip(best, 0, 1), atol=1e-5)
    w_pref = TitleWeights(**{**ONLY, "second_preferred": 1.0})
    pref = TitleNormalizer(taxonomy, encoder=HashingEncoder(), weights=w_pref, second_encoder=second)
    np.testing.assert_allclose(
        pref.score_matrix([title])[0], np.clip(labels[normalizer.index.label_starts] @ q, 0, 1), atol=1e-5
    )


def test_second_encoder_needs_a_first_one(taxonomy):
    assert TitleNormalizer(taxonomy, second_encoder=HashingEncoder()).second_encoder is None


def test_alternative_label_prior_counts_names():
    tax = Taxonomy()
    tax.add_occupations(
        [Occupation("a", "clerk", alt_en=["office clerk", "filing clerk", "records clerk"]), Occupation("b", "clerk")]
    )
    n = TitleNormalizer(tax, weights=TitleWeights(**{**ONLY, "prior_alt_labels": 1.0}))
    assert np.allclose(sorted(n.prior), [0.0, np.log(4)])


def test_workers_and_blocks_do_not_change_results(taxonomy, tmp_path):
    normalizer = TitleNormalizer(taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path))
    titles = ["data scientist", "용접원", "", "WELDERS", "ML Engineer", "간호사", "senior java developer"] * 3
    one = normalizer.normalize(titles, top=4)
    normalizer.block_titles = 2
    assert normalizer.normalize(titles, top=4, workers=2) == one
    assert normalizer.normalize(titles, top=4, workers=1) == one
