"""Operator search finds talent by skill and résumé text, not only by name, and links every hit to a record page;
the audit log page shows who changed what and when, filtered (issue 12, items 1 and 7)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories
from talentbridge.web.app import create_app
from tests.conftest import make_account


@pytest.fixture
def web(tmp_path: Path, database: Database) -> Iterator[tuple[FastAPI, Database, dict[str, int]]]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url,
                              infer_skills=False)  # fmt: skip
    with database.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer", region="ulsan"))
        ids = {
            "by_skill": repos.talents.add(
                TalentData(name="김하나", skills=[{"skill_id": "computer-vision", "level": 4}])
            ).id,  # fmt: skip
            "by_resume": repos.talents.add(TalentData(name="이두리", resume_text="공장 비전 검사 라인 5년")).id,
            "unrelated": repos.talents.add(TalentData(name="박세나", resume_text="회계 업무")).id,
            "opening": repos.openings.add(
                OpeningData(
                    organization_id=org.id,
                    kind="job",
                    title="품질 엔지니어",
                    region="ulsan",
                    required_skills=[{"skill_id": "vision-inspection"}],
                )
            ).id,  # fmt: skip
            "org": org.id,
        }
    yield create_app(settings, database), database, ids


def _client(app: FastAPI, db: Database, role: str = "operator") -> TestClient:
    _, token = make_account(db, role)
    return TestClient(app, headers={"Authorization": f"Bearer {token}", "Accept": "text/html"})


def test_talent_are_found_by_skill_and_resume_text_and_link_to_their_record(
    web: tuple[FastAPI, Database, dict[str, int]],
) -> None:
    app, db, ids = web
    with _client(app, db) as c:
        page = html.unescape(c.get("/operator/search", params={"q": "비전"}).text)
        assert f'href="/operator/records/talents/{ids["by_skill"]}"' in page
        assert f'href="/operator/records/talents/{ids["by_resume"]}"' in page
        assert f"/operator/records/talents/{ids['unrelated']}" not in page
        assert "기술 컴퓨터비전" in page and "이력서 내용" in page  # why each was found
        assert f'href="/operator/records/openings/{ids["opening"]}"' in page  # by its required skill
        record = c.get(f"/operator/records/talents/{ids['by_skill']}")
        assert record.status_code == 200 and "김하나" in record.text and "컴퓨터비전" in record.text
        assert c.get(f"/operator/records/openings/{ids['opening']}").status_code == 200
        org = c.get(f"/operator/records/organizations/{ids['org']}")
        assert org.status_code == 200 and "품질 엔지니어" in org.text
        assert c.get("/operator/records/talents/99999").status_code == 404
        by_name = c.get("/operator/search", params={"q": "박세"}).text
        assert f"/operator/records/talents/{ids['unrelated']}" in by_name


def test_record_pages_read_as_people_read_them(web: tuple[FastAPI, Database, dict[str, int]]) -> None:
    app, db, ids = web
    with db.session() as session:
        repos = Repositories(session)
        talent = repos.talents.add(
            TalentData(
                name="최가온",
                desired_roles=["ml-engineer", "비전 검사 담당"],
                resume_text="비전 검사 엔지니어\n- 사용 기술: OpenCV, 도커",
                skills=[{"skill_id": "opencv", "level": 3, "source": "inferred", "confidence": 0.9}],
            )
        ).id
        opening = repos.openings.add(
            OpeningData(organization_id=ids["org"], kind="job", title="ML 엔지니어", region="ulsan",
                        occupation_id="ml-engineer", required_skills=[{"skill_id": "python"}])
        ).id  # fmt: skip
    with _client(app, db) as c:
        page = html.unescape(c.get(f"/operator/records/talents/{talent}").text)
        # an occupation id by its name, a title as written; how each skill came and how sure the AI was
        assert "머신러닝 엔지니어, 비전 검사 담당" in page and "ml-engineer" not in page
        assert "AI 추론 (90%)" in page
        assert '<p class="resume">비전 검사 엔지니어\n- 사용 기술' in page  # the lines kept (CSS pre-line)
        page = html.unescape(c.get(f"/operator/records/openings/{opening}").text)
        assert "머신러닝 엔지니어" in page and "직접 입력" in page
        english = c.get(f"/operator/records/talents/{talent}", params={"lang": "en"}).text
        assert "Machine learning engineer" in html.unescape(english)


def test_record_pages_are_staff_only(web: tuple[FastAPI, Database, dict[str, int]]) -> None:
    app, db, ids = web
    with _client(app, db, "talent") as c:
        assert c.get(f"/operator/records/talents/{ids['by_skill']}").status_code == 403


def test_audit_log_shows_who_what_when_and_filters(web: tuple[FastAPI, Database, dict[str, int]]) -> None:
    app, db, ids = web
    operator_id, _ = make_account(db, "operator")
    with db.session() as session:
        write_entries(session, [
            AuditEntry(operator_id, "operator", "change_role", "user", 5, {"email": "a@x.kr",
                                                                          "role": ["org_member", "talent"]}),
            AuditEntry(operator_id, "operator", "publish", "round", 3, {"run_id": 9}),
            AuditEntry(None, "anonymous", "view", "talent", ids["by_skill"], {"fields": ["name", "email"]}),
        ])  # fmt: skip
    with _client(app, db, "auditor") as c:
        page = html.unescape(c.get("/operator/audit-log").text)
        assert "역할 변경" in page and "role: org_member → talent" in page
        assert "/operator/accounts?q=a%40x.kr" in page and 'href="/operator/rounds/3"' in page
        assert f'href="/operator/records/talents/{ids["by_skill"]}"' in page
        changes = html.unescape(c.get("/operator/audit-log", params={"changes": "true"}).text)
        assert "개인정보 열람" not in re.sub(r"<option.*?</option>", "", changes)
        only_round = html.unescape(c.get("/operator/audit-log", params={"entity": "round"}).text)
        assert "run_id: 9" in only_round and "role: org_member" not in only_round
        mine = c.get("/operator/audit-log", params={"actor": "operator"}).text
        assert "run_id: 9" in mine
        assert c.get("/operator/audit-log", params={"since": "2099-01-01"}).text.count("run_id") == 0
        bad = c.get("/operator/audit-log", params={"since": "어제"})
        assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text
