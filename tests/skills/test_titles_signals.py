"""Title signals added for issue 3: skill profile, second encoder, alternative-label prior, parallel blocks."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.skills.encoder import EmbeddingCache, HashingEncoder
from talentbridge.skills.occupation_priors import FEATURES
from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy
from talentbridge.skills.title_weights import TitleWeights
from talentbridge.skills.title_words import LabelWords
from talentbridge.skills.titles import TitleNormalizer

WORDS = ["data", "engineer", "welder", "sales", "assistant", "ict"]

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
    **{f"prior_{name}": 0.0 for name in FEATURES},
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
    assert np.allclose(sorted(n.prior), [-np.log(4) / 2, np.log(4) / 2])  # centred: only differences rank


def test_workers_and_blocks_do_not_change_results(taxonomy, tmp_path):
    normalizer = TitleNormalizer(taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path))
    titles = ["data scientist", "용접원", "", "WELDERS", "ML Engineer", "간호사", "senior java developer"] * 3
    one = normalizer.normalize(titles, top=4)
    normalizer.block_titles = 2
    assert normalizer.normalize(titles, top=4, workers=2) == one
    assert normalizer.normalize(titles, top=4, workers=1) == one


def test_second_encoder_on_candidates_ranks_as_on_every_occupation(taxonomy, tmp_path):
    """``normalize`` adds the second encoder's cosines to each title's candidates only (occupations with a positive
    score from the other signals); with every occupation a candidate, the ranking equals the full fused matrix there
    (late interaction off)."""
    w = TitleWeights(late=0.0, second=0.3, second_preferred=0.1, first_word=0.0, head_word=0.0)
    normalizer = TitleNormalizer(
        taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path), weights=w, second_encoder=HashingEncoder(96)
    )
    normalizer.candidates = len(normalizer.index)
    # no title is an occupation's preferred label (that one is put first whatever the fused score)
    titles = ["lead data scientist", "senior java developer", "welding robot operator"]
    others = normalizer.score_matrix(titles, TitleWeights(late=0.0, second=0.0, second_preferred=0.0))
    candidate = (others > 0) & (others + normalizer.prior > 0)  # a positive score without the second encoder
    full = np.where(candidate, (normalizer.score_matrix(titles) + normalizer.prior) / w.evidence, 0.0)
    assert (full > 0).sum() < full.size  # some occupations have no evidence and are not listed
    for row, matches in enumerate(normalizer.normalize(titles, top=5)):
        order = [j for j in np.argsort(-full[row], kind="stable")[:5] if full[row, j] > 0]
        assert [m.uri for m in matches] == [normalizer.index.uris[j] for j in order]
        np.testing.assert_allclose([m.score for m in matches], full[row, order], atol=1e-5)


def test_titles_differing_in_case_and_spacing_score_once(taxonomy, tmp_path):
    encoder = HashingEncoder()
    calls: list[int] = []
    encode = encoder.encode
    encoder.encode = lambda texts, progress=None: calls.append(len(texts)) or encode(texts, progress)  # type: ignore[method-assign]
    normalizer = TitleNormalizer(taxonomy, encoder=encoder, cache=EmbeddingCache(tmp_path))
    normalizer.prepare()
    calls.clear()
    a, b, c = normalizer.normalize(["Data Scientist", "data  SCIENTIST", "welder"], top=3)
    assert a == b and a != c
    assert calls == [2]  # two distinct queries encoded


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=4), min_size=1, max_size=12),
    query=st.lists(st.sampled_from([*WORDS, "zeta"]), min_size=1, max_size=4),
    data=st.data(),
)
def test_word_signals_match_a_plain_reading(labels, query, data):
    """First-word and head-word equality, best label per concept, against a plain reading of the words."""
    texts = [" ".join(words) for words in labels]
    n_concepts = data.draw(st.integers(1, len(texts)))
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(texts) - 1)), max_size=n_concepts - 1)))
    offsets = np.asarray([0, *(c for c in cuts if c < len(texts))], dtype=np.int64)
    words = LabelWords(texts)
    got = words.scores(" ".join(query), np.arange(len(texts)), offsets, TitleWeights(first_word=1.0, head_word=10.0))
    bounds = [*offsets.tolist(), len(texts)]
    for c, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
        first = any(label and label[0] == query[0] for label in labels[a:b])
        head = any(label and label[-1] == query[-1] for label in labels[a:b])
        assert got[c] == pytest.approx(first + 10 * head)


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from([*WORDS, "the", "of"]), max_size=6), min_size=1, max_size=10),
    queries=st.lists(st.lists(st.sampled_from([*WORDS, "zeta", "the"]), max_size=4), min_size=1, max_size=6),
)
def test_bm25_scores_many_equals_one_query_at_a_time(docs, queries):
    from talentbridge.skills.lexicon import BM25Index

    index = BM25Index(docs)
    many = index.scores_many(queries)
    assert many.shape == (len(queries), len(docs))
    for row, query in zip(many, queries, strict=True):
        np.testing.assert_allclose(row, index.scores(query), atol=1e-6)


def test_ranking_does_not_depend_on_top(taxonomy, tmp_path):
    normalizer = TitleNormalizer(
        taxonomy, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path), second_encoder=HashingEncoder(96)
    )
    normalizer.candidates = 2  # fewer candidates than results asked for
    titles = ["data scientist", "senior java developer", "ML engineer"]
    many = normalizer.normalize(titles, top=6)
    for k in (1, 2, 3):
        assert normalizer.normalize(titles, top=k) == [m[:k] for m in many]


@pytest.mark.parametrize("encoder", [HashingEncoder(), None], ids=["encoder", "lexical"])
def test_matched_label_is_the_label_the_title_matched_on(taxonomy, tmp_path, encoder):
    normalizer = TitleNormalizer(taxonomy, encoder=encoder, cache=EmbeddingCache(tmp_path))
    [programmer], [engineer] = normalizer.normalize(["Programmer"], top=1), normalizer.normalize(["ML Engineer"], top=1)
    assert programmer[0].label == "software developer" and programmer[0].matched_label == "programmer"
    assert engineer[0].label == "machine learning engineer" and engineer[0].matched_label == "ML engineer"
    assert programmer[0].as_dict()["matched_label"] == "programmer"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS + ["programmer", "scientist", "nurse"]), min_size=1, max_size=4))
def test_matched_label_is_always_one_of_the_occupations_labels(taxonomy, title_words):
    normalizer = TitleNormalizer(taxonomy)  # the taxonomy is only read
    for match in normalizer.normalize([" ".join(title_words)], top=5)[0]:
        concept = normalizer.index.uris.index(match.uri)
        assert match.matched_label in set(normalizer.index.concepts[concept].labels())
