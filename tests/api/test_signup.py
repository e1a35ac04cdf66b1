"""Sign-up does not reveal whether an e-mail address has an account (issue 13), on the page or in the API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from talentbridge.domain import OrganizationData
from talentbridge.services import accounts
from talentbridge.services.signup import sign_up
from talentbridge.storage import Database
from talentbridge.storage.account_tables import UserRow
from talentbridge.storage.repositories import Repositories

OWNER_PASSWORD = "owner-password-1"


@pytest.fixture
def registered(database: Database) -> int:
    with database.session() as s:
        org = Repositories(s).organizations.add(OrganizationData(name="비전AI", kind="ai_startup"))
        accounts.create_user(s, email="owner@x.kr", password=OWNER_PASSWORD, role="talent", name="주인")
    return org.id


def _users(database: Database) -> int:
    with database.session() as s:
        return int(s.scalar(select(func.count()).select_from(UserRow)) or 0)


@pytest.mark.parametrize("role", ["talent", "org_member"])
def test_api_answers_the_same_for_new_and_registered_addresses(
    anon_client: TestClient, database: Database, registered: int, role: str
) -> None:
    def ask(email: str) -> Any:
        body = {"email": email, "password": "attacker-pass-1", "name": "누구", "role": role}
        if role == "org_member":
            body["organization_id"] = registered
        return anon_client.post("/api/auth/signup", json=body)

    before = _users(database)
    new, taken = ask("fresh@x.kr"), ask("Owner@X.kr")
    assert new.status_code == taken.status_code == 202
    assert new.json() | {"email": "?"} == taken.json() | {"email": "?"}
    assert taken.json()["email"] == "owner@x.kr" and "id" not in taken.json()
    assert _users(database) == before + 1
    with database.session() as s:
        accounts.authenticate(s, "owner@x.kr", OWNER_PASSWORD)  # the owner's account is untouched
        owner = s.scalar(select(UserRow).where(UserRow.email == "owner@x.kr"))
        assert owner is not None and owner.role == "talent" and owner.name == "주인"


def _csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def _page_signup(app: Any, email: str, **extra: str) -> tuple[int, str, int]:
    with TestClient(app) as c:
        form = {
            "name": "누구",
            "email": email,
            "password": "attacker-pass-1",
            "csrf_token": _csrf(c, "/signup"),
            **extra,
        }
        r = c.post("/signup", data=form)
        text = re.sub(r"[A-Za-z0-9_-]{24,}", "TOKEN", r.text).replace(email.strip().lower(), "EMAIL")
        return r.status_code, text, c.get("/api/auth/me").status_code


@pytest.mark.parametrize("role", ["talent", "org_member"])
def test_page_looks_the_same_for_new_and_registered_addresses(
    app: Any, database: Database, registered: int, role: str
) -> None:
    extra = {"role": role, "organization_id": str(registered)}
    new = _page_signup(app, "fresh@x.kr", **extra)
    taken = _page_signup(app, "owner@x.kr", **extra)
    assert new == taken
    status, _, signed_in = new
    assert status == 200 and signed_in == 401  # no automatic sign-in: it would tell the two apart
    with database.session() as s:
        assert s.scalar(select(UserRow.role).where(UserRow.email == "fresh@x.kr")) == role


def test_the_chosen_role_is_kept_when_the_form_comes_back(app: Any, registered: int) -> None:
    status, text, _ = _page_signup(app, "m@x.kr", role="org_member", organization_id="")
    assert status == 422
    assert re.search(r'value="org_member" checked', text) and not re.search(r'value="talent" checked', text)


def test_a_new_talent_can_sign_in_after_signing_up(anon_client: TestClient, registered: int) -> None:
    body = {"email": "fresh@x.kr", "password": "fresh-password-1", "name": "신규"}
    assert anon_client.post("/api/auth/signup", json=body).status_code == 202
    r = anon_client.post("/api/auth/login", json={"email": "fresh@x.kr", "password": "fresh-password-1"})
    assert r.status_code == 200


def test_service_does_the_same_work_and_never_touches_the_existing_account(
    database: Database, registered: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashes: list[str] = []
    real = accounts._hasher

    class Counting:
        def __init__(self) -> None:
            self.inner = real()

        def hash(self, password: str) -> str:
            hashes.append(password)
            return self.inner.hash(password)

    monkeypatch.setattr(accounts, "_hasher", Counting)
    import talentbridge.services.signup as signup_module

    monkeypatch.setattr(signup_module, "_hasher", Counting)
    with database.session() as s:
        made = sign_up(s, email="fresh@x.kr", password="some-password-1", name="a")
        taken = sign_up(s, email="owner@x.kr", password="some-password-1", name="a")
    assert made.created is not None and taken.created is None
    assert made.public() | {"email": ""} == taken.public() | {"email": ""}
    assert len(hashes) == 2  # one argon2 hash each: no timing difference to measure


def test_operators_and_auditors_cannot_be_signed_up_for(database: Database) -> None:
    from talentbridge.domain.errors import ValidationFailed

    with database.session() as s, pytest.raises(ValidationFailed):
        sign_up(s, email="boss@x.kr", password="some-password-1", name="a", role="operator")
