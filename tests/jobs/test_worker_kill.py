"""A job worker killed with SIGKILL in the middle of an import and of a batch run, on real Redis and PostgreSQL:
after a restart the job completes once, nothing is half-written and nothing is lost.

Redis: ``TALENTBRIDGE_TEST_REDIS_URL`` (default redis://127.0.0.1:6379/13; the tests empty that Redis database).
Without a reachable Redis the tests are skipped, unless ``TALENTBRIDGE_REQUIRE_REDIS=1`` (set by ``.ci/run``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from talentbridge.config import Settings, build_settings
from talentbridge.services.job_queue import reset_job_queues, submit_import, submit_job
from talentbridge.services.jobs import Job, JobService
from talentbridge.storage import Database
from tests.conftest import PG_ADMIN_URL, _pg_reachable
from tests.jobs.helpers import count, talents_csv_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REDIS_URL = os.environ.get("TALENTBRIDGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
REQUIRE_REDIS = os.environ.get("TALENTBRIDGE_REQUIRE_REDIS") == "1"
ROOT = Path(__file__).resolve().parents[2]


def _redis() -> object:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        if REQUIRE_REDIS:
            pytest.fail(f"Redis is required (TALENTBRIDGE_REQUIRE_REDIS=1) but unreachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    return client


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Database]:
    """A fresh PostgreSQL database of its own (worker processes connect to it by URL)."""
    problem = _pg_reachable()
    if problem:
        if os.environ.get("TALENTBRIDGE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but unreachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    name = f"tb_jobs_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    db.upgrade()
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def queue_settings(pg: Database, tmp_path: Path) -> Iterator[Settings]:
    client = _redis()
    client.flushdb()  # type: ignore[attr-defined]
    reset_job_queues()
    settings = build_settings(
        environment="test", data_dir=tmp_path / "data", database_url=pg.url, queue_url=REDIS_URL,
        infer_skills=False, job_stale_seconds=3, job_heartbeat_seconds=0.5,
    )  # fmt: skip
    yield settings
    reset_job_queues()
    client.flushdb()  # type: ignore[attr-defined]


class Worker:
    """``talentbridge worker`` in a process of its own."""

    def __init__(self, settings: Settings, log: Path, **extra_env: str) -> None:
        env = {
            **os.environ,
            "TALENTBRIDGE_ENVIRONMENT": "test",
            "TALENTBRIDGE_DATABASE_URL": str(settings.database_url),
            "TALENTBRIDGE_DATA_DIR": str(settings.data_dir),
            "TALENTBRIDGE_QUEUE_URL": str(settings.queue_url),
            "TALENTBRIDGE_INFER_SKILLS": "false",
            "TALENTBRIDGE_JOB_STALE_SECONDS": str(settings.job_stale_seconds),
            "TALENTBRIDGE_JOB_HEARTBEAT_SECONDS": str(settings.job_heartbeat_seconds),
            "PYTHONPATH": str(ROOT / "src"),
            **extra_env,
        }
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from talentbridge.cli import main; main(['worker', '--threads', '1'])"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=str(log.parent),
        )  # fmt: skip

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        assert self.proc.returncode == -signal.SIGKILL

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _wait_for(svc: JobService, job_id: int, ok, what: str, timeout: float = 240.0) -> Job:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = svc.get(job_id)
        if ok(job):
            return job
        if job.finished and not ok(job):
            pytest.fail(f"job {job_id} finished ({job.status}: {job.error_en}) before {what}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}: {svc.get(job_id)}")


def test_kill_9_in_the_middle_of_an_import_then_restart_imports_every_row_once(
    pg: Database, queue_settings: Settings, tmp_path: Path
) -> None:
    n = 30_000
    job, _ = submit_import(pg, queue_settings, entity="talents", filename="talents.csv",
                           content=talents_csv_bytes(tmp_path, n), started_by_label="test")  # fmt: skip
    svc = JobService(pg, queue_settings)
    first = Worker(queue_settings, tmp_path / "worker.log")
    try:
        mid = _wait_for(svc, job.id, lambda j: j.progress_message == "write" and 0 < j.progress_done < n,
                        "the import to be writing rows")  # fmt: skip
        first.kill()
    finally:
        first.stop()
    # rows were written in the killed transaction: none of them may be in the database
    assert mid.status == "running" and mid.attempts == 1
    assert count(pg) == 0
    assert svc.get(job.id).status == "running"  # nobody knows yet that its worker is dead

    second = Worker(queue_settings, tmp_path / "worker.log")
    try:
        done = _wait_for(svc, job.id, lambda j: j.status == "done", "the import to finish after the restart")
    finally:
        second.stop()
    assert done.attempts == 2
    assert done.result["created"] == n and done.result["updated"] == 0 and done.result["rejected"] == 0
    assert count(pg) == n
    with pg.engine.connect() as conn:
        ids = {r[0] for r in conn.execute(text("SELECT external_id FROM talents"))}
    assert ids == {f"t{i:06d}" for i in range(1, n + 1)}
    assert svc.list()[1] == 1


def test_kill_9_in_the_middle_of_a_batch_run_then_restart_writes_every_shortlist_once(
    pg: Database, queue_settings: Settings, tmp_path: Path
) -> None:
    from talentbridge.demo import generate
    from talentbridge.services.demo_store import store_demo

    store_demo(pg, generate(talents=1500, orgs=60, seed=7, openings=1500))
    output = tmp_path / "out" / "shortlists.jsonl"
    job, _ = submit_job(pg, queue_settings, "recommend-batch",
                        {"direction": "talents-for-opening", "top": 10, "output": str(output)})  # fmt: skip
    svc = JobService(pg, queue_settings)
    first = Worker(queue_settings, tmp_path / "worker.log")
    try:
        mid = _wait_for(svc, job.id, lambda j: j.checkpoint is not None and j.progress_done < (j.progress_total or 0),
                        "the batch run to be past its first checkpoint")  # fmt: skip
        first.kill()
    finally:
        first.stop()
    assert not output.exists()  # the half-written run never shows as the output

    second = Worker(queue_settings, tmp_path / "worker.log")
    try:
        done = _wait_for(svc, job.id, lambda j: j.status == "done", "the batch run to finish after the restart")
    finally:
        second.stop()
    sources = mid.progress_total  # the open openings the run goes through
    assert done.attempts == 2 and done.result["sources"] == sources
    assert done.result["resumed_from"] >= 256 and done.result["resumed_from"] % 256 == 0  # from a checkpoint
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == sources
    assert len({line["source_id"] for line in lines}) == sources  # each opening once
    assert all(len(line["items"]) <= 10 for line in lines)
    assert not output.with_name(output.name + ".tmp").exists()


def test_kill_9_in_the_middle_of_a_report_then_restart_leaves_no_half_file_and_completes_once(
    pg: Database, queue_settings: Settings, tmp_path: Path
) -> None:
    from talentbridge.demo import generate
    from talentbridge.services.demo_store import store_demo
    from talentbridge.services.job_kinds import job_file_path

    store_demo(pg, generate(talents=1500, orgs=60, seed=7, openings=400))
    job, _ = submit_job(pg, queue_settings, "programme-report", {"period": "2026", "format": "pdf"},
                        key="report:kill")  # fmt: skip
    svc = JobService(pg, queue_settings)
    folder = job_file_path(queue_settings, job.id, "x").parent
    first = Worker(queue_settings, tmp_path / "worker.log")
    try:
        # the tables are counted; the PDF (charts, an embedded Korean font) is being made
        _wait_for(svc, job.id, lambda j: j.progress_message == "write", "the report to be writing its file")
        first.kill()
    finally:
        first.stop()
    assert not (folder / "programme-report-2026.pdf").exists()  # no half file under the final name
    assert svc.get(job.id).status == "running"

    second = Worker(queue_settings, tmp_path / "worker.log")
    try:
        done = _wait_for(svc, job.id, lambda j: j.status == "done", "the report to finish after the restart")
    finally:
        second.stop()
    assert done.attempts == 2
    assert sorted(p.name for p in folder.iterdir()) == ["programme-report-2026.pdf"]  # once, whole, no .tmp
    data = (folder / "programme-report-2026.pdf").read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    again, created = submit_job(pg, queue_settings, "programme-report", {"period": "2026", "format": "pdf"},
                                key="report:kill")  # fmt: skip
    assert not created and again.id == job.id and svc.list()[1] == 1


def _niceness(pid: int) -> int:
    # /proc/<pid>/stat: the 19th field is the nice value (the command name in parentheses may hold spaces)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])


@pytest.mark.parametrize(("step", "expected"), [("7", 7), ("0", 0)])
def test_a_worker_runs_at_the_configured_lower_cpu_priority(
    queue_settings: Settings, tmp_path: Path, step: str, expected: int
) -> None:
    log = tmp_path / "worker.log"
    worker = Worker(queue_settings, log, TALENTBRIDGE_JOB_NICE=step)
    try:
        deadline = time.monotonic() + 60
        while b"worker: jobs from" not in log.read_bytes():
            assert worker.proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        assert _niceness(worker.proc.pid) == min(19, os.nice(0) + expected)
        assert f"(nice {min(19, os.nice(0) + expected)})" in log.read_text()
    finally:
        worker.stop()
