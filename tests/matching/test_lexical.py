"""The ``lexical`` criterion's numbers: terms, pool-standardised BM25, its rescaling and its place in the score."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.matching import criteria as C
from talentbridge.matching.fit import fit_score
from talentbridge.matching.lexical import LexicalCorpus, LexicalQueries, terms

from .conftest import make_opening, make_talent

WORDS = ["account", "kitchen", "chef", "ledger", "audit", "teacher", "python", "sales", "menu", "class"]


def test_terms_stem_latin_words_and_split_hangul_into_bigrams():
    assert terms("Accountant, ACCOUNTING and accounts") == ["account", "account", "account"]
    assert terms("회계사 Chef") == ["chef", "회계", "계사"]
    assert terms("the and of") == []


def test_a_profile_naming_the_openings_words_stands_above_the_pool():
    pool = [terms(t) for t in ["Sous chef in a hotel kitchen", "Staff accountant, ledger and audit",
                               "Math teacher", "Sales associate", "Line cook, kitchen prep"]]  # fmt: skip
    queries = LexicalQueries(LexicalCorpus(pool), ["Chef", "Accountant", "Pilot"])
    z = queries.z(terms("Head chef: menus, kitchen team"))
    assert z[0] > 0 > z[1]
    assert np.isnan(z[2])  # no profile of the pool uses the word: nothing to compare with
    assert np.isnan(queries.z([])).all()


docs = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), min_size=2, max_size=12)


@settings(max_examples=100, deadline=None)
@given(docs, st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
def test_z_over_the_pool_has_mean_zero_and_unit_deviation(pool, query):
    queries = LexicalQueries(LexicalCorpus(pool), [" ".join(query)])
    zs = np.array([queries.z(d)[0] for d in pool])
    if np.isnan(zs).all():
        return
    assert zs.mean() == pytest.approx(0.0, abs=1e-9)
    assert zs.std() == pytest.approx(1.0, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(docs, st.sampled_from(WORDS), st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
def test_one_more_use_of_the_openings_word_never_lowers_the_profile(pool, word, doc):
    # as written (a widened title also counts other words, whose weight a longer profile dilutes)
    queries = LexicalQueries(LexicalCorpus(pool), [word], expand=False)
    before, after = queries.bm25(doc)[0], queries.bm25([*doc, word])[0]
    assert after >= before - 1e-12


@given(st.floats(-10, 10))
def test_lexical_score_is_the_rescaled_z(z):
    s = float(C.lexical_score(z))
    assert 0.0 <= s <= 1.0
    if z <= C.LEXICAL_Z_FLOOR:
        assert s == 0.0
    if z >= C.LEXICAL_Z_FULL:
        assert s == 1.0


def test_the_criterion_counts_only_when_given():
    talent, opening = make_talent(1, {"python": 3}), make_opening(1, {"python": (3, "must")})
    without = fit_score(talent, opening)
    assert not without.breakdown["lexical"].applicable
    high, low = fit_score(talent, opening, lexical=C.LEXICAL_Z_FULL), fit_score(talent, opening, lexical=-1.0)
    assert high.breakdown["lexical"].applicable and high.breakdown["lexical"].detail["z"] == C.LEXICAL_Z_FULL
    assert high.score > low.score
    assert sum(high.points().values()) == pytest.approx(high.score)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 40), st.integers(1, 5))
def test_embedding_pool_gives_the_exact_mean_and_deviation_of_the_pools_cosines(seed, n, k):
    from talentbridge.matching.lexical import EmbeddingPool

    rng = np.random.default_rng(seed)
    pool_vectors = rng.normal(size=(n, 8))
    pool_vectors /= np.linalg.norm(pool_vectors, axis=1, keepdims=True)
    openings = rng.normal(size=(k, 8))
    openings /= np.linalg.norm(openings, axis=1, keepdims=True)
    pool = EmbeddingPool(pool_vectors)
    mean, sd = pool.stats(openings)
    cosines = pool_vectors @ openings.T  # (n, k)
    assert mean == pytest.approx(cosines.mean(axis=0), abs=1e-9)
    assert sd == pytest.approx(cosines.std(axis=0), abs=1e-9)
    z = np.array([pool.z(cosines[i], mean, sd) for i in range(n)])
    assert z.mean(axis=0) == pytest.approx(np.zeros(k), abs=1e-6)


def test_a_rich_profile_ranks_the_thin_opening_it_names_first():
    """Routing ("openings for a talent"): a long résumé against bare-title openings puts the title it works in
    first, although its length spreads the title word thin and it uses other openings' words in passing."""
    pool = [terms(t) for t in ["Line cook, kitchen prep", "Staff accountant: ledger, audit, tax returns",
                               "Math teacher, grade 7", "Sales associate, retail floor", "Pastry chef",
                               "Bookkeeper, accounts payable", "Tutor and class teacher"]]  # fmt: skip
    queries = LexicalQueries(LexicalCorpus(pool), ["Chef", "Accountant", "Teacher", "Sales"])
    rich = " ".join(["Executive chef of a hotel restaurant: menus, kitchen team, suppliers, food cost."] * 8)
    rich += " Taught a cooking class once; handled the sales ledger of the restaurant with the accountant."
    z = queries.z(terms(rich))
    assert int(np.argmax(z)) == 0
    assert z[0] > 0 and all(z[0] > z[j] for j in (1, 2, 3))


@settings(max_examples=100, deadline=None)
@given(docs, st.lists(st.sampled_from(WORDS), min_size=1, max_size=60), st.sampled_from(WORDS))
def test_an_opening_whose_word_the_profile_never_uses_ranks_below_one_it_uses_as_much_as_the_pool(pool, doc, absent):
    doc = [w for w in doc if w != absent]
    # as written: a widened title also counts the words its pool profiles share, which this profile may use
    queries = LexicalQueries(LexicalCorpus(pool), [absent, *sorted(set(doc))], expand=False)
    if not doc or np.isnan(queries.z(doc)[0]):
        return
    z, raw = queries.z(doc), queries.bm25(doc)
    assert z[0] < 0
    for j in range(1, len(z)):
        if not np.isnan(z[j]) and raw[j] >= queries.mean[j]:
            assert z[j] > z[0]


KITCHEN = ["Sous chef: kitchen, menu, food cost", "Chef de partie, kitchen line, menu", "Pastry chef, menu, kitchen",
           "Staff accountant: ledger, audit", "Math teacher, class", "Sales associate", "Line cook: kitchen, menu"]  # fmt: skip


def test_a_bare_title_is_widened_with_the_words_its_pool_profiles_share():
    pool = [terms(t) for t in KITCHEN]
    widened = LexicalQueries(LexicalCorpus(pool), ["Chef", "Accountant"])
    plain = LexicalQueries(LexicalCorpus(pool), ["Chef", "Accountant"], expand=False)
    assert {"kitchen", "menu"} <= set(widened.expanded[0]) and "chef" not in widened.expanded[0]
    assert widened.expanded[1] == {}  # one pool profile uses the word: too few to learn from
    cook = terms("Line cook: kitchen prep, menu costing")  # never says "chef"
    assert plain.bm25(cook)[0] == 0.0 < widened.bm25(cook)[0]
    assert widened.z(cook)[0] > widened.z(terms("Math teacher"))[0]
    # the title's own word still counts most: a chef who says so stands above the cook who does not
    assert widened.z(terms("Chef: kitchen, menu"))[0] > widened.z(cook)[0]


@settings(max_examples=100, deadline=None)
@given(docs, st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=4))
def test_widening_weighs_at_most_the_titles_own_terms_and_leaves_long_texts_alone(pool, texts):
    from talentbridge.matching.lexical import EXPAND_MAX_TERMS, EXPAND_TERMS, EXPAND_WEIGHT

    long_text = " ".join(f"word{i}" for i in range(EXPAND_MAX_TERMS + 1))
    queries = LexicalQueries(LexicalCorpus(pool), [*texts, long_text])
    assert queries.expanded[-1] == {}
    for j, text in enumerate(texts):
        own = set(terms(text))
        added = queries.expanded[j]
        assert not own & set(added) and len(added) <= EXPAND_TERMS
        if added:
            assert sum(added.values()) == pytest.approx(EXPAND_WEIGHT * len(own))


@settings(max_examples=100, deadline=None)
@given(docs, st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), min_size=2, max_size=5))
def test_an_opening_compiled_alone_is_widened_and_scored_as_among_others(pool, texts):
    # talents-for-opening compiles one opening, openings-for-talent all of them: the score must not depend on it
    together = LexicalQueries(LexicalCorpus(pool), texts)
    for j, text in enumerate(texts):
        alone = LexicalQueries(LexicalCorpus(pool), [text])
        assert alone.expanded[0] == pytest.approx(together.expanded[j])
        for doc in pool:
            np.testing.assert_allclose(alone.z(doc)[0], together.z(doc)[j], rtol=1e-9, atol=1e-9)
