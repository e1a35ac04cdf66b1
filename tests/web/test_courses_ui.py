"""Operator course catalogue pages (issue 15): import courses on the data page (multipart form with its CSRF
field), search the catalogue, read a course with the evidence of inferred skills, correct its skills."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.storage import Database
from talentbridge.web.app import create_app
from tests.conftest import make_account
from tests.services.test_course_import import KDT_HEAD, _kdt_row


@pytest.fixture
def operator(tmp_path: Path, database: Database) -> Iterator[TestClient]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    _, token = make_account(database, "operator")
    headers = {"Accept": "text/html", "Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings, database), headers=headers) as c:
        yield c


def _import(c: TestClient, text: str, mode: str = "atomic") -> object:
    return c.post("/operator/data/import", data={"entity": "courses", "mode": mode},
                  files={"file": ("kdt.csv", text.encode("utf-8"), "text/csv")})  # fmt: skip


def test_import_search_read_and_correct_a_course(operator: TestClient) -> None:
    c = operator
    page = c.get("/operator/data")
    assert 'value="courses"' in page.text and 'name="csrf_token"' in page.text
    response = _import(c, KDT_HEAD + _kdt_row("AIG1") + _kdt_row("AIG2", title="스마트팩토리 PLC 제어 엔지니어 과정"))
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert "과정 문구에서 가르치는 기술을 추론" in response.text  # type: ignore[attr-defined]
    listing = c.get("/operator/courses", params={"q": "머신러닝"})
    assert "파이썬 머신러닝 데이터 분석가 과정" in listing.text and "스마트팩토리" not in listing.text
    course_link = re.findall(r'href="/operator/courses/(\d+)"', listing.text)[0]
    detail = c.get(f"/operator/courses/{course_link}")
    assert "추론 근거" in detail.text and "파이썬" in detail.text and 'name="csrf_token"' in detail.text
    bad = c.post(
        f"/operator/courses/{course_link}/skills", data={"teaches": "no-such-skill:2\npython:9", "requires": ""}
    )
    assert bad.status_code == 422 and "no-such-skill" in bad.text
    ok = c.post(f"/operator/courses/{course_link}/skills", data={"teaches": "pytorch:3", "requires": "python:2"},
                follow_redirects=True)  # fmt: skip
    assert ok.status_code == 200 and "운영자가 지정" in ok.text


def test_atomic_course_import_lists_every_bad_row(operator: TestClient) -> None:
    response = _import(operator, KDT_HEAD + _kdt_row("AIG1", fee="x") + _kdt_row("AIG2", completion="많음"))
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "훈련비" in text and "수료율" in text
    assert "PyTorch" not in operator.get("/operator/courses").text
    assert "0개 과정" in operator.get("/operator/courses").text or "과정 0개" in operator.get("/operator/courses").text
