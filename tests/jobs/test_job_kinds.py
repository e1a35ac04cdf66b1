"""Round runs, retention and text encoding as jobs (in-process)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from talentbridge.config import Settings, build_settings
from talentbridge.services.job_queue import job_queue, reset_job_queues, route_text_encoding, submit_job
from talentbridge.services.jobs import JobService
from talentbridge.storage import Database
from tests.services.test_rounds import NOW, _collecting, _submit_talent_lists, _svc, _world


@pytest.fixture(autouse=True)
def _fresh_queues() -> None:
    reset_job_queues()


def test_a_round_run_job_stores_the_run_and_marks_the_round_matched(database: Database, settings: Settings) -> None:
    world = _world(database)
    rid = _collecting(database, world, NOW + timedelta(days=7))
    _submit_talent_lists(database, world)
    with database.session() as s:
        svc = _svc(s)
        svc.close(rid)
        svc.generate_organization_rankings(rid, actor="operator")
    job, _ = submit_job(database, settings, "round-run", {"round_id": rid, "by": "operator"})
    assert job_queue(database, settings).wait(120)
    done = JobService(database, settings).get(job.id)
    assert done.status == "done", done.error_en
    with database.session() as s:
        assert _svc(s).get(rid).status.value == "matched"
        assert _svc(s).get_run(rid, done.result["run_id"]).created_by == "operator"


def test_a_round_run_job_that_cannot_run_fails_in_both_languages_and_stores_nothing(
    database: Database, settings: Settings
) -> None:
    world = _world(database)
    rid = _collecting(database, world, NOW + timedelta(days=7))  # still collecting: cannot run
    job, _ = submit_job(database, settings, "round-run", {"round_id": rid})
    assert job_queue(database, settings).wait(120)
    failed = JobService(database, settings).get(job.id)
    assert failed.status == "failed" and failed.error_en and failed.error_ko.startswith("작업이 실패했습니다")
    with database.session() as s:
        assert _svc(s).get(rid).status.value == "collecting"


def test_a_retention_job_records_what_it_did(sqlite_database: Database, tmp_path: Path) -> None:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    job, _ = submit_job(sqlite_database, settings, "privacy-retention", {"dry_run": True})
    assert job_queue(sqlite_database, settings).wait(120)
    done = JobService(sqlite_database, settings).get(job.id)
    assert done.status == "done", done.error_en
    assert done.result["talents"] == [] and "inactive_before" in done.result


def test_with_a_queue_texts_left_over_by_a_request_go_to_one_encode_job(
    sqlite_database: Database, tmp_path: Path
) -> None:
    from talentbridge.services.text_embeddings import TextEmbeddings, text_embeddings_for

    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url,
                              queue_url="redis://127.0.0.1:6379/13", model_cache_dir=tmp_path / "cache")  # fmt: skip
    sent: list[int] = []

    class FakeQueue:
        def enqueue(self, job_id: int) -> None:
            sent.append(job_id)

    from talentbridge.services import job_queue as jq

    jq._queues[(id(sqlite_database), settings.queue_url)] = FakeQueue()
    assert route_text_encoding(sqlite_database, settings)
    text: TextEmbeddings = text_embeddings_for(settings)
    try:
        text._submit("talents", np.array([1, 2], dtype=np.uint64), ["a", "b"])
        text._submit("openings", np.array([3], dtype=np.uint64), ["c"])  # within the debounce: no second job
        assert text._worker is None and not text._queued  # no thread in this process
        jobs, total = JobService(sqlite_database, settings).list()
        assert total == 1 and jobs[0].kind == "encode-texts" and jobs[0].key == "encode-texts:pending"
        assert sent == [jobs[0].id]
    finally:
        text.background = None
