"""Reports and documentation packs as background jobs (in-process runner): the browser's button starts the job,
its page shows the progress and then the download; the same request on the same data is one job; the file is
kept under the data dir and served only to operators and auditors; bad input is refused before any job."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from talentbridge.services.job_kinds import job_file_path
from talentbridge.services.job_queue import job_queue, reset_job_queues, submit_job
from talentbridge.services.jobs import JobService
from tests.services import analytics_data as data

WORLD: dict[str, Any] = {
    "orgs": [("ai_startup", "seoul")],
    "talents": [{"region": "seoul", "consent": True, "employer": None, "month": 2, "skills": {0: 3}}] * 7,
    "openings": [{"org": 0, "region": "seoul", "status": "open", "seats": 3, "month": 2, "skills": {0: 2}}],
    "rounds": [], "placements": [],
}


def _load(database: Any, talents: int = 7) -> None:
    world = {**WORLD, "talents": WORLD["talents"][:1] * talents}
    with database.session() as session:
        data.load(session, world, list(data.skill_pool(session)))


@pytest.fixture
def seeded(database: Any, settings: Any) -> Iterator[None]:
    reset_job_queues()
    _load(database)
    yield
    job_queue(database, settings).wait(60)
    reset_job_queues()


def test_the_report_button_starts_a_job_whose_page_offers_the_download(
    seeded: None, client_as: Any, database: Any, settings: Any
) -> None:
    auditor = client_as("auditor")
    page = auditor.get("/operator/analytics").text
    assert 'method="post" action="/operator/analytics/report"' in page
    r = auditor.post("/operator/analytics/report", data={"period": "2025-H1", "format": "xlsx"},
                     follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text[:300]
    job_url = r.headers["location"]
    assert re.fullmatch(r"/jobs/\d+", job_url)
    same = auditor.post("/operator/analytics/report", data={"period": "2025-H1", "format": "xlsx"},
                        follow_redirects=False)  # fmt: skip
    assert same.headers["location"] == job_url  # same request, same data: one job
    assert job_queue(database, settings).wait(120)
    done = auditor.get(job_url, headers={"Accept": "text/html"}).text
    assert "사업 보고서" in done and f'href="{job_url}/output"' in done and 'http-equiv="refresh"' not in done
    file = auditor.get(f"{job_url}/output")
    assert file.status_code == 200 and "spreadsheetml" in file.headers["content-type"]
    assert "programme-report-2025-H1.xlsx" in file.headers["content-disposition"]
    assert load_workbook(io.BytesIO(file.content)).sheetnames  # a whole workbook
    job_id = int(job_url.rsplit("/", 1)[1])
    kept = job_file_path(settings, job_id, "programme-report-2025-H1.xlsx")
    assert kept.is_file() and not kept.with_name(kept.name + ".tmp").exists()
    api = auditor.get(f"/api{job_url}").json()
    assert api["kind"] == "programme-report" and api["status"] == "done" and api["result"]["format"] == "xlsx"
    assert any(j["id"] == job_id for j in auditor.get("/api/jobs?kind=programme-report").json()["items"])
    talent = client_as("talent")
    assert talent.get(f"{job_url}/output").status_code in (403, 404)
    assert talent.post("/operator/analytics/report", data={"period": "2025-H1"}).status_code == 403


def test_a_new_report_after_a_change_of_the_data_is_a_new_job(
    seeded: None, client_as: Any, database: Any, settings: Any
) -> None:
    operator = client_as("operator")
    form = {"period": "2025", "format": "html"}
    first = operator.post("/operator/analytics/report", data=form, follow_redirects=False).headers["location"]
    assert job_queue(database, settings).wait(120)
    _load(database, talents=9)  # more data: the fingerprint changes
    second = operator.post("/operator/analytics/report", data=form, follow_redirects=False).headers["location"]
    assert second != first
    assert job_queue(database, settings).wait(120)
    html = operator.get(f"{second}/output")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("form", [{"period": "", "format": "xlsx"}, {"period": "2025", "format": "doc"},
                                  {"period": "2025", "programme_id": "x"}])  # fmt: skip
def test_bad_report_requests_are_refused_without_a_job(
    seeded: None, client_as: Any, database: Any, settings: Any, form: dict[str, str]
) -> None:
    r = client_as("operator").post("/operator/analytics/report", data=form, headers={"Accept": "application/json"})
    assert r.status_code == 422
    assert JobService(database, settings).list(kind="programme-report")[1] == 0


def test_a_report_job_with_a_bad_period_is_refused_at_submission(database: Any, settings: Any) -> None:
    from talentbridge.domain.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        submit_job(database, settings, "programme-report", {"period": "2025-13", "format": "pdf"})
    with pytest.raises(ValidationFailed):
        submit_job(database, settings, "ai-pack", {"period": "last year"})


def test_report_job_runs_in_process_and_writes_the_file_once(seeded: None, database: Any, settings: Any) -> None:
    job, created = submit_job(database, settings, "programme-report", {"period": "2025-Q1", "format": "pdf"},
                              key="report:test")  # fmt: skip
    assert created
    assert job_queue(database, settings).wait(120)
    done = JobService(database, settings).get(job.id)
    assert done.status == "done", done.error("en")
    path = job_file_path(settings, job.id, done.result["file"])
    assert path.read_bytes().startswith(b"%PDF")
    again, created = submit_job(database, settings, "programme-report", {"period": "2025-Q1", "format": "pdf"},
                                key="report:test")  # fmt: skip
    assert not created and again.id == job.id
    assert sorted(p.name for p in Path(path.parent).iterdir()) == [path.name]
