"""The change bus: in-process delivery, and messages crossing processes on Redis pub/sub and PostgreSQL NOTIFY.

The cross-process tests start a second Python process that subscribes and echoes what it receives, and publish
from this one (and the other way round).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from talentbridge.config import build_settings
from talentbridge.services.change_bus import (
    LocalChangeBus,
    PostgresChangeBus,
    RedisChangeBus,
    bus_address,
    change_bus_for,
    close_change_buses,
)

REDIS_URL = os.environ.get("TALENTBRIDGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
REQUIRE_REDIS = os.environ.get("TALENTBRIDGE_REQUIRE_REDIS") == "1"

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from talentbridge.config import build_settings
    from talentbridge.services.change_bus import change_bus_for

    settings = build_settings(environment="test", data_dir=sys.argv[1], database_url=sys.argv[2],
                              queue_url=sys.argv[3] or None)
    bus = change_bus_for(settings)
    bus.subscribe("index.talents", lambda t, p: print(json.dumps({"topic": t, "payload": p}), flush=True))
    bus.listening.wait(10)
    print("ready", flush=True)
    for line in sys.stdin:                       # "publish <version>" from the parent, or "quit"
        if line.startswith("publish"):
            bus.publish("index.talents", {"version": line.split()[1], "from": "child"})
        else:
            break
    bus.close()
    """
)


@pytest.fixture(autouse=True)
def _close_buses():
    yield
    close_change_buses()


def test_local_bus_calls_subscribers_of_the_topic_before_publish_returns():
    bus = LocalChangeBus()
    got: list[tuple[str, dict]] = []
    every: list[str] = []
    stop = bus.subscribe("index.talents", lambda t, p: got.append((t, p)))
    bus.subscribe("*", lambda t, p: every.append(t))
    bus.subscribe("taxonomy", lambda t, p: 1 / 0)  # a broken subscriber is logged, the others still hear
    bus.publish("index.talents", {"version": "v000002"})
    bus.publish("taxonomy")
    assert got == [("index.talents", {"version": "v000002"})]
    assert every == ["index.talents", "taxonomy"]
    stop()
    bus.publish("index.talents", {"version": "v000003"})
    assert len(got) == 1
    with pytest.raises(ValueError, match="too large"):
        bus.publish("index.talents", {"blob": "x" * 10_000})


def test_transport_follows_the_settings(tmp_path):
    sqlite = build_settings(environment="test", data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.db")
    assert bus_address(sqlite)[0] == "local"
    assert isinstance(change_bus_for(sqlite), LocalChangeBus)
    assert change_bus_for(sqlite) is change_bus_for(sqlite)  # one per process and deployment
    pg = build_settings(environment="test", data_dir=tmp_path, database_url="postgresql+psycopg://u@h:5432/d")
    assert bus_address(pg) == ("postgres", "postgresql://u@h:5432/d")
    both = build_settings(environment="test", data_dir=tmp_path, database_url="postgresql+psycopg://u@h:5432/d",
                          queue_url="redis://127.0.0.1:6379/3")
    assert bus_address(both) == ("redis", "redis://127.0.0.1:6379/3")
    assert isinstance(change_bus_for(pg), PostgresChangeBus)
    assert isinstance(change_bus_for(both), RedisChangeBus)  # nothing connects before publish/subscribe


def _lines(proc: subprocess.Popen) -> tuple[queue.Queue, threading.Thread]:
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.put(line.strip())

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return lines, thread


def _across_processes(tmp_path: Path, database_url: str, queue_url: str) -> None:
    settings = build_settings(environment="test", data_dir=tmp_path, database_url=database_url, queue_url=queue_url or None)
    bus = change_bus_for(settings)
    heard: queue.Queue = queue.Queue()
    bus.subscribe("index.talents", lambda t, p: heard.put(p))
    assert bus.listening.wait(10)
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path), database_url, queue_url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": "src"},
    )
    try:
        lines, pump = _lines(proc)
        assert lines.get(timeout=60) == "ready"
        bus.publish("index.talents", {"version": "v000007"})
        assert heard.get(timeout=5) == {"version": "v000007"}  # our own, delivered here at once
        received = json.loads(lines.get(timeout=10))
        assert received == {"topic": "index.talents", "payload": {"version": "v000007"}}
        proc.stdin.write("publish v000008\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        assert heard.get(timeout=10) == {"version": "v000008", "from": "child"}
        assert json.loads(lines.get(timeout=10))["payload"]["version"] == "v000008"  # the child hears itself once
        assert heard.empty()  # the broker's echo of our own message was not delivered twice
        proc.stdin.write("quit\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        assert proc.wait(timeout=20) == 0
        pump.join(timeout=5)
        assert lines.empty()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()  # type: ignore[union-attr]
        proc.stdout.close()  # type: ignore[union-attr]


@pytest.mark.postgres
def test_invalidation_crosses_processes_on_postgresql(tmp_path, postgres_database):
    _across_processes(tmp_path, postgres_database.url, "")


def test_invalidation_crosses_processes_on_redis(tmp_path):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        if REQUIRE_REDIS:
            pytest.fail(f"Redis is required (TALENTBRIDGE_REQUIRE_REDIS=1) but unreachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    _across_processes(tmp_path, f"sqlite:///{tmp_path}/x.sqlite3", REDIS_URL)


@pytest.mark.postgres
def test_a_listener_that_loses_its_connection_reconnects_and_says_so(tmp_path, postgres_database):
    settings = build_settings(environment="test", data_dir=tmp_path, database_url=postgres_database.url)
    bus = change_bus_for(settings)
    bus.retry_seconds = 0.1
    heard: queue.Queue = queue.Queue()
    bus.subscribe("taxonomy", lambda t, p: heard.put(p))
    assert bus.listening.wait(10)
    import psycopg

    with psycopg.connect(bus.url, autocommit=True) as admin:  # end the listener's session from outside
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        )
    assert heard.get(timeout=10) == {"reason": "reconnected"}
    assert bus.listening.wait(10)
    bus.publish("taxonomy", {"n": 1})
    assert heard.get(timeout=5) == {"n": 1}


def test_an_alias_tells_other_processes_once_committed_and_not_after_a_rollback(tmp_path, sqlite_database):
    from talentbridge.services.skill_aliases import add_alias
    from talentbridge.services.taxonomy import load_taxonomy

    settings = build_settings(environment="test", data_dir=tmp_path, database_url=sqlite_database.url)
    heard: list[dict] = []
    change_bus_for(settings).subscribe("taxonomy", lambda t, p: heard.append(p))
    with sqlite_database.session() as session:
        taxonomy = load_taxonomy(session)
        add_alias(session, taxonomy, "docker", "도커 컨테이너 엔진")
        assert heard == []  # not committed yet: another process would still read the old taxonomy
        session.commit()
    assert heard == [{"reason": "alias"}]
    with sqlite_database.session() as session:
        add_alias(session, load_taxonomy(session), "docker", "도커 엔진 하나")
        session.rollback()
    assert heard == [{"reason": "alias"}]
