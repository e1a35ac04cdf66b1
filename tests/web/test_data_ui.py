"""Import and export in the browser (issue 12, item 1): upload → the importer's row-by-row report (atomic or keep
the valid rows) → the rejected rows as CSV with reasons; exports narrowed by a list page's filters."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.services.audit_log import list_entries
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories
from talentbridge.web.app import create_app
from tests.conftest import make_account

CSV_HEAD = "external_id,name,kind,region\n"
PLAIN = {"HX-Request": ""}  # a link or a form without htmx (the fixture's client sends HX-Request: true)


@pytest.fixture
def operator(tmp_path: Path, sqlite_database: Database) -> Iterator[tuple[TestClient, Database]]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url,
                              infer_skills=False)  # fmt: skip
    _, token = make_account(sqlite_database, "operator")
    headers = {"Accept": "text/html", "Authorization": f"Bearer {token}", "HX-Request": "true"}
    with TestClient(create_app(settings, sqlite_database), headers=headers) as c:
        yield c, sqlite_database


def _upload(c: TestClient, text: str, mode: str = "atomic", name: str = "orgs.csv") -> object:
    return c.post("/operator/data/import", data={"entity": "organizations", "mode": mode},
                  files={"file": (name, text.encode("utf-8"), "text/csv")})  # fmt: skip


def _orgs(db: Database) -> list[str]:
    with db.session() as session:
        return sorted(o.name for o in Repositories(session).organizations.list(size=100).items)


BAD = CSV_HEAD + "o1,비전랩,ai_startup,seoul\no2,우주선,spaceship,seoul\no3,울산정밀,manufacturer,ulsan\n"


def test_atomic_import_writes_nothing_and_offers_the_rejected_rows(operator: tuple[TestClient, Database]) -> None:
    c, db = operator
    response = _upload(c, BAD)
    # the HTMX fragment answers 200: htmx 2 swaps nothing for a 4xx, and the page showed no report at all
    assert response.status_code == 200  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "<html" not in text  # the report alone, for #import-report
    assert "아무것도 저장하지 않았습니다: 3행 중 1행에 문제가 있습니다" in text and "spaceship" in text
    assert "다음 중 하나를 고르세요: ai_startup" in text  # the reason, in Korean
    assert _orgs(db) == []
    link = text.split('href="/operator/data/rejects/')[1].split('"')[0]
    rejects = c.get(f"/operator/data/rejects/{link}")
    assert rejects.status_code == 200 and rejects.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(rejects.content.decode("utf-8-sig"))))
    assert [(r["_line"], r["external_id"]) for r in rows] == [("3", "o2")] and "kind" in rows[0]["_errors"]
    assert c.get("/operator/data/rejects/..%2F..%2Fetc", headers=PLAIN).status_code == 404
    # without JavaScript the form posts the whole page, which keeps the 422
    whole = c.post("/operator/data/import", data={"entity": "organizations", "mode": "atomic"},
                   files={"file": ("orgs.csv", BAD.encode("utf-8"), "text/csv")}, headers=PLAIN)  # fmt: skip
    assert whole.status_code == 422 and "<html" in whole.text and "spaceship" in whole.text


def test_keep_valid_rows_writes_them_and_reports_the_rest(operator: tuple[TestClient, Database]) -> None:
    c, db = operator
    response = _upload(c, BAD, mode="keep_valid")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "3행 중 2행을 가져왔습니다: 새로 만듦 2, 고침 0" in response.text  # type: ignore[attr-defined]
    assert "1행이 거부되었습니다" in response.text  # type: ignore[attr-defined]
    assert _orgs(db) == ["비전랩", "울산정밀"]
    with db.session() as session:
        (entry,), _ = list_entries(session, action="import")
        assert entry["detail"]["created"] == 2 and entry["detail"]["rejected"] == 1


def test_a_file_of_the_wrong_kind_is_explained(operator: tuple[TestClient, Database]) -> None:
    c, _ = operator
    # answered 200 to htmx (which swaps only 2xx) so that the reason shows in the page
    response = _upload(c, "hello", name="notes.pdf")
    assert response.status_code == 200 and "이 파일은 가져올 수 없습니다" in response.text  # type: ignore[attr-defined]
    missing = _upload(c, "external_id,colour\nx,blue\n")
    assert missing.status_code == 200 and "이 파일은 가져올 수 없습니다" in missing.text  # type: ignore[attr-defined]


def test_export_follows_the_list_filters(operator: tuple[TestClient, Database]) -> None:
    c, db = operator
    _upload(c, BAD, mode="keep_valid")
    every = c.get("/operator/data/export", params={"entity": "organizations", "format": "jsonl"})
    assert every.status_code == 200
    assert sorted(json.loads(line)["name"] for line in every.text.splitlines()) == ["비전랩", "울산정밀"]
    filtered = c.get("/operator/data/export", params={"entity": "organizations", "format": "csv", "region": "ulsan"})
    names = [r["name"] for r in csv.DictReader(io.StringIO(filtered.content.decode("utf-8-sig")))]
    assert names == ["울산정밀"]
    searched = c.get("/operator/data/export", params={"entity": "organizations", "format": "csv", "q": "비전"})
    assert [r["name"] for r in csv.DictReader(io.StringIO(searched.content.decode("utf-8-sig")))] == ["비전랩"]
    xlsx = c.get("/operator/data/export", params={"entity": "organizations", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    bad = c.get("/operator/data/export", params={"entity": "organizations", "colour": "blue"}, headers=PLAIN)
    assert bad.status_code == 422 and "입력값 오류" in bad.text
    with db.session() as session:
        entries, _ = list_entries(session, action="export")
        assert len(entries) == 4 and {"region": "ulsan"} in [e["detail"]["filters"] for e in entries]


def test_only_operators_import_or_export(tmp_path: Path, sqlite_database: Database) -> None:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    app = create_app(settings, sqlite_database)
    for role in ("auditor", "talent"):
        _, token = make_account(sqlite_database, role)
        with TestClient(app, headers={"Authorization": f"Bearer {token}", "Accept": "text/html"}) as c:
            assert c.get("/operator/data").status_code == 403
            assert c.get("/operator/data/export?entity=talents").status_code == 403
