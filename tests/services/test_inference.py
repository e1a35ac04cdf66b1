"""Skills inferred on the way in: plain résumés and bare job titles become matchable at once."""

from __future__ import annotations

from typing import Any

import pytest

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, SkillClaim, TalentData
from talentbridge.matching import SkillGraph, fit_score
from talentbridge.services.inference import (
    MIN_CONFIDENCE,
    NAMED_CONFIDENCE,
    SkillInference,
    infer_opening,
    infer_stored,
    infer_talent,
)
from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy
from talentbridge.storage.repositories import Repositories


def _taxonomy() -> Taxonomy:
    tax = Taxonomy()
    tax.add_skills(
        [
            Skill("python", "Python", "파이썬"),
            Skill("sql", "SQL", "SQL"),
            Skill("apache-spark", "Apache Spark", "스파크", alt_en=["Spark"]),
            Skill("data-engineering", "Data engineering", "데이터 엔지니어링"),
            Skill("pytorch", "PyTorch", "파이토치"),
            Skill("quality-management", "Quality management", "품질관리"),
            Skill("docker", "Docker", "도커"),
            Skill("software-development", "Software development", "소프트웨어 개발", alt_en=["software"]),
        ]
    )
    tax.add_occupations(
        [
            Occupation(
                "data-engineer",
                "Data engineer",
                "데이터 엔지니어",
                essential_skills=["data-engineering", "sql", "python", "apache-spark"],
            ),
            Occupation(
                "quality-engineer",
                "Quality engineer",
                "품질관리 엔지니어",
                alt_ko=["품질 엔지니어"],
                essential_skills=["quality-management"],
            ),
        ]
    )
    return tax


@pytest.fixture(scope="module")
def inference(tmp_path_factory: pytest.TempPathFactory) -> SkillInference:
    from talentbridge.services.skill_extraction import get_skill_services

    settings = build_settings(environment="test", data_dir=tmp_path_factory.mktemp("inference"))
    return SkillInference(get_skill_services(settings, encoder="none", taxonomy=_taxonomy()))


def test_plain_resume_gets_inferred_skills(inference: SkillInference) -> None:
    t = infer_talent(
        TalentData(
            name="이수진",
            resume_text="Python과 SQL로 데이터 파이프라인을 만들고 Spark로 대용량 데이터를 처리했습니다.",
        ),
        inference,
    )
    ids = {c.skill_id for c in t.skills}
    assert {"python", "sql", "apache-spark"} <= ids
    assert all(c.source == "inferred" and c.confidence is not None and 0 < c.confidence <= 1 for c in t.skills)


def test_a_named_skill_is_held_surer_than_its_wording_scores(inference: SkillInference) -> None:
    # a tool named in a skills line is near-certain evidence; the extractor's own score (here the lexical one, 0.4
    # at most) measured how the line reads, and matching multiplies the credit by the stored confidence
    t = infer_talent(
        TalentData(name="정하늘", resume_text="사용 기술: 파이썬, Docker\n사내 software 유지보수"), inference
    )
    conf = {c.skill_id: c.confidence for c in t.skills}
    assert conf["python"] == conf["docker"] == NAMED_CONFIDENCE
    # "software" alone is one common word: explicit, but weak, so it keeps the score of its wording
    assert MIN_CONFIDENCE <= conf["software-development"] < NAMED_CONFIDENCE
    o = infer_opening(
        OpeningData(organization_id=1, kind="job", title="Backend", description="Python, Docker 필수", region="seoul"),
        inference,
    )
    assert {r.skill_id: r.confidence for r in o.required_skills}["docker"] == NAMED_CONFIDENCE


def test_explicit_skills_are_left_alone(inference: SkillInference) -> None:
    t = TalentData(name="a", resume_text="Python SQL", skills=[SkillClaim(skill_id="pytorch", level=4)])
    assert infer_talent(t, inference) is t


@pytest.mark.parametrize(
    ("title", "occupation", "skill"),
    [
        ("Data Engineer", "data-engineer", "sql"),
        ("품질관리 엔지니어", "quality-engineer", "quality-management"),
    ],
)
def test_bare_title_gets_the_occupations_essential_skills(
    inference: SkillInference, title: str, occupation: str, skill: str
) -> None:
    o = infer_opening(OpeningData(organization_id=1, kind="job", title=title, region="seoul"), inference)
    assert o.occupation_id == occupation
    req = {r.skill_id: r for r in o.required_skills}
    # the occupation's skills are requirements to compare on, but the title never said "must"
    assert skill in req and req[skill].importance == "should" and req[skill].source == "inferred"


def test_inferred_profiles_match_at_once(inference: SkillInference) -> None:
    t = infer_talent(TalentData(name="b", resume_text="Spark, SQL, Python 데이터 엔지니어링 5년"), inference)
    o = infer_opening(
        OpeningData(organization_id=1, kind="job", title="Data Engineer", region="seoul", status="open"),
        inference,
    )
    other = infer_talent(TalentData(name="c", resume_text="품질관리 업무 10년"), inference)
    graph = SkillGraph(_taxonomy())
    assert fit_score(t, o, graph).score > fit_score(other, o, graph).score
    assert fit_score(t, o, graph).breakdown["skills"].score > 0.25  # credit scaled by extraction confidence


def test_infer_stored(sqlite_database: Any, inference: SkillInference) -> None:
    with sqlite_database.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="데이터랩", kind="ai_startup"))
        plain = repos.talents.add(TalentData(name="d", resume_text="SQL and Python"))
        repos.talents.add(TalentData(name="e", skills=[SkillClaim(skill_id="pytorch", level=3)]))
        ad = repos.openings.add(OpeningData(organization_id=org.id, kind="job", title="Data Engineer", region="seoul"))
    with sqlite_database.session() as session:
        counts = infer_stored(session, inference)
    assert counts == {"talents": 1, "openings": 1}
    with sqlite_database.session() as session:
        repos = Repositories(session)
        assert {s.skill_id for s in repos.talents.get(plain.id).skills} >= {"sql", "python"}
        assert repos.openings.get(ad.id).occupation_id == "data-engineer"


def test_refresh_infers_again_only_what_the_ai_inferred(sqlite_database: Any, inference: SkillInference) -> None:
    old = {"level": 3, "source": "inferred", "confidence": 0.4}  # as stored before named skills were held surer
    with sqlite_database.session() as session:
        repos = Repositories(session)
        imported = repos.talents.add(
            TalentData(name="f", resume_text="Skills: Python, Docker", skills=[{"skill_id": "python", **old}])
        )
        mixed = repos.talents.add(
            TalentData(
                name="g",
                resume_text="Skills: Python, Docker",
                skills=[{"skill_id": "python", **old}, {"skill_id": "sql", "level": 4}],  # one stated by the person
            )
        )
    with sqlite_database.session() as session:
        assert infer_stored(session, inference) == {"talents": 0, "openings": 0}  # without --refresh: nothing
    seen: list[tuple[int, int]] = []
    with sqlite_database.session() as session:
        assert infer_stored(session, inference, refresh=True, progress=lambda *a: seen.append(a))["talents"] == 1
    assert seen and seen[-1][0] == seen[-1][1] >= 1  # progress ends at the total of records read again
    with sqlite_database.session() as session:
        repos = Repositories(session)
        got = {s.skill_id: s.confidence for s in repos.talents.get(imported.id).skills}
        assert got == {"python": NAMED_CONFIDENCE, "docker": NAMED_CONFIDENCE}
        assert [(s.skill_id, s.confidence) for s in repos.talents.get(mixed.id).skills] == [
            ("python", 0.4),
            ("sql", None),
        ]
    with sqlite_database.session() as session:
        assert infer_stored(session, inference, refresh=True)["talents"] == 0  # nothing changed the second time


def test_a_record_a_person_edits_while_inference_runs_is_left_alone(
    sqlite_database: Any, inference: SkillInference
) -> None:
    old = {"level": 3, "source": "inferred", "confidence": 0.4}
    with sqlite_database.session() as session:
        repos = Repositories(session)
        first, second = (
            repos.talents.add(
                TalentData(name=n, resume_text="Skills: Python, Docker", skills=[{"skill_id": "excel", **old}])
            )
            for n in ("h", "i")
        )

    def person_edits(done: int, total: int) -> None:  # after the first batch, before the second is read
        if done == 1:
            Repositories(session).talents.update(second.id, {"skills": [{"skill_id": "sql", "level": 4}]})

    with sqlite_database.session() as session:
        assert infer_stored(session, inference, batch_size=1, refresh=True, progress=person_edits)["talents"] == 1
    with sqlite_database.session() as session:
        repos = Repositories(session)
        assert {s.skill_id for s in repos.talents.get(first.id).skills} >= {"python", "docker"}
        assert [s.skill_id for s in repos.talents.get(second.id).skills] == ["sql"]


def test_the_forms_tick_guesses_only_for_a_text_that_names_few_skills() -> None:
    from talentbridge.services.skill_suggestions import PRESELECT_SCORE, SkillSuggestion, _preselect

    def s(via: str, score: float = 0.9, weak: bool = False) -> SkillSuggestion:
        return SkillSuggestion(skill_id=f"{via}-{score}-{weak}", uri="", label="", score=score, via=via, weak=weak)

    few = [s("explicit"), s("explicit", weak=True), s("semantic", PRESELECT_SCORE), s("semantic", 0.49)]
    _preselect(few, for_opening=False)
    assert [x.preselected for x in few] == [True, False, True, False]  # a weak mention is offered, not ticked
    many = [s("explicit"), s("explicit"), s("explicit"), s("semantic", 0.99), s("occupation")]
    _preselect(many, for_opening=True)  # the ad said what it asks for
    assert [x.preselected for x in many] == [True, True, True, False, False]
    bare_title = [s("explicit", weak=True), s("occupation"), s("semantic", 0.6)]
    _preselect(bare_title, for_opening=True)
    assert [x.preselected for x in bare_title] == [False, True, True]
    _preselect(bare_title, for_opening=False)  # a talent's desired-role skills are offered, not claimed for them
    assert bare_title[1].preselected is False


def test_an_imported_ad_that_names_its_skills_asks_for_those() -> None:
    from types import SimpleNamespace

    from talentbridge.skills.extract import ExtractedSkill

    def stub(named: list[str]) -> SkillInference:
        # what the extractor gives: the named skills, then a confident guess
        found = [ExtractedSkill(sid, sid, 0.6, [(0, 1)], "explicit") for sid in named]
        found.append(ExtractedSkill("data-engineering", "Data engineering", 0.8, [(0, 1)], "semantic"))
        extractor = SimpleNamespace(extract=lambda text, top: found)
        inference = SkillInference(SimpleNamespace(taxonomy=_taxonomy(), extractor=extractor))
        inference.occupation = lambda title: None  # type: ignore[method-assign]  # no occupation for the title
        return inference

    ad = OpeningData(
        organization_id=1, kind="job", title="데이터 플랫폼 운영", region="seoul",
        description="Python, SQL, Spark로 사내 데이터 파이프라인을 운영하고 품질 지표를 관리합니다. " * 3,
    )  # fmt: skip
    three = infer_opening(ad, stub(["python", "sql", "apache-spark"]))
    assert {r.skill_id for r in three.required_skills} == {"python", "sql", "apache-spark"}
    assert all(r.confidence == NAMED_CONFIDENCE for r in three.required_skills)
    one = infer_opening(ad, stub(["python"]))  # an ad naming one skill gets the guess too
    assert {r.skill_id for r in one.required_skills} == {"python", "data-engineering"}
