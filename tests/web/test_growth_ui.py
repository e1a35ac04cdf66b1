"""The talent's 성장 경로 (issue 15, item 5): target → gap → course cards → save; marking a course learning then
completed shows its skills as such on the profile (and adds completed ones to the profile's skills)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.domain import TalentData
from talentbridge.domain.course import CourseData, CourseSkill
from talentbridge.services.course_catalogue import course_store
from talentbridge.services.registry import registry
from talentbridge.storage import Database
from talentbridge.web.app import create_app
from tests.conftest import make_account


def test_growth_path_and_course_progress_on_the_profile(tmp_path: Path, database: Database) -> None:
    with database.session() as session:
        talent = registry(session).talents.add(
            TalentData(name="김하늘", skills=[{"skill_id": "python", "level": 3}], consent_visible=True)
        )
        course_store(session).upsert_many([
            (CourseData(external_id="c1", provider="테스트학원", title="PyTorch 딥러닝 실무", hours=120, fee=500_000,
                        programme_share=0.9, employment_rate_6m=0.64, region="서울 종로구",
                        teaches=[CourseSkill(skill_id="pytorch", level=3)]), False),
        ])  # fmt: skip
        course_id = course_store(session).ids_by_external_id(["c1"])["c1"]
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    _, token = make_account(database, "talent", talent_id=talent.id)
    with TestClient(create_app(settings, database), headers={"Authorization": f"Bearer {token}"}) as c:
        assert "/me/growth" in c.get("/me").text
        page = c.get("/me/growth", params={"kind": "skills", "ref": "python:2, pytorch:3, rust"})
        assert page.status_code == 200, page.text
        text = page.text
        assert "PyTorch 딥러닝 실무" in text and "120" in text and "64%" in text and "서울 종로구" in text
        assert "충족" in text and "부족" in text and 'name="csrf_token"' in text
        assert c.post("/me/growth/save", data={"kind": "skills", "ref": "pytorch:3"}).status_code in (200, 303)
        c.post("/me/growth/progress", data={"course_id": course_id, "status": "learning"})
        assert "과정으로 학습 중" in c.get("/me").text
        c.post("/me/growth/progress", data={"course_id": course_id, "status": "completed"})
        profile = c.get("/me").text
        assert "수료 과정으로 습득" in profile
        bad = c.post("/me/growth/progress", data={"course_id": course_id, "status": "graduated"})
        assert bad.status_code == 422
    with database.session() as session:
        skills = {s.skill_id: s.level for s in registry(session).talents.get(talent.id).skills}
    assert skills == {"python": 3, "pytorch": 3}


def test_growth_target_is_picked_by_name_or_from_recommendations(tmp_path: Path, database: Database) -> None:
    """The target is picked, never typed as a number: recommended openings are offered in a list, an occupation is
    found by its Korean or English name; a name that matches nothing or unreadable skills say so in KO/EN."""
    from talentbridge.services.skill_gap import find_occupation, occupation_label, taxonomy_and_graph

    with database.session() as session:
        talent = registry(session).talents.add(
            TalentData(name="이서준", skills=[{"skill_id": "python", "level": 3}], consent_visible=True)
        )
        taxonomy, _graph = taxonomy_and_graph(session)
    occ = next(o for o in taxonomy.occupations.values() if o.label_ko and o.label_en and o.label_ko != o.label_en)
    assert find_occupation(taxonomy, f"  {occ.label_en.upper()} ") is not None
    assert find_occupation(taxonomy, occupation_label(occ)).id == occ.id
    assert find_occupation(taxonomy, "존재하지 않는 직업") is None
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    _, token = make_account(database, "talent", talent_id=talent.id)
    with TestClient(create_app(settings, database), headers={"Authorization": f"Bearer {token}"}) as c:
        page = c.get("/me/growth").text
        assert occupation_label(occ) in page and 'list="growth-occupations"' in page
        assert "Opening (its number)" not in page and "공고 번호" not in page
        by_name = c.get("/me/growth", params={"kind": "occupation", "ref": occ.label_ko})
        assert by_name.status_code == 200 and "gap-title" in by_name.text
        missing = c.get("/me/growth", params={"kind": "occupation", "ref": "존재하지 않는 직업"}).text
        assert "존재하지 않는 직업" in missing and 'role="alert"' in missing and "직업" in missing
        skills = c.get("/me/growth", params={"kind": "skills", "ref": "python:9"}).text
        assert 'role="alert"' in skills and "python:9" in skills and "이해하지 못한" in skills
        empty = c.get("/me/growth", params={"kind": "occupation", "ref": "  "})
        assert empty.status_code == 200 and 'role="alert"' in empty.text
        english = c.get("/me/growth", params={"kind": "occupation", "ref": "nothing like this", "lang": "en"}).text
        assert "No occupation is named" in english


def test_recommended_opening_is_offered_picked_and_ranked_only_when_shown(tmp_path: Path, database: Database) -> None:
    """A recommended opening is in the picker and leads to its gap; the ranking (and its AI Basic Act record) is
    computed only when the picker is shown, not on every view of a gap."""
    from sqlalchemy import func, select

    from talentbridge.domain import OpeningData, OrganizationData
    from talentbridge.storage.ai_record_tables import AiRunRecordRow

    with database.session() as session:
        reg = registry(session)
        org = reg.organizations.add(OrganizationData(name="비전AI", kind="ai_startup"))
        opening = reg.openings.add(OpeningData(
            organization_id=org.id, kind="job", title="파이썬 데이터 엔지니어", status="open", remote=True,
            required_skills=[{"skill_id": "python", "min_level": 2, "importance": "must"},
                             {"skill_id": "pytorch", "min_level": 2, "importance": "must"}],
        ))  # fmt: skip
        talent = reg.talents.add(TalentData(name="박도윤", skills=[{"skill_id": "python", "level": 3}],
                                            consent_visible=True))  # fmt: skip

    def records() -> int:
        with database.session() as session:
            return int(session.scalar(select(func.count()).select_from(AiRunRecordRow)) or 0)

    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    _, token = make_account(database, "talent", talent_id=talent.id)
    with TestClient(create_app(settings, database), headers={"Authorization": f"Bearer {token}"}) as c:
        before = records()
        page = c.get("/me/growth").text
        assert f'<option value="{opening.id}"' in page and "파이썬 데이터 엔지니어" in page
        assert records() == before + 1  # the ranking shown is recorded
        gap = c.get("/me/growth", params={"kind": "opening", "ref": str(opening.id)})
        assert gap.status_code == 200 and "gap-title" in gap.text and "파이썬 데이터 엔지니어" in gap.text
        assert 'id="growth-opening"' not in gap.text and 'href="/me/growth"' in gap.text
        assert records() == before + 1  # no ranking computed (nor recorded) for a gap view
