"""The precision rule of inferred course skills (services/course_skills.py), on given extraction candidates (no
encoder): a skill found by similarity only is kept when it is in the NCS profile or strong; the profile is what the
NCS sub-category names outright; courses left with nothing get the NCS fill."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.domain.course import CourseData
from talentbridge.services.course_skills import (
    STRONG_SIMILARITY,
    Candidate,
    course_text,
    ncs_profiles,
    select_course_skills,
)


def course(title: str, code: str) -> CourseData:
    return CourseData(provider="p", title=title, ncs_code=code, ncs_name=f"n{code}")


def weak(sid: str) -> Candidate:
    return Candidate(sid, 0.35, sid, explicit=False)


def named(sid: str) -> Candidate:
    return Candidate(sid, 0.4, sid, explicit=True)


def taught(results: list[Any]) -> list[list[str]]:
    return [[s.skill_id for s in found] for found in results]


def test_a_weak_similarity_outside_the_profile_is_dropped_and_evidence_or_strength_keeps_a_skill() -> None:
    courses = [course("바이오 의약품 개발", "17050106"), course("바이오 공정", "17050107")]
    cands = [
        [weak("csharp"), named("biotech"), Candidate("gmp", STRONG_SIMILARITY, "gmp", explicit=False)],
        [weak("biotech")],  # named by a course of the same sub-category (170501): in the profile
    ]
    assert taught(select_course_skills(courses, cands)) == [["biotech", "gmp"], ["biotech"]]
    assert taught(select_course_skills(courses, cands, precision=False)) == [["csharp", "biotech", "gmp"], ["biotech"]]


def test_only_skills_named_outright_make_a_profile_however_often_similarity_finds_one() -> None:
    titles = [f"웹 개발 {i}" for i in range(5)]
    courses = [course(t, "20010202") for t in titles] + [course("자바 웹", "20010299")]
    cands = [[weak("web"), weak("noise")] for _ in titles] + [[named("web")]]
    # "web" is named by a course of the same sub-category (200102); "noise" recurs everywhere but is never named
    assert taught(select_course_skills(courses, cands)) == [["web"]] * 5 + [["web"]]
    assert ncs_profiles(courses, cands) == {"20010202": frozenset({"web"}), "20010299": frozenset({"web"})}


def test_a_course_left_with_nothing_takes_the_common_skills_of_its_code() -> None:
    courses = [course("파이썬 1", "20010202"), course("파이썬 2", "20010202"), course("단기 과정", "20010202")]
    cands = [[named("python")], [named("python")], [weak("csharp")]]
    results = select_course_skills(courses, cands)
    assert taught(results) == [["python"], ["python"], ["python"]]
    assert results[2][0].evidence.startswith("NCS 20010202")


CODES = ["20010202", "20010203", "20010105", "17050106"]
SKILLS = [f"s{i}" for i in range(6)]


@st.composite
def catalogues(draw: Any) -> tuple[list[CourseData], list[list[Candidate]]]:
    n = draw(st.integers(1, 14))
    courses = [course(f"t{draw(st.integers(0, 6))}", draw(st.sampled_from(CODES))) for _ in range(n)]
    by_text: dict[str, list[Candidate]] = {}
    cands = []
    for c in courses:  # identical texts have identical candidates, as the extractor gives them
        key = course_text(c)
        if key not in by_text:
            sids = draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=4))
            by_text[key] = [
                Candidate(s, draw(st.floats(0.3, 1.0)), s, explicit=draw(st.booleans())) for s in sids
            ]  # fmt: skip
        cands.append(by_text[key])
    return courses, cands


@settings(max_examples=200, deadline=None)
@given(catalogues())
def test_every_kept_skill_has_evidence_strength_or_the_profile_and_every_dropped_one_has_none(
    data: tuple[list[CourseData], list[list[Candidate]]],
) -> None:
    courses, cands = data
    profiles = ncs_profiles(courses, cands)
    for code in {c.ncs_code for c in courses}:
        assert code is not None
        family = {
            x.skill_id
            for c, f in zip(courses, cands, strict=True)
            if c.ncs_code and c.ncs_code[:6] == code[:6]
            for x in f
            if x.explicit
        }
        assert profiles[code] == family
    results = select_course_skills(courses, cands)
    for c, found, kept in zip(courses, cands, results, strict=True):
        if kept and kept[0].evidence.startswith("NCS "):
            assert not any(x.explicit or x.score >= STRONG_SIMILARITY or x.skill_id in profiles[c.ncs_code or ""]
                           for x in found)  # fmt: skip
            continue
        ok = {
            x.skill_id
            for x in found
            if x.explicit or x.score >= STRONG_SIMILARITY or x.skill_id in profiles[c.ncs_code or ""]
        }
        assert [s.skill_id for s in kept] == [x.skill_id for x in found if x.skill_id in ok]
