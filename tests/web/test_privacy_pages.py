"""Privacy in the browser (no JavaScript): the public purposes page, a talent's own data page with JSON download,
consent withdrawal with its effect, correcting every profile field, deleting the account; an operator finding a
talent and erasing them on request. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from talentbridge.config import build_settings
from talentbridge.domain import SkillClaim, TalentData
from talentbridge.services import accounts
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories

PASSWORD = "test-password-123"


@pytest.fixture
def web(tmp_path: Path, database: Database) -> Iterator[tuple[FastAPI, Database, int]]:
    from talentbridge.web.app import create_app

    settings = build_settings(environment="development", data_dir=tmp_path / "data", database_url=database.url,
                              model_cache_dir=tmp_path / "data" / "cache", privacy_round_days=400)  # fmt: skip
    with database.session() as session:
        talent = Repositories(session).talents.add(
            TalentData(name="박서연", external_id="psy-1", email="seoyeon@example.org", phone="010-2222-3333",
                       region="busan", consent_visible=True, consent_statistics=True, resume_text="비전 연구",
                       skills=[SkillClaim(skill_id="python", level=4)])
        )  # fmt: skip
        accounts.create_user(session, email="seoyeon@example.org", password=PASSWORD, role="talent", name="박서연",
                             talent_id=talent.id)  # fmt: skip
        accounts.create_user(session, email="op@example.org", password=PASSWORD, role="operator", name="운영자")
    yield create_app(settings, database), database, talent.id


def _csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, path
    return match.group(1)


def _sign_in(app: FastAPI, email: str) -> TestClient:
    c = TestClient(app)
    c.__enter__()
    token = _csrf(c, "/login")
    r = c.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    return c


def test_public_privacy_page_lists_every_purpose_in_both_languages(web):
    app, _, _ = web
    with TestClient(app) as c:
        ko = c.get("/privacy").text
        en = c.get("/privacy?lang=en").text
    assert "처리 목적" in ko and "기관에 인재로 추천" in ko and "<strong>400 일</strong>" in ko
    assert "Purposes of processing" in en and "Recommending you to organizations" in en
    assert ko.count('id="purpose-') == en.count('id="purpose-') == 7


def test_talent_sees_downloads_withdraws_corrects_and_deletes(web):
    app, db, talent_id = web
    c = _sign_in(app, "seoyeon@example.org")
    page = c.get("/me/privacy")
    assert page.status_code == 200 and "박서연" in page.text and 'href="/me/privacy"' in page.text
    download = c.get("/me/privacy/export.json")
    assert "attachment" in download.headers["content-disposition"]
    doc = json.loads(download.content)
    assert doc["profile"]["phone"] == "010-2222-3333" and doc["records"]["talent_skills"][0]["skill_id"] == "python"
    # withdraw: the page says what follows
    token = _csrf(c, "/me/privacy")
    r = c.post("/me/privacy/consent", data={"csrf_token": token, "consent": "consent_visible", "granted": "no"})
    assert "AI도 회원님을 기관에 추천하지 않습니다" in r.text and "동의하기" in r.text
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT consent_visible FROM talents")).scalar() in (False, 0)
        assert conn.execute(text("SELECT purpose, granted FROM consent_records")).all()[0][0] == "recommendation"
    # correct the fields the profile editor does not hold
    token = _csrf(c, "/me/details")
    form = {"csrf_token": token, "name_latin": "Park Seoyeon", "email": "sy.park@example.org",
            "phone": "010-4444-5555", "gender": "female", "birth_year": "1996", "nationality": "KR",
            "visa_type": "", "visa_expires": "", "edu-0-degree": "master", "edu-0-field": "컴퓨터공학",
            "edu-0-institution": "부산대학교", "edu-0-year": "2021", "edu-1-degree": "", "edu-1-field": "",
            "edu-1-institution": "", "edu-1-year": "", "work-0-organization": "비전랩", "work-0-title": "연구원",
            "work-0-start": "2021-03-01", "work-0-end": "", "work-0-organization_id": ""}  # fmt: skip
    r = c.post("/me/details", data=form)
    assert r.status_code == 200 and "저장" in r.text
    with db.session() as session:
        t = Repositories(session).talents.get(talent_id)
    assert (t.name_latin, t.email, t.phone, t.birth_year) == ("Park Seoyeon", "sy.park@example.org", "010-4444-5555",
                                                              1996)  # fmt: skip
    assert t.education[0].institution == "부산대학교" and t.work_history[0].title == "연구원"
    bad = c.post("/me/details", data={**form, "csrf_token": _csrf(c, "/me/details"), "phone": "abc"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    # delete: refused without the word, then done
    token = _csrf(c, "/me/privacy")
    refused = c.post("/me/privacy/delete", data={"csrf_token": token, "confirm": "네", "understood": "on"})
    assert refused.status_code == 422
    r = c.post("/me/privacy/delete", data={"csrf_token": token, "confirm": "삭제", "understood": "on"})
    assert r.status_code == 200 and "개인정보를 파기했습니다" in r.text
    assert c.get("/me/privacy", follow_redirects=False).status_code in (303, 401, 403)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM talents")).scalar().startswith("anon-")
        assert conn.execute(text("SELECT count(*) FROM users WHERE email = 'seoyeon@example.org'")).scalar() == 0
    c.__exit__(None, None, None)


def test_operator_finds_shows_and_erases_on_request(web):
    app, db, talent_id = web
    op = _sign_in(app, "op@example.org")
    found = op.get("/operator/privacy?q=psy-1")
    assert "박서연" in found.text and f"/operator/privacy/talents/{talent_id}" in found.text
    shown = op.get(f"/operator/privacy/talents/{talent_id}")
    assert "seoyeon@example.org" in shown.text
    token = _csrf(op, f"/operator/privacy/talents/{talent_id}")
    wrong = op.post(f"/operator/privacy/talents/{talent_id}/erase", data={"csrf_token": token, "confirm": "x"})
    assert wrong.status_code == 422
    done = op.post(f"/operator/privacy/talents/{talent_id}/erase", data={"csrf_token": token, "confirm": "psy-1"})
    assert done.status_code == 200 and "anon-" in done.text
    with db.engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars().all()
    assert actions.count("privacy.export") == 2 and actions[-1] == "privacy.erase"
    assert "일치하는 인재가 없습니다" in op.get("/operator/privacy?q=박서연").text
    op.__exit__(None, None, None)
