"""Input limits (web/limits.py) and request transactions (web/deps.py) on SQLite and PostgreSQL: bodies over the
limit get 413 before authentication, integers beyond the database's range and text it cannot store get 422 —
never a 500 — and a request's transaction and audit rows are committed before its response starts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import Request
from sqlalchemy import func, select

from talentbridge.storage import Database
from talentbridge.web.limits import DB_INT_MAX, bad_json_values

BIG = 2**63  # beyond SQLite's 64 bits
BEYOND_PG = DB_INT_MAX + 1  # fits SQLite, not a PostgreSQL integer


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()  # type: ignore[no-any-return]


@pytest.fixture
def small_app(tmp_path: Any, database: Database) -> Any:
    from talentbridge.config import build_settings
    from talentbridge.web.app import create_app

    settings = build_settings(
        environment="test", data_dir=tmp_path / "data", database_url=database.url, max_request_bytes=4096
    )
    return create_app(settings, database)


def test_body_over_the_limit_is_413_before_authentication(small_app: Any, database: Database) -> None:
    from fastapi.testclient import TestClient

    from tests.conftest import make_account

    def chunks() -> Any:  # streamed without a Content-Length (chunked)
        for _ in range(10):
            yield b"x" * 1000

    with TestClient(small_app) as anon:
        body = json.dumps({"name": "x" * 5000})
        r = anon.post("/api/talents", content=body, headers={"content-type": "application/json"})
        problem = _problem(r, 413)  # not 401: the size is checked first
        assert problem["code"] == "too_large" and problem["limit"] == 4096
        r = anon.post("/login", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
        assert _problem(r, 413)["code"] == "too_large"
        # within the limit the request goes on (and is refused for not being signed in)
        r = anon.post("/api/talents", json={"name": "x" * 100})
        assert r.status_code == 401
    _, token = make_account(database, "operator")
    with TestClient(small_app, headers={"Authorization": f"Bearer {token}"}) as signed_in:
        # a body the app streams (not JSON, not a form): refused once the bytes read pass the limit
        r = signed_in.post("/api/talents", content=chunks(), headers={"content-type": "text/plain"})
        assert _problem(r, 413)["code"] == "too_large"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/talents/{BIG}",
        f"/api/talents/{BEYOND_PG}",
        f"/api/openings?page={BIG}",
        f"/api/openings?organization_id={BEYOND_PG}",
        f"/api/audit-log?actor_id={BIG}",
        f"/api/openings/{BEYOND_PG}/recommendations",
    ],
)
def test_integers_beyond_the_database_range_are_422(client: Any, path: str) -> None:
    problem = _problem(client.get(path), 422)
    assert problem["code"] == "validation" and problem["errors"][0]["type"] == "int_range"


@pytest.mark.parametrize("value", [BIG, BEYOND_PG, -BIG])
def test_body_integers_beyond_the_database_range_are_422(client: Any, value: int) -> None:
    r = client.post("/api/applications", json={"talent_id": value, "opening_id": 1})
    problem = _problem(r, 422)
    assert problem["errors"] == [
        {
            "loc": ["body", "talent_id"],
            "msg": "must be between -2147483648 and 2147483647",
            "value": str(value),
            "type": "int_range",
            "line": None,
        }
    ]
    r = client.patch("/api/rounds/1", json={"seed": value})
    assert _problem(r, 422)["errors"][0]["loc"] == ["body", "seed"]


def test_text_ids_that_look_like_big_numbers_are_text(client: Any) -> None:
    r = client.get("/api/talents", params={"external_id": str(BIG)})
    assert r.status_code == 200 and r.json()["total"] == 0


def test_nul_and_lone_surrogates_are_422(client: Any) -> None:
    assert _problem(client.get("/api/talents", params={"q": "a\x00b"}), 422)["code"] == "validation"
    assert _problem(client.get("/api/talents?name=%00"), 422)["code"] == "validation"
    assert _problem(client.get("/api/taxonomy/skills/py%00thon"), 422)["code"] == "validation"
    # JSON escapes: a NUL and a lone surrogate, in a value and in a nested key
    for raw in ('{"name": "a\\u0000b", "region": "seoul"}', '{"name": "\\ud800", "region": "seoul"}'):
        r = client.post("/api/organizations", content=raw, headers={"content-type": "application/json"})
        assert _problem(r, 422)["errors"][0]["loc"] == ["body", "name"]
    r = client.post(
        "/api/organizations",
        content='{"name": "ok", "settings": {"\\udfff": 1}}',
        headers={"content-type": "application/json"},
    )
    assert _problem(r, 422)["errors"][0]["loc"] == ["body", "settings", "<key>"]
    # a proper surrogate pair is an ordinary character
    r = client.post(
        "/api/organizations",
        content='{"name": "\\ud83d\\ude00 랩", "kind": "ai_startup", "region": "seoul"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "\U0001f600 랩"


def test_bad_json_values_finds_every_problem() -> None:
    found = bad_json_values({"a": [1, 2**40, {"b": "x\x00"}], "c": True, "d": 2.5e20, "e": "\ud800"})
    assert [p["loc"] for p in found] == [["body", "a", 1], ["body", "a", 2, "b"], ["body", "e"]]


def test_fairness_audit_with_limit_one_is_not_a_server_error(client: Any) -> None:
    org = client.post("/api/organizations", json={"name": "랩", "kind": "ai_startup", "region": "seoul"}).json()
    client.post(
        "/api/talents",
        json={
            "name": "kim",
            "region": "seoul",
            "consent_visible": True,
            "skills": [{"skill_id": "python", "level": 4}],
        },
    )
    client.post(
        "/api/openings",
        json={
            "organization_id": org["id"],
            "kind": "job",
            "title": "ML",
            "region": "seoul",
            "status": "open",
            "required_skills": [{"skill_id": "python", "min_level": 3}],
        },
    )
    r = client.get("/api/audit/recommendations", params={"limit": 1})
    assert r.status_code == 200, r.text


def test_openapi_declares_problem_responses(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    create = spec["paths"]["/api/talents"]["post"]["responses"]
    for code in ("400", "401", "403", "404", "409", "413", "422", "429", "503"):
        assert create[code]["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    listing = spec["paths"]["/api/talents"]["get"]
    assert "409" not in listing["responses"] and "400" not in listing["responses"]
    page = next(p for p in listing["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == DB_INT_MAX
    signup = spec["components"]["schemas"]["SignupBody"]
    assert signup["properties"]["password"]["minLength"] == 10
    assert "pattern" in signup["properties"]["email"]
    round_create = spec["paths"]["/api/rounds"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    ref = round_create["$ref"].rsplit("/", 1)[1]
    status = spec["components"]["schemas"][ref]["properties"]["status"]
    assert status.get("const") == "draft" or status.get("enum") == ["draft"]


# -- transactions ------------------------------------------------------------------------------------------------


def _audit_count(database: Database) -> int:
    from talentbridge.storage.account_tables import AuditLogRow

    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditLogRow)) or 0)


async def _call(app: Any, method: str, path: str, headers: dict[str, str], body: bytes, on_start: Any) -> int:
    """Drive the ASGI app directly; ``on_start`` runs when the response starts (before any byte is sent)."""
    status = 0
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            on_start()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    await app(scope, receive, send)
    return status


def test_writes_and_audit_rows_are_committed_before_the_response_starts(
    client: Any, app: Any, database: Database
) -> None:
    import anyio

    from tests.conftest import make_account

    _, token = make_account(database, "operator")
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    seen: dict[str, Any] = {}

    def on_start() -> None:
        # another connection, while the response has not started: the row and its audit entry are there
        from talentbridge.storage.tables import TalentRow

        with database.session() as session:
            seen["talents"] = session.scalar(select(func.count()).select_from(TalentRow))
        seen["audit"] = _audit_count(database)

    body = json.dumps({"name": "박", "region": "seoul", "phone": "010-1234-5678"}).encode()
    status = anyio.run(_call, app, "POST", "/api/talents", headers, body, on_start)
    assert status == 201 and seen["talents"] == 1
    talent_id = client.get("/api/talents").json()["items"][0]["id"]
    before = _audit_count(database)
    status = anyio.run(_call, app, "GET", f"/api/talents/{talent_id}", headers, b"", on_start)
    assert status == 200
    assert seen["audit"] > before  # the view of personal data is logged before the data leaves


def test_reading_with_a_token_writes_last_used_at_once_a_minute(client: Any, database: Database) -> None:
    from talentbridge.storage.account_tables import ApiTokenRow

    def stamps() -> list[Any]:
        with database.session() as session:
            return list(session.scalars(select(ApiTokenRow.last_used_at).order_by(ApiTokenRow.id)))

    assert client.get("/api/talents").status_code == 200
    first = stamps()[-1]
    assert first is not None
    for _ in range(3):
        assert client.get("/api/talents").status_code == 200
    assert stamps()[-1] == first


def test_sqlite_write_requests_begin_immediate(sqlite_database: Database) -> None:
    """A write session takes SQLite's write lock at BEGIN: a second writer waits (busy timeout) instead of failing
    half-way with a stale snapshot."""
    from sqlalchemy import text

    fast = Database(sqlite_database.url, busy_timeout=0.2)
    try:
        with sqlite_database.session(write=True), fast.session(write=True) as other:
            other.execute(text("SELECT 1"))  # a write session takes the lock at its first query, not before
        with sqlite_database.session(write=True) as holder:
            holder.execute(text("SELECT 1"))
            with pytest.raises(Exception, match="locked"), fast.session(write=True) as other:
                other.execute(text("SELECT 1"))
            with fast.session() as reader:  # readers are never blocked (WAL)
                reader.execute(text("SELECT count(*) FROM talents")).scalar_one()
    finally:
        fast.dispose()


def test_audit_log_refuses_an_unknown_filter(client: Any) -> None:
    problem = _problem(client.get("/api/audit-log", params={"actor": 1}), 422)
    assert problem["errors"][0]["loc"] == ["query", "actor"]
    assert client.get("/api/audit-log", params={"actor_id": 1}).status_code == 200


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        ("overflow", 422, "validation"),
        ("pg_range", 422, "validation"),
        ("pg_nul", 422, "validation"),
        ("unicode", 422, "validation"),
        ("locked", 503, "busy"),
    ],
)
def test_database_refusals_that_slip_through_are_not_500(
    sqlite_database: Database, tmp_path: Any, error: str, status: int, code: str
) -> None:
    """The safety net behind the limits: the database refusing a value is the client's 422, a lock held past the
    busy timeout a 503 with Retry-After."""
    from fastapi.testclient import TestClient
    from sqlalchemy.exc import DataError, OperationalError

    from talentbridge.config import build_settings
    from talentbridge.web.app import create_app

    app = create_app(
        build_settings(environment="test", data_dir=tmp_path, database_url=sqlite_database.url), sqlite_database
    )
    raised = {
        "overflow": OverflowError("Python int too large to convert to SQLite INTEGER"),
        "pg_range": DataError("SELECT", {}, Exception("integer out of range")),
        "pg_nul": DataError("SELECT", {}, Exception("PostgreSQL text fields cannot contain NUL (0x00) bytes")),
        "unicode": UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
        "locked": OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked")),
    }[error]

    @app.get("/api/boom")
    def boom() -> None:
        raise raised

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/boom")
    assert _problem(r, status)["code"] == code
    if status == 503:
        assert r.headers["retry-after"] == "1"


def test_personal_data_is_withheld_when_its_audit_row_cannot_be_written(
    app: Any, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A route that queues an audit entry outside a request session: the entry is written before the response
    starts, and when it cannot be, the client gets a 503 instead of the data."""
    from fastapi.testclient import TestClient

    from talentbridge.web import auth
    from tests.conftest import make_account

    @app.get("/api/peek")
    def peek(request: Request) -> dict[str, str]:
        auth.audit(request, "view", "talent", 1, fields=["phone"])
        return {"phone": "010-0000-0000"}

    _, token = make_account(database, "operator")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:
        before = _audit_count(database)
        assert c.get("/api/peek").status_code == 200
        assert _audit_count(database) == before + 1

        def broken(self: Any, entries: Any) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(auth.AuthMiddleware, "_write_audit", broken)
        r = c.get("/api/peek")
        assert r.status_code == 503 and "010" not in r.text
