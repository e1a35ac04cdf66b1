"""Training plans (issue 15, item 4): an organization's plan for its employees (each gap, the shared cohort,
hours, fee, programme share) and the operator's demanded skills that no course teaches; the opening's
recommended talent line "must-haves missing, learnable in N h" comes from the same planner."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.domain.course import CourseData, CourseSkill
from talentbridge.services.course_catalogue import course_store
from talentbridge.services.registry import registry
from talentbridge.services.skill_gap import learnable_for_opening
from talentbridge.storage import Database
from talentbridge.web.app import create_app
from tests.conftest import make_account


def test_team_plan_uncovered_demand_and_learnable_hours(tmp_path: Path, database: Database) -> None:
    with database.session() as session:
        reg = registry(session)
        org = reg.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer"))
        people = [
            reg.talents.add(TalentData(name=n, current_employer_id=org.id, skills=[{"skill_id": "python", "level": 3}]))
            for n in ("가", "나")
        ]
        opening = reg.openings.add(OpeningData(
            organization_id=org.id, kind="job", title="ML 엔지니어", status="open", remote=True,
            required_skills=[{"skill_id": "pytorch", "min_level": 2, "importance": "must"},
                             {"skill_id": "kubernetes", "min_level": 1, "importance": "must"}],
        ))  # fmt: skip
        course_store(session).upsert_many([
            (CourseData(external_id="c1", provider="p", title="PyTorch 기초", hours=120, fee=1_000_000,
                        programme_share=0.8, teaches=[CourseSkill(skill_id="pytorch", level=2)]), False),
        ])  # fmt: skip
        learn = learnable_for_opening(session, opening.id, people)
    assert learn == [{"missing": 2, "hours": 120, "unreachable": 1}] * 2
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    _, org_token = make_account(database, "org_member", organization_id=org.id)
    _, op_token = make_account(database, "operator")
    app = create_app(settings, database)
    with TestClient(app, headers={"Authorization": f"Bearer {org_token}"}) as c:
        page = c.get("/org/training", params={"kind": "opening", "ref": str(opening.id)})
        assert page.status_code == 200, page.text
        assert "직원 2명, 모두 240시간, 훈련비 2,000,000원, 사업 지원 1,600,000원" in page.text
        assert "PyTorch 기초 — 2명" in page.text
        # the opening is picked by its title from the organization's own openings, never typed as a number
        form = c.get("/org/training")
        assert f'<option value="{opening.id}">ML 엔지니어</option>' in form.text and "번호" not in form.text
        picked = c.get("/org/training", params={"opening": opening.id})
        assert "직원 2명, 모두 240시간" in picked.text
        foreign = c.get("/org/training", params={"kind": "opening", "ref": "999999"})
        assert foreign.status_code == 200 and "우리 기관의 채용공고 중에서 선택하세요." in foreign.text
        assert "직원 2명" not in foreign.text
    with TestClient(app, headers={"Authorization": f"Bearer {op_token}"}) as c:
        page = c.get("/operator/courses/uncovered")
        assert page.status_code == 200 and "<td>1</td>" in page.text
        assert ("쿠버네티스" in page.text or "Kubernetes" in page.text) and page.text.count("<tr><td>") == 1
