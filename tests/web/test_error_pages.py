"""Error pages for people (issue 12, item 6): 403, 404, 405, validation and 500 errors of page routes are HTML
pages in Korean (English on request), with one translated message per bad field; /api keeps problem+json."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.domain.errors import Alternatives, InvalidState, Msg, NotFound, Problem, ValidationFailed
from talentbridge.storage import Database
from talentbridge.web.app import create_app
from tests.conftest import make_account

HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture
def web(tmp_path: Path, sqlite_database: Database) -> Iterator[tuple[FastAPI, Database]]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    app = create_app(settings, sqlite_database)

    @app.get("/test-errors/{kind}", include_in_schema=False)
    def boom(kind: str) -> None:
        if kind == "state":
            raise InvalidState("attach at least one opening and add at least one participant")
        if kind == "values":
            raise InvalidState(
                Msg("cannot {doing}: round {round} is {status}{hint}; this is possible only while it is {allowed}",
                    doing="publish", round=3, status="draft", hint=Msg(" (open it first)"),
                    allowed=Alternatives(["matched", "published"]))
            )  # fmt: skip
        if kind == "list":
            raise ValidationFailed(
                "invalid ranked list",
                [Problem(("ranking", 1), Msg("opening {value} is listed twice (first at position {first})", value=12,
                                             first=1))],
            )  # fmt: skip
        if kind == "missing":
            raise NotFound("opening", 77)
        if kind == "invalid":
            raise ValidationFailed(
                "invalid account",
                [Problem(loc=("name",), msg="a name is required"), Problem(loc=("email",), msg="not an email address")],
            )
        raise RuntimeError("unexpected")

    yield app, sqlite_database


def _client(app: FastAPI, database: Database, role: str | None = None) -> TestClient:
    headers = dict(HTML)
    if role:
        _, token = make_account(database, role)
        headers["Authorization"] = f"Bearer {token}"
    return TestClient(app, headers=headers, raise_server_exceptions=False)


def _text(html: str) -> str:
    import html as entities

    return entities.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))


def test_unknown_page_is_a_korean_404_page_and_api_stays_problem_json(web: tuple[FastAPI, Database]) -> None:
    app, database = web
    with _client(app, database) as c:
        page = c.get("/no-such-page")
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "찾을 수 없음" in page.text and "이 주소에는 페이지가 없습니다" in page.text
        english = c.get("/no-such-page?lang=en")
        assert "There is no page at this address" in english.text
        api = c.get("/api/no-such-thing")
        assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"


def test_wrong_role_gets_a_korean_403_page(web: tuple[FastAPI, Database]) -> None:
    app, database = web
    with _client(app, database, "talent") as c:
        page = c.get("/operator/audit-log")
        assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
        assert "권한 없음" in page.text and "운영자에게 문의하세요" in page.text


def test_a_bad_form_field_is_explained_in_korean_never_in_pydantic_words(web: tuple[FastAPI, Database]) -> None:
    app, database = web
    with _client(app, database, "operator") as c:
        page = c.post("/operator/rounds", data={"program_id": "셋", "name": ""})
        assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
        text = _text(page.text)
        assert "입력값 오류" in text and "정수를 입력하세요" in text
        for raw in ("Input should be", "String should", "body.", "int_parsing", "Field required"):
            assert raw not in page.text
        english = _text(c.post("/operator/rounds?lang=en", data={"program_id": "three"}).text)
        assert "Enter a whole number." in english and "This field is required." in english


def test_service_errors_on_pages_are_translated(web: tuple[FastAPI, Database]) -> None:
    app, database = web
    with _client(app, database, "operator") as c:
        invalid = _text(c.get("/test-errors/invalid").text)
        assert "이름: 이름을 입력하세요" in invalid and "이메일: 이메일 주소가 아닙니다" in invalid
        missing = c.get("/test-errors/missing")
        assert missing.status_code == 404 and "요청하신 공고(77)이(가) 없습니다" in _text(missing.text)
        state = c.get("/test-errors/state")
        assert state.status_code == 409 and "현재 상태에서는 이 작업을 할 수 없습니다" in state.text
        crash = c.get("/test-errors/crash")
        assert crash.status_code == 500 and "서버에서 문제가 생겼습니다" in crash.text
        assert "RuntimeError" not in crash.text


def test_api_validation_stays_problem_json(web: tuple[FastAPI, Database]) -> None:
    app, database = web
    with _client(app, database, "operator") as c:
        response = c.post("/api/organizations", json={"name": ""}, headers={"Accept": "application/json"})
        assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
        body: dict[str, Any] = response.json()
        assert body["code"] == "validation" and body["errors"]


def test_a_form_page_shows_its_errors_translated(web: tuple[FastAPI, Database]) -> None:
    """The talent profile form (a ValidationFailed from the repository or a pydantic error) lists its errors in
    Korean, never as "name: String should have at least 1 character"."""
    app, database = web
    with _client(app, database, "talent") as c:
        page = c.post("/me", data={"name": "", "available_from": "내일"})
        assert page.status_code == 422
        text = _text(page.text)
        assert "String should" not in text and "Input should be" not in text
        assert "이름: 필수 항목입니다" in text  # the profile form names the field and says why, in Korean


def test_a_page_form_without_its_csrf_token_gets_a_korean_page_and_the_api_stays_problem_json(
    web: tuple[FastAPI, Database],
) -> None:
    """An expired tab (the session's CSRF token changed since the form was drawn) posts a form: the person gets a
    page that says what happened and what to do, in Korean, never problem+json; nothing is written."""
    app, database = web
    from talentbridge.services import accounts

    with database.session() as session:
        accounts.create_user(session, email="csrf@test.kr", password="test-password-123", role="operator",
                             name="운영자")
    with TestClient(app, headers=HTML, raise_server_exceptions=False) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)  # type: ignore[union-attr]
        signed_in = c.post("/login", data={"csrf_token": token, "email": "csrf@test.kr",
                                           "password": "test-password-123"}, follow_redirects=False)
        assert signed_in.status_code in (302, 303), signed_in.text[:300]
        page = c.post("/operator/rounds", data={"csrf_token": "stale", "program_id": "1", "name": "새 라운드"})
        assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
        text = _text(page.text)
        assert "양식이 만료되었습니다" in text and "새로고침한 뒤 다시 제출해 주세요" in text
        assert "CSRF token" not in text
        english = _text(c.post("/operator/rounds?lang=en", data={"program_id": "1"}).text)
        assert "This form has expired" in english
        api = c.post("/api/auth/logout", data={"x": "1"})
        assert api.status_code == 403 and api.headers["content-type"] == "application/problem+json"


def test_messages_with_values_are_translated_values_and_all(web: tuple[FastAPI, Database]) -> None:
    """A service message with values (a round number, a status, the states that would allow it) reads as one
    Korean sentence, its coded values translated too; never "Details (in English)"."""
    app, database = web
    with _client(app, database, "operator") as c:
        text = _text(c.get("/test-errors/values").text)
        assert "공개 작업을 할 수 없습니다: 라운드 3은(는) 지금 '작성 중' 상태입니다 (먼저 선호 제출을 시작하세요)" in text
        assert "'매칭 완료(검토 대기) 또는 공개됨' 상태에서만" in text
        assert "자세한 내용" not in text and "cannot publish" not in text
        english = _text(c.get("/test-errors/values?lang=en").text)
        assert "cannot publish: round 3 is Draft (open it first); this is possible only while it is Matched, awaiting review or Published" in english
        listed = _text(c.get("/test-errors/list?lang=ko").text)
        assert "공고 12이(가) 두 번 나옵니다(처음은 1번째)" in listed
        api = c.get("/test-errors/values", headers={"Accept": "application/json"})
        assert "cannot publish: round 3 is draft" in api.text  # problem+json stays English


def test_an_htmx_request_gets_the_error_where_its_answer_goes(web: tuple[FastAPI, Database]) -> None:
    """htmx 2 swaps only 2xx answers: a client's mistake answered 4xx to a suggestion button or an upload left the
    part of the page unchanged. It gets the error card alone as 200; a server error keeps its status."""
    app, database = web
    with _client(app, database, "operator") as c:
        hx = {"HX-Request": "true"}
        bad = c.post("/operator/rounds", data={"program_id": "셋", "name": ""}, headers=hx)
        assert bad.status_code == 200 and "<html" not in bad.text and 'role="alert"' in bad.text
        text = _text(bad.text)
        assert "입력값 오류" in text and "정수를 입력하세요" in text and "시작 페이지로" not in text
        missing = c.get("/test-errors/missing", headers=hx)
        assert missing.status_code == 200 and "<html" not in missing.text and "77" in _text(missing.text)
        assert c.get("/test-errors/boom", headers=hx).status_code == 500
        # htmx sends the browser's default Accept (*/*), not text/html: still the card, never problem+json
        plain_accept = c.post("/operator/rounds", data={"program_id": "셋"}, headers={**hx, "Accept": "*/*"})
        assert plain_accept.status_code == 200 and 'role="alert"' in plain_accept.text
        whole = c.post("/operator/rounds", data={"program_id": "셋", "name": ""})
        assert whole.status_code == 422 and "<html" in whole.text  # without htmx: the page, as before
