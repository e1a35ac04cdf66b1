"""The talent index as versioned file sets: atomic publication, a crash mid-publish, garbage collection, and a
rebuild in one process picked up by another (by the pointer poll; on PostgreSQL by the change bus alone)."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from talentbridge.config import Settings, build_settings
from talentbridge.domain import SkillClaim, TalentData
from talentbridge.services.index_versions import STALE_BUILD_SECONDS, IndexVersions
from talentbridge.services.recommend import RecommendService
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories

pytestmark = pytest.mark.usefixtures("fresh_indexes")


def _write(text: str):
    def write(folder: Path) -> None:
        (folder / "data.txt").write_text(text)

    return write


def test_publish_makes_a_whole_version_current_and_a_failed_one_never(tmp_path):
    versions = IndexVersions(tmp_path / "ix")
    assert versions.current() is None
    assert versions.publish(_write("one")) == "v000001"
    assert versions.publish(_write("two"), meta={"talents": 2}) == "v000002"
    assert versions.current() == "v000002"
    assert (versions.path("v000002") / "data.txt").read_text() == "two"
    assert versions.info("v000002")["meta"] == {"talents": 2}

    def broken(folder: Path) -> None:
        (folder / "data.txt").write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        versions.publish(broken)
    assert versions.current() == "v000002"
    assert versions.names() == ["v000001", "v000002"]
    assert not list((tmp_path / "ix").glob(".build-*"))  # the half-written folder went


CRASH = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from talentbridge.services.index_versions import IndexVersions

    def write(folder):
        (folder / "data.txt").write_text("half")
        print("writing", flush=True)
        time.sleep(60)  # killed here

    IndexVersions(Path(sys.argv[1])).publish(write)
    """
)


def test_a_publisher_killed_mid_write_leaves_the_previous_version_current(tmp_path):
    versions = IndexVersions(tmp_path / "ix")
    versions.publish(_write("good"))
    proc = subprocess.Popen([sys.executable, "-c", CRASH, str(versions.root)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": "src"})
    try:
        assert proc.stdout.readline().strip() == "writing"  # type: ignore[union-attr]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.stdout.close()  # type: ignore[union-attr]
    assert versions.current() == "v000001"
    assert (versions.path("v000001") / "data.txt").read_text() == "good"
    assert len(list(versions.root.glob(".build-*"))) == 1  # not current, never read
    assert versions.publish(_write("next")) == "v000002"  # the next publisher is not blocked (lock died with it)
    versions.collect_garbage(now=time.time() + STALE_BUILD_SECONDS + 60)
    assert not list(versions.root.glob(".build-*"))


def test_superseded_versions_go_after_the_grace_period_and_all_at_once_for_an_erasure(tmp_path):
    versions = IndexVersions(tmp_path / "ix", grace_seconds=100)
    for text in ("a", "b", "c"):
        versions.publish(_write(text))
    assert versions.names() == ["v000001", "v000002", "v000003"]  # within the grace period: all kept
    now = time.time()
    assert versions.collect_garbage(now=now + 50) == []
    assert versions.collect_garbage(now=now + 101) == ["v000001", "v000002"]
    versions.publish(_write("d"))
    assert versions.collect_garbage(keep_older=False) == ["v000003"]
    assert versions.names() == ["v000004"] and versions.current() == "v000004"


def _talent(name: str) -> TalentData:
    return TalentData(name=name, external_id=name, region="seoul", consent_visible=True,
                      employment_types=["full_time"], skills=[SkillClaim(skill_id="python", level=4)])


def _add(db: Database, *names: str) -> None:
    with db.session() as session:
        repos = Repositories(session)
        for n in names:
            repos.talents.add(_talent(n))


WATCHER = textwrap.dedent(
    """
    import json, sys
    from talentbridge.config import build_settings
    from talentbridge.services import talent_index_versions
    from talentbridge.services.recommend import RecommendService
    from talentbridge.storage import Database

    settings = build_settings(environment="test", data_dir=sys.argv[1], database_url=sys.argv[2], infer_skills=False)
    if sys.argv[3] == "bus-only":
        talent_index_versions.POINTER_CHECK_SECONDS = 1e9  # only a change-bus message can make it look at the pointer
    db = Database(sys.argv[2])
    for line in sys.stdin:
        if line.strip() != "look":
            break
        with db.session() as session:
            svc = RecommendService(settings, session)
            svc.talent_index.sync_interval = 3600  # as the API does, but never re-compare with the table here
            idx = svc.talent_index.index()
            print(json.dumps({"version": svc.talent_index.version, "talents": len(idx)}), flush=True)
    db.dispose()
    """
)


def _watch_rebuild(settings: Settings, db: Database, mode: str) -> None:
    _add(db, "a", "b")
    with db.session() as session:
        first = RecommendService(settings, session).rebuild_index()["version"]
    proc = subprocess.Popen(
        [sys.executable, "-c", WATCHER, str(settings.data_dir), db.url, mode], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": "src"},
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]

    def look() -> dict:
        proc.stdin.write("look\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        return json.loads(lines.get(timeout=60))

    try:
        assert look() == {"version": first, "talents": 2}
        if mode == "bus-only":
            from talentbridge.services.change_bus import change_bus_for

            time.sleep(0.5)  # let the watcher's listener subscribe (it subscribed on its first look)
            assert change_bus_for(settings).kind == "postgres"
        _add(db, "c")
        with db.session() as session:
            second = RecommendService(settings, session).rebuild_index()["version"]
        assert second != first
        deadline = time.monotonic() + 5.0  # the promise: every worker answers from the new version within 5 s
        seen = look()
        while seen["version"] != second and time.monotonic() < deadline:
            time.sleep(0.1)
            seen = look()
        assert seen == {"version": second, "talents": 3}
    finally:
        proc.stdin.close()  # type: ignore[union-attr]
        proc.wait(timeout=20)
        proc.stdout.close()  # type: ignore[union-attr]


def test_a_rebuild_in_one_process_is_picked_up_by_another(tmp_path, database):
    """SQLite (no shared bus): by reading the pointer within the poll window. PostgreSQL: with pointer polling
    switched off in the other process, only the change bus's NOTIFY can tell it."""
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url,
                              infer_skills=False)
    _watch_rebuild(settings, database, "bus-only" if database.url.startswith("postgresql") else "poll")


def test_a_new_version_drops_the_talents_for_opening_lists_kept_in_this_process(tmp_path, sqlite_database):
    """Lists drawn from the old version are dropped at the ``index.talents`` message; openings-for-talent lists
    are not drawn from the index and stay."""
    from talentbridge.services import recommend_cache
    from talentbridge.services.change_bus import change_bus_for
    from talentbridge.services.talent_index_state import TOPIC, _watch

    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url,
                              infer_skills=False)
    recommend_cache.clear()
    version = recommend_cache.DataVersion(stamps=(1,), taxonomy_version=None, newest=None)
    drawn, other = ("talents_for_opening", 1), ("openings_for_talent", 1)
    recommend_cache.cached_list(drawn, version, lambda: [1, 2])
    recommend_cache.cached_list(other, version, lambda: [4])
    assert recommend_cache.stats()["entries"] == 2
    _watch(settings)
    _watch(settings)  # subscribes once
    change_bus_for(settings).publish(TOPIC, {"version": "v000009"})
    assert recommend_cache.stats()["entries"] == 1
    assert recommend_cache.cached_list(drawn, version, lambda: [3])[0] == [3]  # computed again
    assert recommend_cache.cached_list(other, version, lambda: [5])[0] == [4]  # kept
