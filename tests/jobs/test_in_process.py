"""Jobs without a broker: a thread pool in the submitting process; the job table records status, progress, result
and error; a key submits the same work once; a stale running job is taken over; ``serve`` re-submits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from talentbridge.config import Settings, build_settings
from talentbridge.domain.errors import ValidationFailed
from talentbridge.services import data_transfer
from talentbridge.services.job_queue import job_queue, reset_job_queues, resubmit_unfinished, run_job, submit_job
from talentbridge.services.jobs import JobService
from talentbridge.storage import Database
from talentbridge.storage.job_tables import JobRow
from tests.jobs.helpers import count, talents_csv_bytes


@pytest.fixture(autouse=True)
def _fresh_queues() -> None:
    reset_job_queues()


def _import_job(db: Database, settings: Settings, content: bytes, key: str | None = None, skip: bool = False):  # type: ignore[no-untyped-def]
    report, token = data_transfer.save_upload(settings, entity="talents", filename="people.csv", content=content,
                                              skip_invalid=skip)  # fmt: skip
    assert token is not None
    params = {"entity": "talents", "token": token, "filename": report.filename, "skip_invalid": skip}
    return submit_job(db, settings, "import", params, key=key)


def test_an_import_job_runs_in_process_and_records_its_result(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    job, created = _import_job(database, settings, talents_csv_bytes(tmp_path, 40))
    assert created and job.status == "queued"
    assert job_queue(database, settings).wait(120)
    done = JobService(database, settings).get(job.id)
    assert done.status == "done", done.error_en
    assert done.result["created"] == 40 and done.result["rejected"] == 0
    assert done.attempts == 1 and done.finished_at is not None
    assert done.percent == 100
    assert count(database) == 40


def test_a_rejected_import_fails_with_korean_and_english_reasons_and_writes_nothing(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    job, _ = _import_job(database, settings, talents_csv_bytes(tmp_path, 30, bad_at=7))
    assert job_queue(database, settings).wait(120)
    failed = JobService(database, settings).get(job.id)
    assert failed.status == "failed"
    assert "1 of 30 rows" in failed.error_en
    assert "30행 중 1행" in failed.error_ko
    assert failed.result["rejected"] == 1 and failed.result["problems"][0]["line"] == 8
    assert count(database) == 0


def test_the_same_key_submits_the_work_once(database: Database, settings: Settings, tmp_path: Path) -> None:
    content = talents_csv_bytes(tmp_path, 5)
    first, created = _import_job(database, settings, content, key="import:people")
    second, again = _import_job(database, settings, content, key="import:people")
    assert created and not again and second.id == first.id
    assert job_queue(database, settings).wait(120)
    jobs, total = JobService(database, settings).list()
    assert total == 1 and jobs[0].status == "done"
    assert count(database) == 5


def test_bad_kinds_and_parameters_are_all_reported(database: Database, settings: Settings) -> None:
    with pytest.raises(ValidationFailed) as bad:
        submit_job(database, settings, "recommend-batch", {"direction": "sideways", "top": 0})
    assert {p.loc for p in bad.value.problems} == {("params", "direction"), ("params", "top")}
    with pytest.raises(ValidationFailed):
        submit_job(database, settings, "launch-rockets", {})
    assert JobService(database, settings).list()[1] == 0


def test_a_job_runs_once_however_often_its_message_arrives(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    report, token = data_transfer.save_upload(settings, entity="talents", filename="p.csv",
                                              content=talents_csv_bytes(tmp_path, 3))  # fmt: skip
    svc = JobService(database, settings)
    job, _ = svc.submit("import", {"entity": "talents", "token": token, "filename": report.filename})
    assert run_job(database, settings, job.id, "w1") == "done"
    assert run_job(database, settings, job.id, "w2") == "skipped"
    assert svc.get(job.id).attempts == 1


def test_a_running_job_whose_worker_died_is_taken_over_and_one_still_beating_is_not(
    database: Database, tmp_path: Path, settings: Settings
) -> None:
    quick = build_settings(environment="test", data_dir=settings.data_dir, database_url=database.url,
                           job_stale_seconds=30)  # fmt: skip
    svc = JobService(database, quick)
    report, token = data_transfer.save_upload(quick, entity="talents", filename="p.csv",
                                              content=talents_csv_bytes(tmp_path, 4))  # fmt: skip
    job, _ = svc.submit("import", {"entity": "talents", "token": token, "filename": report.filename})
    assert svc.claim(job.id, "dead-worker") is not None  # it claimed the job, then died
    assert svc.claim(job.id, "w2") is None  # its heartbeat is fresh: nobody takes it
    with database.session() as session:
        session.execute(update(JobRow).where(JobRow.id == job.id).values(
            heartbeat_at=datetime.now(UTC) - timedelta(seconds=31), enqueued_at=datetime.now(UTC) - timedelta(seconds=31)))  # fmt: skip
    assert svc.overdue() == [job.id]
    assert run_job(database, quick, job.id, "w2") == "done"
    again = svc.get(job.id)
    assert again.status == "done" and again.attempts == 2
    assert count(database) == 4


def test_a_job_whose_workers_keep_dying_fails_after_the_last_attempt(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    quick = build_settings(environment="test", data_dir=settings.data_dir, database_url=database.url,
                           job_max_attempts=2)  # fmt: skip
    svc = JobService(database, quick)
    job, _ = svc.submit("reindex", {})
    for _ in range(2):
        assert svc.claim(job.id, "doomed") is not None
        with database.session() as session:
            session.execute(update(JobRow).where(JobRow.id == job.id).values(heartbeat_at=None))
    assert svc.claim(job.id, "doomed") is None
    failed = svc.get(job.id)
    assert failed.status == "failed" and "2" in failed.error_en and "워커" in failed.error_ko


def test_serve_resubmits_jobs_an_earlier_process_left_unfinished(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    svc = JobService(database, settings)
    report, token = data_transfer.save_upload(settings, entity="talents", filename="p.csv",
                                              content=talents_csv_bytes(tmp_path, 6))  # fmt: skip
    # recorded by a process that stopped before running it (never put in any pool of this process)
    job, _ = svc.submit("import", {"entity": "talents", "token": token, "filename": report.filename})
    assert resubmit_unfinished(database, settings) == [job.id]
    assert job_queue(database, settings).wait(120)
    assert svc.get(job.id).status == "done"
    assert count(database) == 6


def test_a_cancelled_job_stops_and_its_key_can_be_submitted_again(database: Database, settings: Settings) -> None:
    svc = JobService(database, settings)
    job, _ = svc.submit("reindex", {}, key="nightly-reindex")
    assert svc.cancel(job.id).status == "cancelled"
    assert run_job(database, settings, job.id, "w") == "skipped"
    again, created = svc.submit("reindex", {}, key="nightly-reindex")
    assert created and again.id == job.id and again.status == "queued"


def test_the_app_at_start_runs_jobs_an_earlier_server_left_queued(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from talentbridge.web.app import create_app

    svc = JobService(database, settings)
    report, token = data_transfer.save_upload(settings, entity="talents", filename="p.csv",
                                              content=talents_csv_bytes(tmp_path, 7))  # fmt: skip
    job, _ = svc.submit("import", {"entity": "talents", "token": token, "filename": report.filename})
    with TestClient(create_app(settings, database)):  # the lifespan: what `serve` does at start
        assert job_queue(database, settings).wait(120)
    assert svc.get(job.id).status == "done"
    assert count(database) == 7
