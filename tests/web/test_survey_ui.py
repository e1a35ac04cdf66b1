"""The status survey from the operator's browser: upload on the data page (atomic report with Korean reasons and
the rejected rows, or keep the valid rows), then the survey beside the platform's numbers on the analytics page
and ``/api/analytics/status-survey``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.storage import Database
from talentbridge.storage.tables import OrganizationRow
from talentbridge.web.app import create_app
from tests.conftest import make_account

HEAD = "organization,year,headcount_ai_research,headcount_data_science,vacancies,hard_to_fill_roles\n"


@pytest.fixture
def operator(tmp_path: Path, sqlite_database: Database) -> Iterator[tuple[TestClient, Database]]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url,
                              infer_skills=False)  # fmt: skip
    with sqlite_database.session(write=True) as s:
        for i in range(6):
            s.add(OrganizationRow(name=f"기관{i}", external_id=f"o{i}", kind="ai_startup", region="seoul"))
    _, token = make_account(sqlite_database, "operator")
    headers = {"Accept": "text/html", "Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings, sqlite_database), headers=headers) as c:
        yield c, sqlite_database


def _upload(c: TestClient, text: str, mode: str = "atomic") -> object:
    return c.post("/operator/data/import", data={"entity": "survey", "mode": mode},
                  files={"file": ("survey.csv", text.encode("utf-8"), "text/csv")})  # fmt: skip


def test_survey_upload_reports_every_bad_row_then_shows_beside_the_platform(
    operator: tuple[TestClient, Database],
) -> None:
    c, db = operator
    assert 'value="survey"' in c.get("/operator/data").text
    good = "".join(f"o{i},2025,{i + 1},2,1,data_science\n" for i in range(6))
    bad = HEAD + good + "nobody,2025,1,1,0,\no1,2025,-4,0,0,wizard\n"
    r = _upload(c, bad)
    assert r.status_code == 422  # type: ignore[attr-defined]
    html = r.text  # type: ignore[attr-defined]
    assert "이 외부 ID, 사업자등록번호 또는 이름의 등록 기관이 없습니다" in html
    assert "0 이상의 정수여야 합니다" in html and "알 수 없는 직무입니다" in html
    link = html.split('href="/operator/data/rejects/')[1].split('"')[0]
    rows = list(csv.DictReader(io.StringIO(c.get(f"/operator/data/rejects/{link}").content.decode("utf-8-sig"))))
    assert [r["_line"] for r in rows] == ["8", "9"]

    kept = _upload(c, bad, mode="keep_valid")
    assert kept.status_code == 200 and 'id="survey-report"' in kept.text  # type: ignore[attr-defined]
    again = _upload(c, HEAD + good)  # the same rows again: nothing changes
    assert again.status_code == 200 and "변경 없는 응답 6건" in again.text  # type: ignore[attr-defined]

    page = c.get("/operator/analytics").text
    assert 'id="h-survey"' in page and "응답 기관 수" in page
    body = c.get("/api/analytics/status-survey", headers={"Accept": "application/json"}).json()
    (row,) = body["tables"]["by_org_kind"]["rows"]
    assert (row["organizations"], row["headcount_ai_research"], row["headcount_total"]) == (6, 21, 33)
    assert body["tables"]["hard_to_fill"]["rows"][0] == {"year": 2025, "rank": 1, "role": "data_science",
                                                         "organizations": 6}
    export = c.get("/api/analytics/status-survey?format=csv&table=by_org_kind")
    assert export.status_code == 200 and "21" in export.text
