"""Security headers on every response: pages, API, static files, errors, the middleware's own refusals."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.storage import Database
from talentbridge.web.app import create_app
from talentbridge.web.security_headers import DOCS_CSP, PAGE_CSP


@pytest.fixture
def client(sqlite_database: Database, tmp_path: Any) -> Any:
    settings = build_settings(environment="test", data_dir=tmp_path, database_url=sqlite_database.url)
    with TestClient(create_app(settings, sqlite_database)) as c:
        yield c


def _directives(csp: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in csp.split("; ")}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/login", 200),  # a page
        ("GET", "/api/health", 200),  # the API
        ("GET", "/static/app.css", 200),  # a static file
        ("GET", "/api/talents", 401),  # refused by the policy
        ("GET", "/api/no-such-thing", 404),
        ("POST", "/login", 403),  # refused by the CSRF check inside the auth middleware
        ("GET", "/openapi.json", 200),
    ],
)
def test_every_response_carries_the_headers(client: TestClient, method: str, path: str, status: int) -> None:
    r = client.request(method, path, headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == status
    assert r.headers["content-security-policy"] == PAGE_CSP
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in r.headers  # only in production (HTTPS)


def test_bearer_token_refusal_carries_the_headers(client: TestClient) -> None:
    r = client.get("/api/talents", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.headers["x-content-type-options"] == "nosniff"


def test_page_policy_allows_this_origin_only() -> None:
    d = _directives(PAGE_CSP)
    for name in ("default-src", "script-src", "style-src", "connect-src", "font-src"):
        assert d[name] == "'self'", name
    assert d["frame-ancestors"] == "'none'" and d["object-src"] == "'none'" and d["form-action"] == "'self'"
    assert "unsafe-inline" not in d["script-src"] and "unsafe-eval" not in d["script-src"]


def test_swagger_ui_gets_its_own_relaxed_policy(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == DOCS_CSP
    d = _directives(DOCS_CSP)
    # Swagger UI is served locally: its page needs its inline start script, and nothing from another host
    assert d["script-src"] == "'self' 'unsafe-inline'" and d["frame-ancestors"] == "'none'"
    assert "https:" not in DOCS_CSP and "http:" not in DOCS_CSP
    assert r.headers["x-frame-options"] == "DENY"


def test_hsts_only_when_asked_for_and_route_headers_win() -> None:
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from talentbridge.web.security_headers import SecurityHeadersMiddleware

    def own(_request: Any) -> PlainTextResponse:
        return PlainTextResponse("x", headers={"X-Frame-Options": "SAMEORIGIN"})

    inner = Starlette(routes=[Route("/own", own)])
    with TestClient(SecurityHeadersMiddleware(inner, hsts=True)) as c:
        r = c.get("/own")
    assert r.headers["strict-transport-security"].startswith("max-age=")
    assert r.headers["x-frame-options"] == "SAMEORIGIN"  # a route's own choice is kept
    assert r.headers["content-security-policy"] == PAGE_CSP


def test_pages_keep_scripts_out_of_the_html(client: TestClient) -> None:
    """No inline script the policy would block: scripts come from /static, data blocks are JSON."""
    import re

    html = client.get("/login").text
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert "includeIndicatorStyles" in html  # HTMX's injected <style> is off (its rules live in app.css)


def test_an_unexpected_error_carries_the_headers(sqlite_database: Database, tmp_path: Any) -> None:
    settings = build_settings(environment="test", data_dir=tmp_path, database_url=sqlite_database.url)
    app = create_app(settings, sqlite_database)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/boom")
    assert r.status_code == 500
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["content-security-policy"] == PAGE_CSP
