"""Saved training plans (issue 15, item 4): an organization picks some of its employees and a target, saves the
plan, reads it in the list, changes the group (recomputed, statuses kept), marks a course, exports it (formula
cells neutralised) and deletes it; another organization's employees and plans stay out of reach; with no course
catalogue the pages say so."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.domain.course import CourseData, CourseSkill
from talentbridge.services.course_catalogue import course_store
from talentbridge.services.registry import registry
from talentbridge.storage import Database
from talentbridge.storage.account_tables import AuditLogRow
from talentbridge.web.app import create_app
from tests.conftest import make_account


def _world(database: Database, courses: bool = True) -> dict[str, int]:
    with database.session() as session:
        reg = registry(session)
        org = reg.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer"))
        other = reg.organizations.add(OrganizationData(name="비전AI", kind="ai_startup"))
        people = [reg.talents.add(TalentData(name=n, current_employer_id=org.id, desired_roles=roles,
                                             skills=[{"skill_id": "python", "level": 3}]))
                  for n, roles in (("=가나다", []), ("나현", []), ("다솜", ["ml-engineer"]))]  # fmt: skip
        stranger = reg.talents.add(TalentData(name="외부인", current_employer_id=other.id))
        opening = reg.openings.add(OpeningData(
            organization_id=org.id, kind="job", title="ML 엔지니어", status="open", remote=True,
            required_skills=[{"skill_id": "pytorch", "min_level": 2, "importance": "must"}],
        ))  # fmt: skip
        if courses:
            course_store(session).upsert_many([
                (CourseData(external_id="c1", provider="p", title="PyTorch 기초", hours=120, fee=1_000_000,
                            programme_share=0.8, teaches=[CourseSkill(skill_id="pytorch", level=2)]), False),
            ])  # fmt: skip
    return {"org": org.id, "other": other.id, "a": people[0].id, "b": people[1].id, "c": people[2].id,
            "stranger": stranger.id, "opening": opening.id}  # fmt: skip


def _client(tmp_path: Path, database: Database, role: str = "org_member", **fields: object) -> TestClient:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    _, token = make_account(database, role, **fields)
    return TestClient(create_app(settings, database), headers={"Authorization": f"Bearer {token}"})


def test_group_plan_saved_listed_edited_marked_exported_deleted(tmp_path: Path, database: Database) -> None:
    ids = _world(database)
    with _client(tmp_path, database, organization_id=ids["org"]) as c:
        form = c.get("/org/training")
        assert 'name="talent_ids"' in form.text and "외부인" not in form.text
        assert "=가나다" in form.text and "나현" in c.get("/org/training", params={"q": "나현"}).text
        assert "다솜" not in c.get("/org/training", params={"q": "나현"}).text
        by_role = c.get("/org/training", params={"q": "머신러닝"}).text  # a role by its Korean occupation name
        assert "다솜 <span class=\"muted\">(머신러닝 엔지니어)</span>" in by_role and "나현" not in by_role
        english = c.get("/org/training", params={"q": "machine learning", "lang": "en"}).text
        assert "(Machine learning engineer)" in english and "나현" not in english
        c.cookies.clear()  # ?lang=en is remembered in a cookie; back to Korean
        saved = c.post("/org/training/plans", data={"talent_ids": [ids["a"], ids["b"]], "opening": ids["opening"],
                                                    "budget": 1_500_000}, follow_redirects=False)  # fmt: skip
        assert saved.status_code == 303, saved.text
        url = saved.headers["location"].split("?")[0]
        page = c.get(url)
        assert "직원 2명, 모두 240시간, 훈련비 2,000,000원" in page.text and "훈련비가 예산을 넘습니다" in page.text
        listed = c.get("/org/training/plans")
        assert f'href="{url}"' in listed.text and "ML 엔지니어" in listed.text
        plan_id = int(url.rsplit("/", 1)[1])
        marked = c.post(f"{url}/status", data={"talent_id": ids["a"], "course_id": _course_id(database),
                                                "status": "started"}, follow_redirects=False)  # fmt: skip
        assert marked.status_code == 303
        edited = c.post(url, data={"talent_ids": [ids["a"], ids["c"]], "opening": ids["opening"], "name": "1분기"},
                        follow_redirects=False)  # fmt: skip
        assert edited.status_code == 303
        page = c.get(url)
        assert "1분기" in page.text and "<td>다솜</td>" in page.text and "<td>나현</td>" not in page.text
        exported = c.get(f"{url}/export.csv")
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert {r["employee"] for r in rows} == {"'=가나다", "다솜"}  # the formula-like name is neutralised
        assert {r["status"] for r in rows if r["employee"] == "'=가나다"} == {"started"}  # kept across the edit
        assert {r["status"] for r in rows if r["employee"] == "다솜"} == {"planned"}
        xlsx = c.get(f"{url}/export.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        refused = c.post("/org/training/plans", data={"talent_ids": [ids["stranger"]], "opening": ids["opening"]})
        assert refused.status_code == 422 and "우리 기관 직원을 한 명 이상 선택하세요." in refused.text
        empty = c.post("/org/training/plans", data={"name": "빈 계획"})  # no employee and no target: both said at once
        assert empty.status_code == 422
        assert "우리 기관 직원을 한 명 이상 선택하세요." in empty.text and "목표를 선택하세요" in empty.text
        assert c.post(f"{url}/delete", follow_redirects=False).status_code == 303
        assert c.get(url).status_code == 404
    with database.session() as session:
        actions = session.scalars(select(AuditLogRow.action).where(AuditLogRow.entity == "training_plan")).all()
    assert sorted(actions) == sorted(["training_plan.create", "training_plan.status", "training_plan.update",
                                      "training_plan.delete"])  # fmt: skip
    assert plan_id > 0


def test_another_organization_cannot_see_the_plan(tmp_path: Path, database: Database) -> None:
    ids = _world(database)
    with _client(tmp_path, database, organization_id=ids["org"]) as c:
        url = c.post("/org/training/plans", data={"talent_ids": [ids["a"]], "opening": ids["opening"]},
                     follow_redirects=False).headers["location"].split("?")[0]  # fmt: skip
    with _client(tmp_path, database, organization_id=ids["other"]) as c:
        assert c.get(url).status_code == 404 and c.get(f"{url}/export.csv").status_code == 404
        assert c.post(f"{url}/delete").status_code == 404
        foreign = c.post("/org/training/plans", data={"talent_ids": [ids["stranger"]], "opening": ids["opening"]})
        assert foreign.status_code == 422 and "목표를 선택하세요" in foreign.text


def test_without_a_catalogue_the_pages_say_so(tmp_path: Path, database: Database) -> None:
    ids = _world(database, courses=False)
    with _client(tmp_path, database, organization_id=ids["org"]) as c:
        page = c.get("/org/training", params={"opening": ids["opening"]})
        assert "아직 교육과정 목록이 없어" in page.text and "/operator/data" not in page.text
        en = c.get("/org/training", params={"lang": "en"})
        assert "No course catalogue is loaded yet" in en.text and "아직 교육과정 목록이 없어" not in en.text
    with _client(tmp_path, database, "operator") as c:
        page = c.get("/operator/courses/uncovered")
        assert 'href="/operator/data"' in page.text and "과정 가져오기" in page.text


def _course_id(database: Database) -> int:
    with database.session() as session:
        return course_store(session).all()[0].id
