"""Retrieval: the ANN path agrees with exact scoring on small data, never returns a pair that fails a hard
constraint, persists to a folder and follows incremental updates."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.matching import OpeningContext, failing, fit_score
from talentbridge.matching import criteria as C
from talentbridge.matching.columns import TalentColumns
from talentbridge.matching.criteria import REGION_CODE
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.retrieval import SearchFilters, TalentIndex

from .conftest import SKILL_IDS, TODAY, make_opening, make_talent, small_taxonomy

GRAPH = SkillGraph(small_taxonomy())
REGIONS = ["seoul", "busan", "gyeonggi", "daejeon", None]


def random_talents(n: int, seed: int):
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        foreign = rng.random() < 0.2
        skills = {s: rng.randint(1, 5) for s in rng.sample(SKILL_IDS, rng.randint(0, 5))}
        out.append(
            make_talent(
                i,
                skills,
                region=rng.choice(REGIONS),
                consent_visible=rng.random() < 0.8,
                employment_types=rng.sample(
                    ["full_time", "secondment", "internship", "pbl", "joint_rnd"], rng.randint(1, 3)
                ),
                nationality="VN" if foreign else "KR",
                visa_type=rng.choice([None, "E-7", "F-2", "D-2"]) if foreign else None,
                salary_expectation=rng.choice([None, 3000, 5000, 8000]),
                current_employer_id=rng.choice([None, 100, 200, 300]),
                available_from=rng.choice([None, date(2027, 1, 1), date(2027, 8, 1)]),
            )
        )
    return out


def random_opening(seed: int):
    rng = random.Random(seed)
    req = {s: (rng.randint(1, 5), rng.choice(["must", "should", "nice"])) for s in rng.sample(SKILL_IDS, 3)}
    return make_opening(
        seed,
        req,
        kind=rng.choice(["job", "secondment_slot", "internship"]),
        organization_id=rng.choice([100, 400]),
        region=rng.choice(["seoul", "busan"]),
        salary_max=rng.choice([None, 6000]),
        start_date=rng.choice([None, date(2027, 3, 1)]),
        visa_sponsorship=rng.random() < 0.3,
    )


@pytest.fixture(scope="module")
def people():
    return random_talents(300, 7)


@pytest.fixture(scope="module")
def index(people):
    return TalentIndex.build(TalentColumns.from_talents(people, today=TODAY), GRAPH)


def test_obvious_order(graph):
    people = [
        make_talent(1, {"pytorch": 5, "python": 5}),
        make_talent(2, {"tensorflow": 5, "python": 5}),
        make_talent(3, {"python": 2}),
        make_talent(4, {"sql": 5}),
    ]
    idx = TalentIndex.build(TalentColumns.from_talents(people, today=TODAY), graph)
    ctx = OpeningContext(make_opening(skills={"pytorch": (4, "must"), "python": (3, "must")}), today=TODAY)
    assert idx.recommend(ctx, 4).ids.tolist() == [1, 2, 3, 4]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([None, "seoul", "busan"]))
def test_ann_equals_exact_on_small_data(index, seed, region):
    ctx = OpeningContext(random_opening(seed), affiliate_ids=frozenset({100}), today=TODAY)
    filters = SearchFilters(regions=None if region is None else frozenset({REGION_CODE[region]}))
    ann = index.recommend(ctx, 10, filters=filters, method="ann")
    exact = index.recommend(ctx, 10, filters=filters, method="exact")
    assert ann.ids.tolist() == exact.ids.tolist()
    assert np.allclose(ann.scores.score, exact.scores.score)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["ann", "exact"]))
def test_hard_constraints_never_violated(index, people, seed, method):
    ctx = OpeningContext(random_opening(seed), affiliate_ids=frozenset({100, 300}), today=TODAY)
    by_id = {t.id: t for t in people}
    rec = index.recommend(ctx, 25, method=method)
    for tid, score in zip(rec.ids.tolist(), rec.scores.score.tolist(), strict=True):
        assert failing(by_id[tid], ctx) == []
        assert score == pytest.approx(fit_score(by_id[tid], ctx.opening, GRAPH, today=TODAY).score)


def test_persist_and_incremental_updates(tmp_path, people):
    idx = TalentIndex.build(TalentColumns.from_talents(people[:100], today=TODAY), GRAPH)
    idx.save(tmp_path / "ix")
    loaded = TalentIndex.load(tmp_path / "ix", GRAPH)
    assert loaded is not None and len(loaded) == 100
    ctx = OpeningContext(make_opening(skills={"jax": (5, "must"), "spc": (5, "must")}), today=TODAY)
    star = make_talent(5000, {"jax": 5, "spc": 5})
    loaded.upsert([star], today=TODAY)
    assert loaded.recommend(ctx, 1).ids.tolist() == [5000]
    # the star moves to Busan and withdraws consent: gone from the Seoul index and from results
    loaded.upsert([star.model_copy(update={"region": "busan", "consent_visible": False})], today=TODAY)
    assert 5000 not in loaded.recommend(ctx, 20).ids.tolist()
    loaded.upsert([star.model_copy(update={"consent_visible": True})], today=TODAY)
    assert loaded.recommend(ctx, 1).ids.tolist() == [5000]
    loaded.save(tmp_path / "ix")
    again = TalentIndex.load(tmp_path / "ix", GRAPH)
    assert again.recommend(ctx, 1).ids.tolist() == [5000]
    assert again.delete([5000]) == 1
    assert 5000 not in again.recommend(ctx, 20).ids.tolist()
    assert again.recommend(ctx, 20, method="exact").ids.tolist() == again.recommend(ctx, 20).ids.tolist()
    assert TalentIndex.load(tmp_path / "missing", GRAPH) is None


def test_inverted_index(index):
    v = index.columns.vocab.get("python")
    rows = index.postings(v)
    assert all(
        "python"
        in [
            index.columns.vocab.ids[s]
            for s in index.columns.skill[index.columns.indptr[r] : index.columns.indptr[r + 1]]
        ]
        for r in rows
    )


def test_batched_ann_equals_exact(index):
    contexts = [
        OpeningContext(random_opening(s), affiliate_ids=frozenset({100}), today=TODAY) for s in range(40)
    ]
    for ctx, many in zip(contexts, index.recommend_many(contexts, 10), strict=True):
        assert many.ids.tolist() == index.recommend(ctx, 10, method="exact").ids.tolist()


def test_hnsw_search_finds_nearly_all_of_the_exact_top_k(index):
    """With fewer candidates than any sub-index holds (25 < 39..62) the HNSW graphs are really searched."""
    hits = total = 0
    for s in range(30):
        ctx = OpeningContext(random_opening(s), affiliate_ids=frozenset({100}), today=TODAY)
        exact = set(index.recommend(ctx, 10, method="exact").ids.tolist())
        ann = set(index.recommend(ctx, 10, method="ann", n_candidates=25).ids.tolist())
        hits += len(exact & ann)
        total += len(exact)
    assert total > 0 and hits / total >= 0.9


def test_batched_search_takes_each_openings_text_embedding(people):
    rng = np.random.default_rng(3)

    def unit(n: int) -> np.ndarray:
        v = rng.normal(size=(n, 8)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    talent_emb = unit(len(people))
    talent_emb[::5] = 0  # every fifth talent has no text
    idx = TalentIndex.build(TalentColumns.from_talents(people, today=TODAY, embeddings=talent_emb), GRAPH)
    contexts = [
        OpeningContext(random_opening(s), affiliate_ids=frozenset({100}), today=TODAY) for s in range(12)
    ]
    embeddings = [None if i % 3 == 0 else e for i, e in enumerate(unit(len(contexts)))]
    batched = idx.recommend_many(contexts, 10, embeddings=embeddings)
    for ctx, emb, many in zip(contexts, embeddings, batched, strict=True):
        one = idx.recommend(ctx, 10, embedding=emb, method="exact")
        assert many.ids.tolist() == one.ids.tolist()
        assert np.allclose(many.scores.score, one.scores.score)
        if emb is None:
            assert not many.scores.points["text"].any()
        else:
            cos = talent_emb[many.rows].astype(np.float16).astype(np.float32) @ emb
            has_text = np.abs(talent_emb[many.rows]).sum(axis=1) > 0
            thin = C.thin_text(ctx.opening.title, ctx.opening.description)
            expected = np.where(has_text, C.text_score(cos, thin), 0.0)
            assert np.allclose(many.scores.criterion["text"], expected, atol=1e-3)
    with pytest.raises(ValueError, match="one entry per opening"):
        idx.recommend_many(contexts, 10, embeddings=embeddings[:3])
