"""Exports of any operator list as it is filtered (issue 12, item 1): the search results (every record found, by
skill and résumé text too, not only by name), the accounts list and the audit log, each as CSV or XLSX with every
page, narrowed by the page's filters, formulas neutralised, and an audit row for each download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.services import accounts
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
        org = repos.organizations.add(OrganizationData(name="울산비전정밀", kind="manufacturer", region="ulsan"))
        ids = {
            "by_skill": repos.talents.add(
                TalentData(name="김하나", skills=[{"skill_id": "computer-vision", "level": 4}])
            ).id,  # fmt: skip
            "by_resume": repos.talents.add(TalentData(name="이두리", resume_text="공장 비전 검사 라인 5년")).id,
            "unrelated": repos.talents.add(TalentData(name="박세나", resume_text="회계 업무")).id,
            "opening_by_skill": repos.openings.add(
                OpeningData(organization_id=org.id, kind="job", title="품질 엔지니어", region="ulsan",
                            required_skills=[{"skill_id": "vision-inspection"}])
            ).id,  # fmt: skip
            "opening_other": repos.openings.add(
                OpeningData(organization_id=org.id, kind="job", title="회계 담당", region="ulsan")
            ).id,  # fmt: skip
        }
        # 30 talent accounts (more than one page of 25), one named like a spreadsheet formula
        for n in range(30):
            accounts.create_user(session, email=f"t{n}@list.kr", password="test-password-123", role="talent",
                                 name="=HYPERLINK(\"http://x\")" if n == 0 else f"인재 {n}")  # fmt: skip
        accounts.create_user(session, email="org@list.kr", password="test-password-123", role="org_member",
                             name="담당자", organization_id=org.id)  # fmt: skip
        write_entries(session, [AuditEntry(actor_id=None, actor_role="operator", action="publish", entity="round",
                                           entity_id=7, detail={"run": 3})])  # fmt: skip
        write_entries(session, [AuditEntry(actor_id=None, actor_role="operator", action="view", entity="talent",
                                           entity_id=ids["by_skill"], detail={})])  # fmt: skip
    yield create_app(settings, database), database, ids


def _client(app: FastAPI, db: Database, role: str = "operator") -> TestClient:
    _, token = make_account(db, role)
    return TestClient(app, headers={"Authorization": f"Bearer {token}", "Accept": "text/html"})


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_search_downloads_hold_every_record_found_not_only_name_matches(
    web: tuple[FastAPI, Database, dict[str, int]],
) -> None:
    app, db, ids = web
    with _client(app, db) as c:
        page = c.get("/operator/search", params={"q": "비전"}).text
        assert "찾은 인재 2명 모두 내려받기(CSV)" in page and "찾은 공고 1건 모두 내려받기(CSV)" in page
        talents = c.get("/operator/data/export", params={"entity": "talents", "format": "csv", "search": "비전"})
        assert talents.status_code == 200
        names = {r["name"] for r in _csv(talents.text)}
        assert names == {"김하나", "이두리"}  # found by skill and by résumé text; 박세나 is not
        openings = c.get("/operator/data/export", params={"entity": "openings", "format": "csv", "search": "비전"})
        assert [r["title"] for r in _csv(openings.text)] == ["품질 엔지니어"]  # through its required skill
        orgs = c.get("/operator/data/export", params={"entity": "organizations", "format": "csv", "search": "비전"})
        assert [r["name"] for r in _csv(orgs.text)] == ["울산비전정밀"]
        nothing = c.get("/operator/data/export", params={"entity": "talents", "format": "csv", "search": "없는말"})
        assert _csv(nothing.text) == []
        log = c.get("/api/audit-log", params={"action": "export"}).json()["items"]
        assert {"search": "비전"} in [e["detail"]["filters"] for e in log]  # the query, not the resolved ids


def test_accounts_download_holds_every_page_as_filtered_with_formulas_neutralised(
    web: tuple[FastAPI, Database, dict[str, int]],
) -> None:
    app, db, _ = web
    with _client(app, db) as c:
        page = c.get("/operator/accounts", params={"role": "talent"}).text
        assert "/operator/accounts?role=talent&amp;format=csv" in page
        rows = _csv(c.get("/operator/accounts", params={"role": "talent", "format": "csv"}).text)
        assert len(rows) >= 30 and {r["role"] for r in rows} == {"talent"}  # all pages, only talents
        assert "org@list.kr" not in {r["email"] for r in rows}
        formula = next(r for r in rows if r["email"] == "t0@list.kr")
        assert not formula["name"].startswith("=")  # neutralised (OWASP CSV injection)
        xlsx = c.get("/operator/accounts", params={"q": "list.kr", "format": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        emails = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert emails == {f"t{n}@list.kr" for n in range(30)} | {"org@list.kr"}
        bad = c.get("/operator/accounts", params={"format": "exe"})
        assert bad.status_code == 422 and "목록 내려받기 요청이 올바르지 않습니다" in bad.text


def test_audit_log_download_follows_the_filters(web: tuple[FastAPI, Database, dict[str, int]]) -> None:
    app, db, _ = web
    with _client(app, db) as c:
        rows = _csv(c.get("/operator/audit-log", params={"changes": "true", "format": "csv"}).text)
        assert rows and all(r["action"] != "view" and r["action"] != "열람" for r in rows)
        published = _csv(c.get("/operator/audit-log", params={"entity": "round", "format": "csv"}).text)
        assert [(r["entity"], r["entity_id"]) for r in published] == [("round", "7")]
        assert "run: 3" in published[0]["details"]
    with _client(app, db, "auditor") as c:
        assert c.get("/operator/audit-log", params={"format": "csv"}).status_code == 200  # read-only role may
    with _client(app, db, "talent") as c:
        assert c.get("/operator/accounts", params={"format": "csv"}).status_code == 403
