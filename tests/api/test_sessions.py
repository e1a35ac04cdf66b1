"""Session revocation (issue 13): a cookie from before sign-out, a password reset, a role change or a
deactivation stops working at once — also a copy of it held by someone else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from talentbridge.services import accounts
from talentbridge.storage import Database

PASSWORD = "password-123"


@pytest.fixture
def people(database: Database) -> dict[str, int]:
    with database.session() as s:
        ids = {
            role: accounts.create_user(s, email=f"{role}@x.kr", password=PASSWORD, role=role, name=role).id
            for role in ("operator", "auditor", "talent")
        }
    return ids


@pytest.fixture
def browser(app: Any) -> Iterator[Any]:
    """``browser(email)``: a client signed in with a session cookie."""
    opened: list[TestClient] = []

    def sign_in(email: str) -> TestClient:
        c = TestClient(app)
        c.__enter__()
        opened.append(c)
        assert c.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        return c

    yield sign_in
    for c in opened:
        c.__exit__(None, None, None)


def _copy(app: Any, client: TestClient) -> TestClient:
    """Another machine holding a copy of ``client``'s cookie (stolen, or a second tab)."""
    thief = TestClient(app)
    thief.cookies.set("tb_session", client.cookies["tb_session"])
    return thief


def _me(client: TestClient) -> int:
    return client.get("/api/auth/me").status_code


def test_sign_out_revokes_copies_of_the_cookie(app: Any, browser: Any, people: dict[str, int]) -> None:
    alice = browser("auditor@x.kr")
    thief = _copy(app, alice)
    laptop = browser("auditor@x.kr")
    assert _me(thief) == 200 and _me(laptop) == 200
    csrf = alice.get("/api/auth/me").json()["csrf_token"]
    assert alice.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert _me(alice) == 401
    assert _me(thief) == 401  # before: the copied cookie still worked for hours
    assert _me(laptop) == 401  # sign-out signs out every browser of the account
    again = browser("auditor@x.kr")
    assert _me(again) == 200  # signing in again works


def test_page_sign_out_revokes_too(app: Any, browser: Any, people: dict[str, int]) -> None:
    alice = browser("talent@x.kr")
    thief = _copy(app, alice)
    csrf = alice.get("/api/auth/me").json()["csrf_token"]
    r = alice.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code in (302, 303)
    assert _me(thief) == 401


def test_password_reset_revokes_existing_sessions(
    app: Any, browser: Any, database: Database, people: dict[str, int]
) -> None:
    alice = browser("talent@x.kr")
    with database.session() as s:
        token = accounts.request_password_reset(s, "talent@x.kr")
    with TestClient(app) as anon:
        r = anon.post("/api/auth/password-reset/confirm", json={"token": token, "password": "a-new-password"})
    assert r.status_code == 200
    assert _me(alice) == 401


@pytest.mark.parametrize("change", [{"role": "auditor"}, {"active": False}])
def test_role_change_and_deactivation_revoke_sessions(
    app: Any, browser: Any, people: dict[str, int], change: dict[str, Any]
) -> None:
    victim = browser("talent@x.kr")
    admin = browser("operator@x.kr")
    csrf = admin.get("/api/auth/me").json()["csrf_token"]
    r = admin.patch(f"/api/users/{people['talent']}", json=change, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    assert _me(victim) == 401
    assert _me(admin) == 200  # other accounts are untouched


def test_a_name_change_keeps_sessions(app: Any, browser: Any, people: dict[str, int]) -> None:
    user = browser("talent@x.kr")
    admin = browser("operator@x.kr")
    csrf = admin.get("/api/auth/me").json()["csrf_token"]
    admin.patch(
        f"/api/users/{people['talent']}", json={"name": "새 이름", "role": "talent"}, headers={"X-CSRF-Token": csrf}
    )
    assert _me(user) == 200


def test_a_cookie_without_a_session_version_is_refused(app: Any, people: dict[str, int]) -> None:
    """A cookie signed with the right key but from before session versions (no "sv") is signed out."""
    import base64
    import json

    from itsdangerous import TimestampSigner

    from talentbridge.config import session_secret

    secret = session_secret(app.state.settings)
    for payload in (
        {"user_id": people["operator"]},
        {"user_id": people["operator"], "sv": "0"},
        {"user_id": str(people["operator"]), "sv": 0},
    ):
        cookie = TimestampSigner(secret).sign(base64.b64encode(json.dumps(payload).encode())).decode()
        with TestClient(app) as c:
            c.cookies.set("tb_session", cookie)
            assert _me(c) == 401, payload
    good = {"user_id": people["operator"], "sv": 0}
    with TestClient(app) as c:
        c.cookies.set("tb_session", TimestampSigner(secret).sign(base64.b64encode(json.dumps(good).encode())).decode())
        assert _me(c) == 200  # the same forging with the real key works: the check above is what refused


def test_bearer_token_sign_out_leaves_sessions_alone(
    app: Any, browser: Any, database: Database, people: dict[str, int]
) -> None:
    user = browser("auditor@x.kr")
    with database.session() as s:
        _, token = accounts.create_api_token(s, people["auditor"], "ci")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as api:
        assert api.post("/api/auth/logout").status_code == 204
        assert _me(api) == 200  # the token itself stays valid
    assert _me(user) == 200
