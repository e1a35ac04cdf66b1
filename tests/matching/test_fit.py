"""Fit score: hand-built cases with an obvious order, breakdown properties, monotonicity, array path = pair path."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.domain import Education, RequiredSkill, SkillClaim, WorkExperience
from talentbridge.matching import CRITERIA, explain_fit, fit_score, weights_for
from talentbridge.matching.columns import TalentColumns
from talentbridge.matching.constraints import OpeningContext
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.scoring import OpeningProfile, score_rows

from .conftest import SKILL_IDS, TODAY, make_opening, make_talent, small_taxonomy

GRAPH = SkillGraph(small_taxonomy())


def test_exact_beats_narrower_beats_sibling_beats_nothing(graph):
    opening = make_opening(skills={"dl-frameworks": (3, "must")})
    exact = make_talent(1, {"dl-frameworks": 3})
    child = make_talent(2, {"pytorch": 5})
    parent = make_talent(3, {"deep-learning": 5})
    none = make_talent(4, {"sql": 5})
    scores = [fit_score(t, opening, graph, today=TODAY).score for t in (exact, child, parent, none)]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == 4


def test_sibling_counts_less_than_the_skill_itself(graph):
    opening = make_opening(skills={"pytorch": (3, "must")})
    own = fit_score(make_talent(1, {"pytorch": 3}), opening, graph, today=TODAY)
    sibling = fit_score(make_talent(2, {"tensorflow": 5}), opening, graph, today=TODAY)
    assert own.score > sibling.score > fit_score(make_talent(3, {}), opening, graph, today=TODAY).score
    assert sibling.skills[0].relation == "sibling"
    assert sibling.skills[0].matched_skill_id == "tensorflow"


def test_explanation_names_the_right_skills(graph):
    opening = make_opening(skills={"pytorch": (4, "must"), "sql": (3, "must"), "spark": (3, "should")})
    talent = make_talent(1, {"pytorch": 5, "airflow": 4})
    exp = explain_fit(fit_score(talent, opening, graph, today=TODAY), graph)
    assert [m["skill_id"] for m in exp["matched"]] == ["pytorch"]
    assert exp["matched"][0]["level"] == 5
    assert [m["skill_id"] for m in exp["missing_must"]] == ["sql"]
    assert exp["partial"][0]["skill_id"] == "spark"
    assert exp["partial"][0]["via_skill_id"] == "airflow"
    assert exp["partial"][0]["relation"] == "sibling"
    assert any("SQL" in r for r in exp["reasons"]["en"])
    assert any("파이토치" in r for r in exp["reasons"]["ko"])
    assert sum(b["points"] for b in exp["breakdown"].values()) == pytest.approx(exp["score"], abs=0.05)


def test_explanation_says_which_matched_skills_the_ai_inferred(graph):
    opening = make_opening(skills={"pytorch": (3, "must"), "sql": (3, "should")})
    talent = make_talent(
        1,
        skills={"sql": 4},
        resume_text="PyTorch 모델 개발",
    )
    talent.skills.append(SkillClaim(skill_id="pytorch", level=3, source="inferred", confidence=0.9))
    exp = explain_fit(fit_score(talent, opening, graph, today=TODAY), graph)
    by_id = {m["skill_id"]: m for m in exp["matched"]}
    assert by_id["pytorch"]["confidence"] == 0.9
    assert "confidence" not in by_id["sql"]  # stated by the person
    assert any("inferred by AI" in r and "90%" in r for r in exp["reasons"]["en"])
    assert any("AI가 추론" in r and "90%" in r for r in exp["reasons"]["ko"])
    assert sum("AI가 추론" in r for r in exp["reasons"]["ko"]) == 1


def test_a_partial_match_says_when_the_skill_behind_it_was_inferred(graph):
    # spark required; the talent has airflow (a sibling in the graph) read from the text, and a stated level-1 sql
    opening = make_opening(skills={"spark": (3, "should"), "sql": (3, "should")})
    talent = make_talent(1, skills={"sql": 1}, resume_text="Airflow 파이프라인 운영")
    talent.skills.append(SkillClaim(skill_id="airflow", level=4, source="inferred", confidence=0.6))
    exp = explain_fit(fit_score(talent, opening, graph, today=TODAY), graph)
    by_id = {p["skill_id"]: p for p in exp["partial"]}
    assert by_id["spark"]["via_skill_id"] == "airflow" and by_id["spark"]["confidence"] == 0.6
    assert "confidence" not in by_id["sql"]  # below the level, but stated by the person
    spark_en = next(r for r in exp["reasons"]["en"] if "credit for" in r)
    spark_ko = next(r for r in exp["reasons"]["ko"] if "인정" in r)
    assert "inferred by AI" in spark_en and "60%" in spark_en
    assert "AI가 추론" in spark_ko and "60%" in spark_ko
    assert not any("AI" in r for r in exp["reasons"]["en"] if "below the required" in r)


def test_more_must_coverage_ranks_higher(graph):
    opening = make_opening(skills={"python": (3, "must"), "pytorch": (3, "must"), "mlops": (3, "nice")})
    a = make_talent(1, {"python": 4, "pytorch": 4})
    b = make_talent(2, {"python": 4, "mlops": 5})
    assert fit_score(a, opening, graph, today=TODAY).score > fit_score(b, opening, graph, today=TODAY).score


def test_location_and_salary_and_availability(graph):
    opening = make_opening(
        skills={"python": (3, "must")}, region="busan", salary_max=5000, start_date=date(2027, 1, 1)
    )
    same = make_talent(1, {"python": 3}, region="busan", salary_expectation=4000)
    commute = make_talent(2, {"python": 3}, region="ulsan", salary_expectation=4000)
    far = make_talent(3, {"python": 3}, region="seoul", salary_expectation=4000)
    pricey = make_talent(4, {"python": 3}, region="busan", salary_expectation=7000)
    late = make_talent(
        5, {"python": 3}, region="busan", salary_expectation=4000, available_from=date(2027, 6, 1)
    )
    s = {t.id: fit_score(t, opening, graph, today=TODAY).score for t in (same, commute, far, pricey, late)}
    assert s[1] > s[2] > s[3]
    assert s[1] > s[4] and s[1] > s[5]


def test_experience_and_education(graph):
    opening = make_opening(skills={"python": (3, "must")}, min_years_experience=4, min_degree="master")
    senior = make_talent(
        1,
        {"python": 3},
        education=[Education(degree="master")],
        work_history=[WorkExperience(organization="A", start=date(2018, 1, 1), end=date(2024, 1, 1))],
    )
    junior = make_talent(
        2,
        {"python": 3},
        education=[Education(degree="bachelor")],
        work_history=[WorkExperience(organization="A", start=date(2023, 1, 1), end=date(2024, 1, 1))],
    )
    a = fit_score(senior, opening, graph, today=TODAY)
    b = fit_score(junior, opening, graph, today=TODAY)
    assert a.score > b.score
    assert a.breakdown["experience"].score == 1.0
    assert b.breakdown["education"].score == 0.5


def test_skill_years_count_as_relevant_experience(graph):
    opening = make_opening(skills={"pytorch": (3, "must")}, min_years_experience=4)
    t = make_talent(1, skills=None)
    t = t.model_copy(update={"skills": [SkillClaim(skill_id="pytorch", level=4, years=4)]})
    assert fit_score(t, opening, graph, today=TODAY).breakdown["experience"].score == 1.0


def test_inferred_skill_counts_by_confidence(graph):
    opening = make_opening(skills={"python": (3, "must")})
    explicit = make_talent(1, {"python": 3})
    inferred = explicit.model_copy(
        update={
            "id": 2,
            "skills": [SkillClaim(skill_id="python", level=3, source="inferred", confidence=0.5)],
        }
    )
    a = fit_score(explicit, opening, graph, today=TODAY)
    b = fit_score(inferred, opening, graph, today=TODAY)
    assert b.skills[0].credit == pytest.approx(0.5)
    assert a.score > b.score


def test_program_weights_change_the_order(graph):
    opening = make_opening(skills={"python": (3, "must")}, region="busan")
    local_novice = make_talent(1, {"python": 1}, region="busan")
    remote_expert = make_talent(2, {"python": 5}, region="seoul")
    default = weights_for("job")
    local_heavy = weights_for("job", {"location": 2.0})
    assert (
        fit_score(remote_expert, opening, graph, default, today=TODAY).score
        > fit_score(local_novice, opening, graph, default, today=TODAY).score
    )
    assert (
        fit_score(local_novice, opening, graph, local_heavy, today=TODAY).score
        > fit_score(remote_expert, opening, graph, local_heavy, today=TODAY).score
    )


# ---------------------------------------------------------------- properties

levels = st.integers(1, 5)
talent_skills = st.dictionaries(st.sampled_from(SKILL_IDS), levels, max_size=6)
required = st.dictionaries(
    st.sampled_from(SKILL_IDS), st.tuples(levels, st.sampled_from(["must", "should", "nice"])), max_size=5
)
regions = st.sampled_from(["seoul", "busan", "gyeonggi", "jeju", None])


@st.composite
def pairs(draw):
    talent = make_talent(
        1,
        draw(talent_skills),
        region=draw(regions),
        salary_expectation=draw(st.one_of(st.none(), st.integers(2000, 12000))),
        available_from=draw(st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2028, 1, 1)))),
        education=[
            Education(degree=d)
            for d in draw(
                st.lists(st.sampled_from(["bachelor", "master", "doctorate", "associate"]), max_size=2)
            )
        ],
        work_history=[
            WorkExperience(organization="X", start=draw(st.dates(date(2005, 1, 1), date(2025, 1, 1))))
        ]
        if draw(st.booleans())
        else [],
    )
    opening = make_opening(
        1,
        draw(required),
        kind=draw(st.sampled_from(["job", "internship", "joint_rnd", "pbl_project", "secondment_slot"])),
        region=draw(st.sampled_from(["seoul", "busan", "daejeon"])),
        remote=draw(st.booleans()),
        salary_max=draw(st.one_of(st.none(), st.integers(3000, 9000))),
        min_years_experience=draw(st.one_of(st.none(), st.floats(0, 10))),
        min_degree=draw(st.one_of(st.none(), st.sampled_from(["bachelor", "master"]))),
        start_date=draw(st.one_of(st.none(), st.dates(date(2026, 6, 1), date(2027, 12, 1)))),
    )
    return talent, opening


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs(), st.one_of(st.none(), st.floats(-1, 1)))
def test_score_in_range_and_breakdown_sums(pair, cosine):
    talent, opening = pair
    result = fit_score(talent, opening, GRAPH, today=TODAY, text_similarity=cosine)
    assert 0.0 <= result.score <= 100.0
    assert sum(result.points().values()) == pytest.approx(result.score, abs=1e-9)
    assert set(result.breakdown) == set(CRITERIA)


@settings(max_examples=150, deadline=None)
@given(pairs(), st.sampled_from(SKILL_IDS), levels, st.sampled_from(["must", "should", "nice"]))
def test_adding_a_held_required_skill_never_lowers_the_score(pair, skill, level, importance):
    talent, opening = pair
    if skill in {r.skill_id for r in opening.required_skills}:
        return
    held = {c.skill_id: c for c in talent.skills}
    claims = list(talent.skills)
    if skill in held:
        claims = [
            c if c.skill_id != skill else SkillClaim(skill_id=skill, level=max(level, c.level))
            for c in claims
        ]
    else:
        claims.append(SkillClaim(skill_id=skill, level=level))
    talent = talent.model_copy(update={"skills": claims})
    before = fit_score(talent, opening, GRAPH, today=TODAY).score
    more = opening.model_copy(
        update={
            "required_skills": [
                *opening.required_skills,
                RequiredSkill(skill_id=skill, min_level=level, importance=importance),
            ]
        }
    )
    after = fit_score(talent, more, GRAPH, today=TODAY).score
    assert after >= before - 1e-9


@settings(max_examples=100, deadline=None)
@given(st.lists(pairs(), min_size=1, max_size=6))
def test_array_scores_equal_pair_scores(pairs_):
    opening = pairs_[0][1]
    talents = [t.model_copy(update={"id": i + 1}) for i, (t, _) in enumerate(pairs_)]
    cols = TalentColumns.from_talents(talents, today=TODAY)
    prof = OpeningProfile.compile(OpeningContext(opening, today=TODAY), GRAPH, cols.vocab)
    scored = score_rows(cols, prof, np.arange(len(talents)))
    for i, t in enumerate(talents):
        ref = fit_score(t, opening, GRAPH, today=TODAY)
        # The array path computes in float32 (about 7 significant digits): compare at that precision.
        assert scored.score[i] == pytest.approx(ref.score, rel=1e-5, abs=1e-5)
        for c in CRITERIA:
            assert scored.points[c][i] == pytest.approx(ref.breakdown[c].points, rel=1e-5, abs=1e-5)


def test_weights_overrides_are_validated():
    from talentbridge.domain.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        weights_for("job", {"skils": 1, "internship": {"salary": -1}, "location": "x"})
    assert len(exc.value.problems) == 3
    w = weights_for("internship", {"skills": 0.9, "internship": {"education": 0.3}, "job": {"salary": 0.5}})
    assert w["skills"] == 0.9 and w["education"] == 0.3 and w["salary"] == 0.0


def test_thin_text_is_a_bare_title():
    from talentbridge.matching import criteria as C

    assert C.thin_text("Accountant", None)
    assert C.thin_text("HR (human resources)", "  ")
    assert not C.thin_text("Data Engineer", "Builds batch pipelines in Spark for the plant's sensor data.")
    assert not C.thin_text(" ".join(["word"] * (C.THIN_TEXT_WORDS + 1)), None)


@settings(max_examples=200, deadline=None)
@given(st.floats(-1, 1), st.floats(-1, 1), st.booleans())
def test_text_score_in_range_and_monotone_in_both_ranges(a, b, thin):
    from talentbridge.matching import criteria as C

    lo, hi = sorted((a, b))
    s_lo, s_hi = float(C.text_score(lo, thin)), float(C.text_score(hi, thin))
    assert 0.0 <= s_lo <= s_hi <= 1.0
    # arrays with a thin flag per element give the scalar answers
    both = C.text_score(np.array([lo, hi]), np.array([thin, thin]))
    assert both.tolist() == pytest.approx([s_lo, s_hi])


def test_a_bare_title_scores_the_text_in_its_own_range():
    """A CV against a bare title has a far lower cosine than two texts on one subject; the thin range scores it
    instead of dropping it to 0 with every other pair."""
    from talentbridge.matching import criteria as C

    talent = make_talent(1, skills={}, resume_text="Staff accountant: ledgers, reconciliations, audits.")
    bare = make_opening(1, skills={}, title="Accountant", description=None)
    cosine = (C.TEXT_COSINE_FLOOR_THIN + C.TEXT_COSINE_FULL_THIN) / 2
    assert cosine < C.TEXT_COSINE_FLOOR  # a rich opening would score this cosine 0
    result = fit_score(talent, bare, GRAPH, today=TODAY, text_similarity=cosine)
    assert result.breakdown["text"].score == pytest.approx(0.5)
