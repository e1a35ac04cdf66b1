"""Sign-in throttling through the API and the sign-in page: 429 with Retry-After, per account and per address."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.services import accounts
from talentbridge.storage import Database
from talentbridge.web.app import create_app


@pytest.fixture
def app(sqlite_database: Database, tmp_path: Path) -> Any:
    with sqlite_database.session() as s:
        accounts.create_user(s, email="v@x.kr", password="right-password", role="talent", name="v")
    settings = build_settings(
        environment="test",
        data_dir=tmp_path,
        database_url=sqlite_database.url,
        login_max_failures_per_account=3,
        login_max_failures_per_address=6,
        login_failure_window_seconds=600,
    )
    return create_app(settings, sqlite_database)


def _login(c: TestClient, email: str, password: str) -> Any:
    return c.post("/api/auth/login", json={"email": email, "password": password})


def test_api_answers_429_with_retry_after_after_n_failures(app: Any) -> None:
    with TestClient(app) as c:
        assert [_login(c, "v@x.kr", "wrong-password").status_code for _ in range(3)] == [401] * 3
        r = _login(c, "v@x.kr", "right-password")  # even the right password waits now
    assert r.status_code == 429
    assert r.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(r.headers["retry-after"]) <= 600
    assert r.json()["code"] == "rate_limited" and r.json()["retry_after"] == int(r.headers["retry-after"])
    assert r.headers["x-content-type-options"] == "nosniff"


def test_unknown_accounts_are_throttled_alike(app: Any) -> None:
    """No difference between an existing and a missing account (nothing to enumerate)."""
    with TestClient(app) as c:
        known = [_login(c, "v@x.kr", "wrong-password").status_code for _ in range(4)]
        unknown = [_login(c, "nobody@x.kr", "wrong-password").status_code for _ in range(4)]
    assert known == unknown == [401, 401, 401, 429]


def test_address_limit_covers_guesses_spread_over_accounts(app: Any) -> None:
    with TestClient(app) as c:
        statuses = [_login(c, f"user{i}@x.kr", "wrong-password").status_code for i in range(7)]
    assert statuses == [401] * 6 + [429]


def test_a_success_resets_the_account(app: Any) -> None:
    with TestClient(app) as c:
        for _ in range(2):
            _login(c, "v@x.kr", "wrong-password")
        assert _login(c, "v@x.kr", "right-password").status_code == 200
        assert [_login(c, "v@x.kr", "wrong-password").status_code for _ in range(3)] == [401] * 3


def test_sign_in_page_says_when_to_come_back(app: Any) -> None:
    with TestClient(app) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)  # type: ignore[union-attr]
        form = {"email": "v@x.kr", "password": "wrong-password", "csrf_token": token}
        assert [c.post("/login", data=form).status_code for _ in range(3)] == [401] * 3
        r = c.post("/login", data=form, headers={"accept-language": "ko"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "로그인 실패가 너무 많습니다" in r.text and "10분" in r.text


def test_the_openapi_spec_declares_429_with_retry_after(app: Any) -> None:
    with TestClient(app) as c:
        login = c.get("/openapi.json").json()["paths"]["/api/auth/login"]["post"]["responses"]
    assert "Retry-After" in login["429"]["headers"] and "401" in login
