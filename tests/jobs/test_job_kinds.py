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


def test_an_infer_skills_job_reads_stored_records_and_refreshes_only_what_the_ai_inferred(
    sqlite_database: Database, tmp_path: Path
) -> None:
    from talentbridge.domain import TalentData
    from talentbridge.domain.errors import ValidationFailed
    from talentbridge.storage.repositories import Repositories

    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    old = {"level": 3, "source": "inferred", "confidence": 0.4}  # an earlier reading of the same text
    with sqlite_database.session() as session:
        repos = Repositories(session)
        bare = repos.talents.add(TalentData(name="a", resume_text="Python, PyTorch, Docker 기반 배포 경험"))
        stale = repos.talents.add(TalentData(name="b", resume_text="Skills: Python, Docker",
                                             skills=[{"skill_id": "excel", **old}]))  # fmt: skip
        stated = repos.talents.add(TalentData(name="c", resume_text="Skills: Python, Docker",
                                              skills=[{"skill_id": "sql", "level": 4}]))  # fmt: skip

    def run(params: dict[str, object]) -> dict[str, object]:
        job, _ = submit_job(sqlite_database, settings, "infer-skills", params)
        assert job_queue(sqlite_database, settings).wait(120)
        done = JobService(sqlite_database, settings).get(job.id)
        assert done.status == "done", done.error_en
        assert done.progress_total is None or done.progress_done == done.progress_total
        return done.result or {}

    def skills(talent_id: int) -> set[str]:
        with sqlite_database.session() as session:
            return {s.skill_id for s in Repositories(session).talents.get(talent_id).skills}

    assert run({}) == {"talents": 1, "openings": 0, "refresh": False}
    assert {"python", "pytorch", "docker"} <= skills(bare.id)
    assert skills(stale.id) == {"excel"}  # without refresh, a record that has skills is left alone
    assert run({"refresh": True})["talents"] == 1
    assert {"python", "docker"} <= skills(stale.id) and "excel" not in skills(stale.id)
    assert skills(stated.id) == {"sql"}  # what a person stated is never touched
    with pytest.raises(ValidationFailed):
        submit_job(sqlite_database, settings, "infer-skills", {"refresh": "yes"})
