"""One talent against many openings with arrays (``opening_scores.py``): equal to the pair scorer and the pair
constraints on random data, plus hand-built cases."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.domain import Education, RequiredSkill, SkillClaim, WorkExperience
from talentbridge.matching import CRITERIA, fit_score, weights_for
from talentbridge.matching.constraints import CONSTRAINTS, OpeningContext, failing
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.opening_scores import OpeningColumns, eligible_openings, score_openings

from .conftest import SKILL_IDS, TODAY, make_opening, make_talent, small_taxonomy

GRAPH = SkillGraph(small_taxonomy())
KINDS = ["job", "internship", "joint_rnd", "pbl_project", "secondment_slot"]
TYPES = ["full_time", "secondment", "pbl", "internship", "joint_rnd"]
#: organizations 1-2 are affiliates, 3 stands alone
AFFILIATES = {1: frozenset({1, 2}), 2: frozenset({1, 2}), 3: frozenset({3})}

levels = st.integers(1, 5)
confidence = st.one_of(st.none(), st.floats(0, 1))


@st.composite
def claims(draw):
    out = []
    for sid in draw(st.lists(st.sampled_from(SKILL_IDS), unique=True, max_size=6)):
        inferred = draw(st.booleans())
        out.append(
            SkillClaim(
                skill_id=sid,
                level=draw(levels),
                years=draw(st.one_of(st.none(), st.floats(0, 20))),
                source="inferred" if inferred else "explicit",
                confidence=draw(confidence) if inferred else None,
            )
        )
    return out


@st.composite
def talents(draw):
    foreign = draw(st.booleans())
    talent = make_talent(
        1,
        region=draw(st.sampled_from(["seoul", "busan", "gyeonggi", "jeju", None])),
        salary_expectation=draw(st.one_of(st.none(), st.integers(0, 12000))),
        available_from=draw(st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2028, 1, 1)))),
        education=[
            Education(degree=d)
            for d in draw(st.lists(st.sampled_from(["bachelor", "master", "doctorate", "associate"]), max_size=2))
        ],
        work_history=[WorkExperience(organization="X", start=draw(st.dates(date(2005, 1, 1), date(2025, 1, 1))))]
        if draw(st.booleans())
        else [],
        nationality="VN" if foreign else "KR",
        visa_type=draw(st.sampled_from([None, "E-7", "D-2", "F-5", "E-3"])) if foreign else None,
        employment_types=draw(st.lists(st.sampled_from(TYPES), unique=True, max_size=5)),
        current_employer_id=draw(st.sampled_from([None, 1, 2, 3])),
        consent_visible=draw(st.booleans()),
    )
    return talent.model_copy(update={"skills": draw(claims())})


@st.composite
def openings(draw, id: int):
    reqs = []
    for sid in draw(st.lists(st.sampled_from(SKILL_IDS), unique=True, max_size=5)):
        inferred = draw(st.booleans())
        reqs.append(
            RequiredSkill(
                skill_id=sid,
                min_level=draw(levels),
                importance=draw(st.sampled_from(["must", "should", "nice"])),
                source="inferred" if inferred else "explicit",
                confidence=draw(confidence) if inferred else None,
            )
        )
    remote = draw(st.booleans())
    opening = make_opening(
        id,
        organization_id=draw(st.sampled_from([1, 2, 3])),
        kind=draw(st.sampled_from(KINDS)),
        region=draw(st.sampled_from(["seoul", "busan", "daejeon"] + ([None] if remote else []))),
        remote=remote,
        status=draw(st.sampled_from(["open", "open", "closed"])),
        deadline=draw(st.one_of(st.none(), st.dates(date(2026, 10, 1), date(2027, 3, 1)))),
        visa_sponsorship=draw(st.booleans()),
        salary_max=draw(st.one_of(st.none(), st.integers(0, 9000))),
        min_years_experience=draw(st.one_of(st.none(), st.floats(0, 10))),
        min_degree=draw(st.one_of(st.none(), st.sampled_from(["bachelor", "master"]))),
        start_date=draw(st.one_of(st.none(), st.dates(date(2026, 6, 1), date(2027, 12, 1)))),
    )
    return opening.model_copy(update={"required_skills": reqs})


overrides = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "skills": st.floats(0, 1),
            "text": st.floats(0, 1),
            "lexical": st.floats(0, 1),
            "titles": st.floats(0, 1),
            "importance": st.fixed_dictionaries({"nice": st.floats(0, 1)}),
            "relation_credit": st.fixed_dictionaries({"sibling": st.floats(0, 1), "narrower": st.floats(0, 1)}),
        }
    ),
)


def _context(o):
    return OpeningContext(
        o, affiliate_ids=AFFILIATES.get(o.organization_id, frozenset({o.organization_id})), today=TODAY
    )


@st.composite
def worlds(draw):
    n = draw(st.integers(1, 8))
    ops = [draw(openings(id=i + 1)) for i in range(n)]
    cosines = draw(st.lists(st.one_of(st.none(), st.floats(-1, 1)), min_size=n, max_size=n))
    zs = draw(st.lists(st.one_of(st.none(), st.floats(-5, 10)), min_size=n, max_size=n))
    tzs = draw(st.lists(st.one_of(st.none(), st.floats(-5, 10)), min_size=n, max_size=n))
    tis = draw(st.lists(st.one_of(st.none(), st.floats(-5, 10)), min_size=n, max_size=n))
    return draw(talents()), ops, cosines, zs, tzs, tis, draw(overrides)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_array_scores_and_constraints_equal_the_pair_path(world):
    talent, ops, cosines, zs, tzs, tis, fit_weights = world
    weights = [weights_for(o.kind, fit_weights) for o in ops]
    contexts = [_context(o) for o in ops]
    cols = OpeningColumns.compile(contexts, GRAPH, weights)
    sims = np.array([np.nan if c is None else c for c in cosines])
    lexical = np.array([np.nan if z is None else z for z in zs])
    text_z = np.array([np.nan if z is None else z for z in tzs])
    titles = np.array([np.nan if z is None else z for z in tis])
    scored = score_openings(
        talent, cols, today=TODAY, text_similarity=sims, lexical=lexical, text_z=text_z, titles=titles
    )
    ok, counts = eligible_openings(talent, cols)
    ok_consent, counts_consent = eligible_openings(talent, cols, check_consent=True)
    expected = dict.fromkeys(CONSTRAINTS, 0)
    expected_consent = dict.fromkeys(CONSTRAINTS, 0)
    for j, (o, ctx) in enumerate(zip(ops, contexts, strict=True)):
        ref = fit_score(
            talent, o, GRAPH, weights[j], today=TODAY, text_similarity=cosines[j], lexical=zs[j], text_z=tzs[j],
            titles=tis[j],
        )  # fmt: skip
        assert scored.score[j] == pytest.approx(ref.score, abs=1e-9)
        for c in CRITERIA:
            assert scored.points[c][j] == pytest.approx(ref.breakdown[c].points, abs=1e-9), c
            assert scored.criterion[c][j] == pytest.approx(ref.breakdown[c].score, abs=1e-9), c
            assert bool(scored.applicable[c][j]) == ref.breakdown[c].applicable, c
        for name in failing(talent, ctx, check_consent=False):
            expected[name] += 1
        fails = failing(talent, ctx)
        for name in fails:
            expected_consent[name] += 1
        assert bool(ok[j]) == (not failing(talent, ctx, check_consent=False))
        assert bool(ok_consent[j]) == (not fails)
    assert counts == expected
    assert counts_consent == expected_consent


def test_hand_built_order_and_constraints():
    talent = make_talent(
        1, {"pytorch": 5, "python": 4}, region="busan", employment_types=["full_time", "secondment"],
        current_employer_id=2,
    )  # fmt: skip
    ops = [
        make_opening(1, {"pytorch": (4, "must"), "python": (3, "must")}, region="busan"),  # everything matches
        make_opening(2, {"tensorflow": (4, "must")}, region="busan"),  # a sibling skill only
        make_opening(3, {"sql": (3, "must")}, region="seoul"),  # nothing, and far away
        make_opening(4, {"pytorch": (4, "must")}, kind="internship"),  # not wanted
        make_opening(5, {"pytorch": (4, "must")}, kind="secondment_slot", organization_id=1),  # own group
        make_opening(6, {"pytorch": (4, "must")}, status="closed"),
    ]
    cols = OpeningColumns.compile([_context(o) for o in ops], GRAPH)
    scored = score_openings(talent, cols, today=TODAY)
    assert scored.score[0] > scored.score[1] > scored.score[2]
    assert not scored.applicable["text"].any()
    ok, counts = eligible_openings(talent, cols)
    assert ok.tolist() == [True, True, True, False, False, False]
    assert counts["employment_type"] == 1 and counts["own_employer"] == 1 and counts["opening_status"] == 1
    assert counts["consent"] == 0


def test_no_openings_and_no_skills():
    empty = OpeningColumns.compile([], GRAPH)
    scored = score_openings(make_talent(1, {"python": 3}), empty, today=TODAY)
    assert scored.score.shape == (0,)
    ok, counts = eligible_openings(make_talent(1), empty)
    assert ok.shape == (0,) and set(counts.values()) == {0}
    cols = OpeningColumns.compile([_context(make_opening(1, {}))], GRAPH)
    ref = fit_score(make_talent(1), make_opening(1, {}), GRAPH, today=TODAY)
    assert score_openings(make_talent(1), cols, today=TODAY).score[0] == pytest.approx(ref.score)
