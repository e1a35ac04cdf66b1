"""The training plan API (issue 15, item 4): create, list with pagination, get, patch (recomputed; course
statuses), delete; another organization's member is refused, operators and auditors read, talents never."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.domain import OrganizationData, TalentData
from talentbridge.domain.course import CourseData, CourseSkill
from talentbridge.services.course_catalogue import course_store
from talentbridge.services.registry import registry
from talentbridge.storage import Database
from talentbridge.web.app import create_app
from tests.conftest import make_account


def test_training_plan_api_round_trip_and_access(tmp_path: Path, database: Database) -> None:
    with database.session() as session:
        reg = registry(session)
        org = reg.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer"))
        other = reg.organizations.add(OrganizationData(name="비전AI", kind="ai_startup"))
        a, b = (reg.talents.add(TalentData(name=n, current_employer_id=org.id)) for n in ("가", "나"))
        course_store(session).upsert_many([
            (CourseData(external_id="c1", provider="p", title="Python 입문", hours=40, fee=300_000,
                        teaches=[CourseSkill(skill_id="python", level=2)]), False),
        ])  # fmt: skip
        course_id = course_store(session).all()[0].id
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    app = create_app(settings, database)
    tokens = {role: make_account(database, role, **kw)[1] for role, kw in {
        "org_member": {"organization_id": org.id}, "operator": {}, "auditor": {}, "talent": {"talent_id": a.id},
    }.items()}  # fmt: skip
    _, tokens["other"] = make_account(database, "org_member", organization_id=other.id)
    base = f"/api/organizations/{org.id}/training-plans"
    with TestClient(app, headers={"Authorization": f"Bearer {tokens['org_member']}"}) as c:
        made = c.post(base, json={"target_kind": "skills", "target_ref": "python:2", "talent_ids": [a.id, b.id],
                                  "budget": 500_000})  # fmt: skip
        assert made.status_code == 201, made.text
        plan = made.json()
        assert plan["summary"]["hours"] == 80 and plan["summary"]["fee"] == 600_000
        assert plan["summary"]["over_budget"] is True and len(plan["courses"]) == 2
        c.post(base, json={"target_kind": "skills", "target_ref": "python:1", "talent_ids": [a.id]})
        page = c.get(base, params={"size": 1}).json()
        assert page["total"] == 2 and page["pages"] == 2 and len(page["items"]) == 1
        changed = c.patch(f"{base}/{plan['id']}", json={
            "talent_ids": [b.id], "course_status": [{"talent_id": b.id, "course_id": course_id,
                                                     "status": "completed"}]})  # fmt: skip
        assert changed.status_code == 200, changed.text
        assert changed.json()["talent_ids"] == [b.id] and changed.json()["summary"]["fee"] == 300_000
        assert [x["status"] for x in changed.json()["courses"]] == ["completed"]
        bad = c.post(base, json={"target_kind": "skills", "target_ref": "python:2", "talent_ids": [999_999]})
        assert bad.status_code == 422
    for role in ("operator", "auditor"):
        with TestClient(app, headers={"Authorization": f"Bearer {tokens[role]}"}) as c:
            assert c.get(f"{base}/{plan['id']}").status_code == 200
            assert c.delete(f"{base}/{plan['id']}").status_code == 403
    for role in ("talent", "other"):
        with TestClient(app, headers={"Authorization": f"Bearer {tokens[role]}"}) as c:
            assert c.get(base).status_code == 403 and c.get(f"{base}/{plan['id']}").status_code == 403
    with TestClient(app, headers={"Authorization": f"Bearer {tokens['other']}"}) as c:
        assert c.get(f"/api/organizations/{other.id}/training-plans/{plan['id']}").status_code == 404
    with TestClient(app, headers={"Authorization": f"Bearer {tokens['org_member']}"}) as c:
        assert c.delete(f"{base}/{plan['id']}").status_code == 204
        assert c.get(f"{base}/{plan['id']}").status_code == 404
