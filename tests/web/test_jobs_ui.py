"""Jobs in the browser and the API: an operator imports a file as a background job and follows it on its page; the
API lists and shows jobs; people who did not start a job do not see it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.services.job_queue import job_queue, reset_job_queues
from talentbridge.storage import Database
from talentbridge.web.app import create_app
from tests.conftest import make_account
from tests.jobs.helpers import count, talents_csv_bytes


@pytest.fixture
def world(tmp_path: Path, database: Database) -> Iterator[tuple[object, Database, object]]:
    reset_job_queues()
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url,
                              infer_skills=False)  # fmt: skip
    yield create_app(settings, database), database, settings
    job_queue(database, settings).wait(60)
    reset_job_queues()


def _client(app: object, database: Database, role: str, **headers: str) -> TestClient:
    _, token = make_account(database, role)
    return TestClient(app, headers={"Authorization": f"Bearer {token}", **headers})  # type: ignore[arg-type]


def test_an_import_run_as_a_background_job_is_followed_on_its_page(
    world: tuple[object, Database, object], tmp_path: Path
) -> None:
    app, db, settings = world
    with _client(app, db, "operator", Accept="text/html") as c:
        page = c.get("/operator/data")
        assert 'name="background"' in page.text and "백그라운드 작업으로 실행" in page.text
        r = c.post("/operator/data/import", data={"entity": "talents", "mode": "atomic", "background": "1"},
                   files={"file": ("people.csv", talents_csv_bytes(tmp_path, 25), "text/csv")},
                   follow_redirects=False)  # fmt: skip
        assert r.status_code == 303
        job_url = r.headers["location"]
        assert re.fullmatch(r"/jobs/\d+", job_url)
        assert job_queue(db, settings).wait(120)  # type: ignore[arg-type]
        done = c.get(job_url)
        assert done.status_code == 200
        assert "파일 가져오기" in done.text and "완료" in done.text
        assert 'http-equiv="refresh"' not in done.text  # finished: the page stops refreshing
        assert 'hx-trigger="every 3s"' not in c.get("/jobs").text  # and so does the list
        assert "새로 만든 행: 25" in done.text
        listed = c.get("/jobs")
        assert job_url in listed.text and "<progress" in listed.text
        api = c.get(f"/api{job_url}", headers={"Accept": "application/json"}).json()
    assert api["status"] == "done" and api["result"]["created"] == 25 and api["progress"]["percent"] == 100
    assert count(db) == 25


def test_a_running_job_page_refreshes_and_shows_its_progress(world: tuple[object, Database, object]) -> None:
    app, db, settings = world
    from talentbridge.services.jobs import JobService

    svc = JobService(db, settings)  # type: ignore[arg-type]
    job, _ = svc.submit("reindex", {})  # recorded, not run: nothing in this process picks it up
    claimed = svc.claim(job.id, "elsewhere")
    assert claimed is not None
    svc.progress(job.id, claimed.attempts, 40, 160, "index")
    with _client(app, db, "operator", Accept="text/html") as c:
        page = c.get(f"/jobs/{job.id}")
        listed = c.get("/jobs?status=running")
    assert 'http-equiv="refresh"' in page.text
    assert '<progress max="100" value="25"' in page.text and "40 / 160" in page.text
    assert 'action="/jobs/' in page.text and "csrf_token" in page.text  # the cancel button
    # the list fetches only itself again while a job runs: the start form above it keeps what is being typed
    assert 'http-equiv="refresh"' not in listed.text
    polled = re.search(r'<div id="jobs-list" hx-get="([^"]+)" hx-trigger="every 3s" hx-select="#jobs-list"', listed.text)
    assert polled is not None and polled.group(1) == "/jobs?status=running"


def test_people_see_only_the_jobs_they_started(world: tuple[object, Database, object]) -> None:
    app, db, settings = world
    with _client(app, db, "operator", Accept="application/json") as op:
        started = op.post("/api/jobs", json={"kind": "fairness-audit", "params": {"top": 5}, "key": "audit-1"})
        assert started.status_code == 202
        job_id = started.json()["id"]
        again = op.post("/api/jobs", json={"kind": "fairness-audit", "params": {"top": 5}, "key": "audit-1"})
        assert again.json()["id"] == job_id  # the same key: the same job
        bad = op.post("/api/jobs", json={"kind": "import", "params": {}})
        assert bad.status_code == 422
    assert job_queue(db, settings).wait(120)  # type: ignore[arg-type]
    with _client(app, db, "talent", Accept="application/json") as talent:
        assert talent.get("/api/jobs").json()["total"] == 0
        assert talent.get(f"/api/jobs/{job_id}").status_code == 404
        assert talent.post("/api/jobs", json={"kind": "reindex"}).status_code == 403
    with _client(app, db, "auditor", Accept="application/json") as auditor:
        assert [j["id"] for j in auditor.get("/api/jobs").json()["items"]] == [job_id]
