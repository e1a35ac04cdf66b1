"""Accounts in the browser (issue 12, items 1, 5, 6, 7): signup keeps the chosen role and finds the organization
by name; operators list, filter, activate, change roles, deactivate and send reset links, each with an audit row
and a notice to the owner; the notifications page and the development outbox."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from talentbridge.config import build_settings
from talentbridge.domain import OrganizationData
from talentbridge.services import accounts
from talentbridge.services.audit_log import list_entries
from talentbridge.storage import Database
from talentbridge.storage.account_tables import UserRow
from talentbridge.storage.notification_tables import OutboxEmailRow
from talentbridge.storage.repositories import Repositories
from tests.conftest import make_account

HTML = {"Accept": "text/html"}


@pytest.fixture
def web(tmp_path: Path, database: Database) -> Iterator[tuple[FastAPI, Database, int]]:
    from talentbridge.web.app import create_app

    settings = build_settings(environment="development", data_dir=tmp_path / "data", database_url=database.url)
    with database.session() as session:
        org = Repositories(session).organizations.add(OrganizationData(name="비전AI랩", kind="ai_startup"))
        Repositories(session).organizations.add(OrganizationData(name="비전AI랩스 울산", kind="manufacturer"))
    yield create_app(settings, database), database, org.id


def _csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def _user(db: Database, email: str) -> UserRow | None:
    with db.session() as session:
        return session.scalar(select(UserRow).where(UserRow.email == email))


def _listed(html: str) -> str:
    """The main accounts table (the waiting signups above it are always shown)."""
    return html[html.index('<table id="accounts">') :]


def _operator(app: FastAPI, db: Database) -> tuple[TestClient, int]:
    user_id, token = make_account(db, "operator")
    return TestClient(app, headers={**HTML, "Authorization": f"Bearer {token}"}), user_id


def test_signup_as_organization_member_finds_the_organization_by_name_and_waits(
    web: tuple[FastAPI, Database, int],
) -> None:
    app, db, org_id = web
    make_account(db, "operator")
    with TestClient(app, headers=HTML) as c:
        found = c.get("/signup/organizations", params={"organization_name": "비전AI"})
        assert "비전AI랩" in found.text and "비전AI랩스 울산" in found.text and 'name="organization_id"' in found.text
        token = _csrf(c, "/signup")
        form = {"csrf_token": token, "name": "박담당", "email": "member@test.kr", "password": "long-password-1",
                "role": "org_member", "organization_name": "비전AI랩"}  # fmt: skip
        response = c.post("/signup", data=form)
        assert response.status_code == 200 and "운영자가 확인한 뒤 계정을 활성화" in response.text
    row = _user(db, "member@test.kr")
    assert row is not None and row.role == "org_member" and row.organization_id == org_id and not row.active
    with db.session() as session:  # every operator is told a signup waits
        from talentbridge.storage.notification_tables import NotificationRow

        assert session.scalar(select(NotificationRow.kind)) == "signup_pending"


def test_signup_never_creates_an_account_with_another_role(web: tuple[FastAPI, Database, int]) -> None:
    app, db, _ = web
    with TestClient(app, headers=HTML) as c:
        token = _csrf(c, "/signup")
        base = {"csrf_token": token, "name": "박", "password": "long-password-1"}
        no_org = c.post("/signup", data={**base, "email": "x1@test.kr", "role": "org_member",
                                         "organization_name": "없는회사"})  # fmt: skip
        assert no_org.status_code == 422 and "등록되어 있지 않습니다" in no_org.text
        assert 'value="org_member" checked' in no_org.text  # the chosen role is kept on the form
        ambiguous = c.post("/signup", data={**base, "email": "x2@test.kr", "role": "org_member",
                                            "organization_name": "비전"})  # fmt: skip
        assert ambiguous.status_code == 422 and "아래 목록에서 소속 기관을 고르세요" in ambiguous.text
        bad_role = c.post("/signup", data={**base, "email": "x3@test.kr", "role": "operator"})
        assert bad_role.status_code == 422 and "인재인지 기관 담당자인지" in bad_role.text
        short = c.post("/signup", data={**base, "email": "x4@test.kr", "role": "talent", "password": "short"})
        assert short.status_code == 422 and "비밀번호: 10자 이상 사용하세요" in short.text
    for n in range(1, 5):
        assert _user(db, f"x{n}@test.kr") is None


def test_signup_answers_the_same_for_a_taken_address_and_signs_nobody_in(
    web: tuple[FastAPI, Database, int],
) -> None:
    app, db, _ = web
    with TestClient(app, headers=HTML) as c:
        token = _csrf(c, "/signup")
        form = {"csrf_token": token, "name": "새사람", "password": "long-password-1", "role": "talent"}
        first = c.post("/signup", data={**form, "email": "same@test.kr"})
        again = c.post("/signup", data={**form, "email": "same@test.kr", "password": "other-password-2"})
        assert first.status_code == again.status_code == 200
        assert (
            "이 이메일과 비밀번호로 로그인하세요" in first.text and "이 이메일과 비밀번호로 로그인하세요" in again.text
        )
        assert c.get("/me", follow_redirects=False).headers.get("location", "").startswith("/login")
    with db.session() as session:
        assert accounts.authenticate(session, "same@test.kr", "long-password-1").role.value == "talent"


def test_operator_activates_changes_role_deactivates_and_sends_a_reset_link(
    web: tuple[FastAPI, Database, int],
) -> None:
    app, db, org_id = web
    with db.session() as session:
        pending = accounts.create_user(session, email="wait@test.kr", password="long-password-1", role="org_member",
                                       name="대기중", organization_id=org_id, active=False)  # fmt: skip
    client, operator_id = _operator(app, db)
    with client as c:
        page = c.get("/operator/accounts")
        assert page.status_code == 200 and "활성화를 기다리는 가입 (1)" in page.text and "wait@test.kr" in page.text
        assert "wait@test.kr" in _listed(c.get("/operator/accounts?status=pending").text)
        assert "wait@test.kr" not in _listed(c.get("/operator/accounts?status=active").text)
        assert "wait@test.kr" not in _listed(c.get("/operator/accounts?role=talent").text)
        assert "wait@test.kr" in _listed(c.get("/operator/accounts?q=WAIT").text)
        assert c.get("/operator/accounts?role=king").status_code == 422

        done = c.post(f"/operator/accounts/{pending.id}/activate", data={"back": "/operator/accounts?status=pending"})
        assert done.status_code == 200 and "계정을 활성화하고" in done.text
        assert _user(db, "wait@test.kr").active  # type: ignore[union-attr]
        c.post(f"/operator/accounts/{pending.id}/role", data={"role": "talent"})
        assert _user(db, "wait@test.kr").role == "talent"  # type: ignore[union-attr]
        refused = c.post(f"/operator/accounts/{pending.id}/role", data={"role": "org_member"})
        assert refused.status_code == 422 and "기관 담당자는 소속 기관을 골라야 합니다" in refused.text
        c.post(f"/operator/accounts/{pending.id}/reset")
        c.post(f"/operator/accounts/{pending.id}/deactivate")
        assert not _user(db, "wait@test.kr").active  # type: ignore[union-attr]
        self_off = c.post(f"/operator/accounts/{operator_id}/deactivate")
        assert self_off.status_code == 409
    with db.session() as session:
        items, _ = list_entries(session, entity="user", entity_id=pending.id)
        actions = [(e["action"], e["actor_id"]) for e in reversed(items)]
        assert actions == [("activate", operator_id), ("change_role", operator_id), ("send_reset_link", operator_id),
                           ("deactivate", operator_id)]  # fmt: skip
        assert items[-2]["detail"]["role"] == ["org_member", "talent"]
        mails = [(m.kind, m.to_address, m.status) for m in session.scalars(select(OutboxEmailRow))]
        assert ("password_reset", "wait@test.kr", "outbox") in mails
        assert ("account_activated", "wait@test.kr", "outbox") in mails


def test_auditors_see_accounts_but_cannot_change_them(web: tuple[FastAPI, Database, int]) -> None:
    app, db, _ = web
    target, _ = make_account(db, "talent")
    _, token = make_account(db, "auditor")
    with TestClient(app, headers={**HTML, "Authorization": f"Bearer {token}"}) as c:
        page = c.get("/operator/accounts")
        assert page.status_code == 200 and "/activate" not in page.text and "/deactivate" not in page.text
        assert c.post(f"/operator/accounts/{target}/deactivate").status_code == 403
    _, talent_token = make_account(db, "talent")
    with TestClient(app, headers={**HTML, "Authorization": f"Bearer {talent_token}"}) as c:
        assert c.get("/operator/accounts").status_code == 403


def test_notifications_page_header_count_and_outbox(web: tuple[FastAPI, Database, int]) -> None:
    app, db, _ = web
    user_id, token = make_account(db, "talent")
    from talentbridge.services.notifications import notify

    with db.session() as session:
        notify(session, account_id=user_id, kind="invitation",
               params={"opening_title": "비전 엔지니어", "organization_name": "비전AI랩"})  # fmt: skip
    with TestClient(app, headers={**HTML, "Authorization": f"Bearer {token}"}) as c:
        home: Any = c.get("/notifications")
        assert '<span class="count">1</span>' in home.text
        assert "비전AI랩에서 '비전 엔지니어'에 지원해 보시라고 초대했습니다" in html.unescape(home.text)
        c.post("/notifications/read", data={})
        assert '<span class="count">' not in c.get("/notifications").text
        assert c.get("/operator/outbox").status_code == 403
    client, _ = _operator(app, db)
    with client as c:
        outbox = c.get("/operator/outbox")
        assert outbox.status_code == 200 and "[TalentBridge] 지원 초대" in outbox.text
        assert "SMTP 서버가 설정되지 않아" in outbox.text


def test_password_reset_request_says_what_happens_next_and_sends_the_link(
    web: tuple[FastAPI, Database, int],
) -> None:
    app, db, _ = web
    make_account(db, "talent")
    with db.session() as session:
        accounts.create_user(session, email="forgot@test.kr", password="long-password-1", role="talent", name="잊음")
    with TestClient(app, headers=HTML) as c:
        token = _csrf(c, "/password-reset")
        answer = c.post("/password-reset", data={"csrf_token": token, "email": "forgot@test.kr"})
        assert "한 시간 안에 한 번만" in answer.text and "스팸함" in answer.text
        unknown = c.post("/password-reset", data={"csrf_token": token, "email": "nobody@test.kr"})
        assert "nobody@test.kr 계정이 있다면" in unknown.text  # same answer: no one learns who has an account
    with db.session() as session:
        (body,) = session.scalars(select(OutboxEmailRow.body).where(OutboxEmailRow.to_address == "forgot@test.kr"))
    link = re.search(r"/password-reset\?token=(\S+)", body)
    assert link
    with TestClient(app, headers=HTML) as c:
        form = c.get(f"/password-reset?token={link.group(1)}")
        assert 'name="token"' in form.text
        token = _csrf(c, f"/password-reset?token={link.group(1)}")
        done = c.post("/password-reset/confirm", data={"csrf_token": token, "token": link.group(1),
                                                       "password": "brand-new-pass-1"})  # fmt: skip
        assert done.status_code == 200
        again = c.post("/password-reset/confirm", data={"csrf_token": token, "token": link.group(1),
                                                        "password": "brand-new-pass-2"})  # fmt: skip
        assert again.status_code == 400 and "이미 사용되었거나" in again.text
