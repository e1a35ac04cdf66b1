"""``GET /api/talents/{id}/gap`` and ``/growth-path`` (issue 15): the gap with explanations, the catalogue's path;
bad targets are 404/422 problems, never 500; another talent's gap is not readable."""

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


def test_gap_and_growth_path_over_the_api(tmp_path: Path, database: Database) -> None:
    with database.session() as session:
        talents = registry(session).talents
        me = talents.add(TalentData(name="최유나", skills=[{"skill_id": "python", "level": 3}], consent_visible=True))
        other = talents.add(TalentData(name="정민호", skills=[], consent_visible=True))
        course_store(session).upsert_many([
            (CourseData(external_id="a1", provider="테스트학원", title="PyTorch 딥러닝 실무", hours=120, fee=500_000,
                        teaches=[CourseSkill(skill_id="pytorch", level=3)]), False),
        ])  # fmt: skip
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    _, token = make_account(database, "talent", talent_id=me.id)
    with TestClient(create_app(settings, database), headers={"Authorization": f"Bearer {token}"}) as c:
        q = {"kind": "skills", "target": "python:2, pytorch:3"}
        gap = c.get(f"/api/talents/{me.id}/gap", params=q)
        assert gap.status_code == 200, gap.text
        items = {i["skill_id"]: i for i in gap.json()["gap"]["items"]}
        assert items["python"]["status"] == "met" and items["pytorch"]["status"] != "met"
        assert "충족" in items["python"]["explanation"] and "path" not in gap.json()
        path = c.get(f"/api/talents/{me.id}/growth-path", params={**q, "lang": "en"}).json()["path"]
        assert [x["title"] for x in path["courses"]] == ["PyTorch 딥러닝 실무"] and path["total"]["hours"] == 120
        bad = c.get(f"/api/talents/{me.id}/gap", params={"kind": "skills", "target": "python:9"})
        assert bad.status_code == 422 and "python:9" in bad.text
        assert (
            c.get(f"/api/talents/{me.id}/gap", params={"kind": "occupation", "target": "없는 직업"}).status_code == 404
        )
        assert c.get(f"/api/talents/{me.id}/gap", params={"kind": "teleport", "target": "x"}).status_code == 422
        assert c.get(f"/api/talents/{other.id}/gap", params=q).status_code == 403
        assert c.get("/api/talents/999999/gap", params=q).status_code == 404
        spec = c.get("/openapi.json").json()["paths"]["/api/talents/{talent_id}/growth-path"]["get"]
        assert {"200", "404", "422"} <= set(spec["responses"])
