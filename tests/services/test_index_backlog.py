"""A request never brings a large backlog into the talent index itself: it answers from the loaded version and
submits one ``reindex`` job (in-process queue here); small backlogs are still synced at once; a new version is
loaded outside the process-wide lock."""

from __future__ import annotations

import threading
import time

import pytest

from talentbridge.config import Settings, build_settings
from talentbridge.domain import SkillClaim, TalentData
from talentbridge.services import talent_index, talent_index_state
from talentbridge.services.change_bus import close_change_buses
from talentbridge.services.job_queue import job_queue, reset_job_queues, route_reindex
from talentbridge.services.jobs import JobService
from talentbridge.services.recommend import RecommendService, reset_indexes
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories


@pytest.fixture(autouse=True)
def _fresh():
    reset_indexes()
    reset_job_queues()
    yield
    reset_indexes()
    close_change_buses()


def _settings(tmp_path, db: Database) -> Settings:
    return build_settings(environment="test", data_dir=tmp_path / "data", database_url=db.url, infer_skills=False)


def _add(db: Database, prefix: str, n: int) -> None:
    with db.session() as session:
        repos = Repositories(session)
        for i in range(n):
            repos.talents.add(TalentData(name=f"{prefix}{i}", external_id=f"{prefix}{i}", region="seoul",
                                         consent_visible=True, employment_types=["full_time"],
                                         skills=[SkillClaim(skill_id="python", level=4)]))  # fmt: skip


def _look(settings: Settings, db: Database) -> tuple[str | None, int, int]:
    """What a request sees: (version, talents in the index, talents it is behind by)."""
    with db.session() as session:
        svc = RecommendService(settings, session).talent_index
        idx = svc.index()
        return svc.version, len(idx), svc.behind


def _reindex_jobs(db: Database, settings: Settings) -> list:
    return JobService(db, settings).list(kind="reindex")[0]


def test_a_large_backlog_is_left_to_one_reindex_job_and_the_request_answers_from_the_loaded_version(
    tmp_path, database, monkeypatch
):
    settings = _settings(tmp_path, database)
    _add(database, "a", 3)
    with database.session() as session:
        first = RecommendService(settings, session).rebuild_index()["version"]
    route_reindex(database, settings)
    monkeypatch.setattr(talent_index, "REQUEST_BACKLOG", 5)
    gate = threading.Event()
    real_rebuild = talent_index.TalentIndexService.rebuild_index

    def held_rebuild(self, progress=None):  # the job waits until the requests below have been answered
        assert gate.wait(60)
        return real_rebuild(self, progress)

    monkeypatch.setattr(talent_index.TalentIndexService, "rebuild_index", held_rebuild)

    def no_sync(self, idx, deletions=True):
        raise AssertionError("a request synced a large backlog itself")

    _add(database, "b", 8)  # 8 > 5: more than a request brings in
    with monkeypatch.context() as m:
        m.setattr(talent_index.TalentIndexService, "_sync", no_sync)
        for _ in range(3):  # every request answers from the loaded version; one job however many ask
            assert _look(settings, database) == (first, 3, 8)
    jobs = _reindex_jobs(database, settings)
    assert len(jobs) == 1 and jobs[0].key == f"reindex:after:{first}"
    gate.set()
    assert job_queue(database, settings).wait(120)
    done = JobService(database, settings).get(jobs[0].id)
    assert done.status == "done", done.error_en
    assert done.result["talents"] == 11
    version, talents, behind = _look(settings, database)
    assert (version, talents, behind) == (done.result["version"], 11, 0)
    assert len(_reindex_jobs(database, settings)) == 1


def test_a_small_backlog_is_still_synced_inside_the_request(tmp_path, sqlite_database, monkeypatch):
    settings = _settings(tmp_path, sqlite_database)
    _add(sqlite_database, "a", 3)
    with sqlite_database.session() as session:
        first = RecommendService(settings, session).rebuild_index()["version"]
    route_reindex(sqlite_database, settings)
    monkeypatch.setattr(talent_index, "REQUEST_BACKLOG", 5)
    _add(sqlite_database, "b", 4)
    assert _look(settings, sqlite_database) == (first, 7, 0)
    assert _reindex_jobs(sqlite_database, settings) == []


def test_without_a_submitter_every_change_is_synced(tmp_path, sqlite_database, monkeypatch):
    """The CLI and job workers register none: they bring the index fully up to date, however large the backlog."""
    settings = _settings(tmp_path, sqlite_database)
    _add(sqlite_database, "a", 2)
    with sqlite_database.session() as session:
        RecommendService(settings, session).rebuild_index()
    monkeypatch.setattr(talent_index, "REQUEST_BACKLOG", 1)
    _add(sqlite_database, "b", 6)
    assert _look(settings, sqlite_database)[1:] == (8, 0)
    assert _reindex_jobs(sqlite_database, settings) == []


def test_a_new_version_is_read_outside_the_process_lock(tmp_path, sqlite_database, monkeypatch):
    """While another version is read from disk (held here), requests still answer from the loaded one; the swap
    follows once the read is done."""
    settings = _settings(tmp_path, sqlite_database)
    _add(sqlite_database, "a", 2)
    with sqlite_database.session() as session:
        svc = RecommendService(settings, session).talent_index
        first = svc.rebuild_index()["version"]
        _add(sqlite_database, "b", 1)
        idx, texts = svc._build(budget=None)
        second = svc.versions.publish(lambda folder: _save(idx, texts, folder, svc))
    talent_index_state._versions[svc.key] = first  # this process still has the first one loaded
    talent_index_state._pointer_checked.clear()
    reading, release = threading.Event(), threading.Event()
    real_read = talent_index.TalentIndexService._read_version

    def slow_read(self, name, graph=None):
        reading.set()
        assert release.wait(60)
        return real_read(self, name, graph)

    monkeypatch.setattr(talent_index.TalentIndexService, "_read_version", slow_read)
    assert _look(settings, sqlite_database)[0] == first  # starts the read in the background
    assert reading.wait(30)
    assert talent_index_state._lock.acquire(timeout=5)  # the reader does not hold the process lock
    talent_index_state._lock.release()
    talent_index_state._pointer_checked.clear()
    assert _look(settings, sqlite_database)[0] == first  # still answering, from the loaded version
    release.set()
    deadline = time.monotonic() + 30
    while talent_index_state._versions.get(svc.key) != second and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _look(settings, sqlite_database)[:2] == (second, 3)


def _save(idx, texts, folder, svc) -> None:
    import copy
    import json

    lean = copy.copy(idx)
    lean.columns = copy.copy(idx.columns)
    lean.columns.embeddings = None
    lean.save(folder)
    texts.save(folder)
    (folder / "sync.json").write_text(json.dumps({**svc._signature(), "synced_at": "2026-01-01T00:00:00+00:00"}))


def test_a_change_bus_message_starts_reading_the_new_version_before_any_request(tmp_path, sqlite_database):
    from talentbridge.services.change_bus import change_bus_for

    settings = _settings(tmp_path, sqlite_database)
    _add(sqlite_database, "a", 2)
    with sqlite_database.session() as session:
        svc = RecommendService(settings, session).talent_index
        first = svc.rebuild_index()["version"]
    _add(sqlite_database, "b", 1)
    with sqlite_database.session() as session:
        svc = RecommendService(settings, session).talent_index
        idx, texts = svc._build(budget=None)
        second = svc.versions.publish(lambda folder: _save(idx, texts, folder, svc))
    talent_index_state._versions[svc.key] = first  # as if another process had published the second one
    talent_index_state._pointer_checked[svc.key] = time.monotonic() + 1e9  # the pointer is not polled here
    assert _look(settings, sqlite_database)[0] == first  # a request registers how to load (the skill graph)
    change_bus_for(settings).publish(talent_index_state.TOPIC, {"version": second})
    deadline = time.monotonic() + 30
    while talent_index_state._versions.get(svc.key) != second and time.monotonic() < deadline:
        time.sleep(0.05)
    assert talent_index_state._versions.get(svc.key) == second  # no request came in between
    assert len(talent_index_state._indexes[svc.key]) == 3


def _opening(db: Database) -> int:
    from talentbridge.domain import OpeningData, OrganizationData
    from talentbridge.domain.opening import RequiredSkill

    with db.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="비전랩", kind="ai_startup", region="seoul"))
        opening = repos.openings.add(OpeningData(organization_id=org.id, kind="job", title="비전 엔지니어", status="open",
                                                 region="seoul",
                                                 required_skills=[RequiredSkill(skill_id="python")]))  # fmt: skip
        return opening.id


def test_lists_say_how_many_talents_the_answering_index_lacks_until_the_reindex_job_is_done(
    tmp_path, sqlite_database, monkeypatch
):
    settings = _settings(tmp_path, sqlite_database)
    opening_id = _opening(sqlite_database)
    _add(sqlite_database, "a", 3)
    with sqlite_database.session() as session:
        RecommendService(settings, session).rebuild_index()
    route_reindex(sqlite_database, settings)
    monkeypatch.setattr(talent_index, "REQUEST_BACKLOG", 5)
    gate = threading.Event()
    real_rebuild = talent_index.TalentIndexService.rebuild_index

    def held_rebuild(self, progress=None):
        assert gate.wait(60)
        return real_rebuild(self, progress)

    monkeypatch.setattr(talent_index.TalentIndexService, "rebuild_index", held_rebuild)
    with sqlite_database.session() as session:
        before = RecommendService(settings, session).talents_for_opening(opening_id, 20)
    assert before["index_behind"] == 0 and len(before["items"]) == 3
    _add(sqlite_database, "b", 8)
    for interval in (0, 3600):  # the first request compares with the table; the second is answered within the
        with sqlite_database.session() as session:  # sync interval, from the process's kept state
            service = RecommendService(settings, session)
            service.talent_index.sync_interval = interval
            result = service.talents_for_opening(opening_id, 20)
        assert result["index_behind"] == 8
        assert len(result["items"]) == 3  # the new talents are not in the loaded version yet
    gate.set()
    assert job_queue(sqlite_database, settings).wait(120)
    with sqlite_database.session() as session:
        after = RecommendService(settings, session).talents_for_opening(opening_id, 20)
    assert after["index_behind"] == 0 and len(after["items"]) == 11
