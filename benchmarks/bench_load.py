"""Load on the real server: one uvicorn process on 127.0.0.1 over a demo database, driven by httpx clients.

    .venv/bin/python benchmarks/bench_load.py            # full: 60 s per read phase, 20 s of writers
    .venv/bin/python benchmarks/bench_load.py --quick    # a few seconds each (smoke run)
    .venv/bin/python benchmarks/bench_load.py --no-postgres --talents 500

For SQLite (a fresh file) and PostgreSQL (a fresh database on ``TALENTBRIDGE_TEST_POSTGRES_URL``'s server, when
reachable; dropped afterwards): ``talentbridge demo`` fills it, ``uvicorn talentbridge.web.asgi:app`` serves it
(one process), and the phases run one after the other, each bounded in time and in clients (loopback only):

- reads at concurrency 1 and 8: each client alternates a list (``GET /api/talents``, ``GET /api/openings`` with a
  page and a filter) and a recommendation (talents for an opening, openings for a talent), as an operator with an
  API token;
- writers: 8 clients create talents for 20 s; afterwards every acknowledged (201) id must be in the database.

Prints one table with requests, failures (any status >= 500, any connection error, any write that was
acknowledged but is not stored), req/s, p50/p95 latency, beside the goals of issue #13: SQLite 0 failures;
PostgreSQL recommendations >= 100 req/s at p95 < 150 ms with 0 errors at concurrency 8.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TALENTBRIDGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    statuses: dict[int | str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    #: (seconds from the phase's start the request was due or sent, its latency), for ``windows``
    timeline: list[tuple[float, float]] = field(default_factory=list)

    def mark(self, offset: float, seconds: float) -> None:
        self.timeline.append((offset, seconds))

    def windows(self, width: float = 10.0, q: float = 0.95) -> list[tuple[float, float]]:
        """The ``q`` latency (ms) of the requests due in each ``width``-second window of the phase, in order."""
        buckets: dict[int, list[float]] = {}
        for offset, seconds in self.timeline:
            buckets.setdefault(int(offset // width), []).append(seconds)
        return [(k * width, sorted(v)[min(len(v) - 1, int(q * len(v)))] * 1000) for k, v in sorted(buckets.items())]

    def record(self, status: int | str, seconds: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if isinstance(status, str) or status >= 500:
            self.failures += 1
        else:
            self.latencies.append(seconds)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        values = sorted(self.latencies)
        return values[min(len(values) - 1, int(q * len(values)))] * 1000


# -- setup ---------------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data_dir: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TALENTBRIDGE_DATA_DIR=str(data_dir),
        TALENTBRIDGE_DATABASE_URL=url,
        TALENTBRIDGE_SECRET_KEY=uuid.uuid4().hex,
        TALENTBRIDGE_ENVIRONMENT="development",
    )
    env.setdefault("TALENTBRIDGE_MODEL_CACHE_DIR", str(ROOT / ".cache" / "models"))
    return env


def _cli(env: dict[str, str], *argv: str) -> None:
    subprocess.run(
        [sys.executable, "-c", "from talentbridge.cli import main; main()", *argv],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _demo(env: dict[str, str], talents: int, orgs: int) -> None:
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from talentbridge.cli import main; main()",
            "demo",
            "--talents",
            str(talents),
            "--orgs",
            str(orgs),
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _token(url: str) -> tuple[str, list[int], list[int]]:
    """An operator API token, some open opening ids and some talent ids."""
    from sqlalchemy import select

    from talentbridge.services import accounts
    from talentbridge.storage import Database
    from talentbridge.storage.tables import OpeningRow, TalentRow

    db = Database(url)
    try:
        with db.session(write=True) as session:
            user = accounts.create_user(
                session,
                email=f"bench-{uuid.uuid4().hex[:6]}@bench.kr",
                password="bench-password-1",
                role="operator",
                name="bench",
            )
            _, token = accounts.create_api_token(session, user.id, "bench")
            openings = list(session.scalars(select(OpeningRow.id).where(OpeningRow.status == "open").limit(200)))
            talents = list(session.scalars(select(TalentRow.id).limit(200)))
    finally:
        db.dispose()
    return token, openings, talents


@contextmanager
def serve(env: dict[str, str], port: int) -> Iterator[str]:
    log = tempfile.NamedTemporaryFile(prefix="bench-load-", suffix=".log", delete=False)  # noqa: SIM115 - kept
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "talentbridge.web.asgi:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, [proc], 120, log.name)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        errors = [line for line in Path(log.name).read_text(errors="replace").splitlines() if "Traceback" in line]
        if errors:
            print(f"  note: {len(errors)} traceback(s) in the server log {log.name}")


def wait_healthy(base: str, procs: list[subprocess.Popen[bytes]], seconds: float, logs: str) -> None:
    """Until ``base``/api/health answers 200; raises when a process exits first or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        exited = [p for p in procs if p.poll() is not None]
        if exited:
            raise RuntimeError(f"a server process exited ({exited[0].returncode}); see {logs}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start in {seconds:g} s; see {logs}")
        time.sleep(0.3)


# -- load ----------------------------------------------------------------------------------------------------------


async def _drive(
    base: str, token: str, concurrency: int, seconds: float, pick: Callable[[random.Random], tuple[str, str]]
) -> dict[str, Stats]:
    """``concurrency`` clients, each with its own keep-alive connection, for ``seconds``; stats per kind."""
    stats: dict[str, Stats] = {}
    stop = time.monotonic() + seconds

    async def client(n: int) -> None:
        rng = random.Random(n)
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=60
        ) as http:
            while time.monotonic() < stop:
                kind, path = pick(rng)
                started = time.perf_counter()
                try:
                    r = await http.get(path)
                    status: int | str = r.status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                stats.setdefault(kind, Stats()).record(status, time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(concurrency)))
    for s in stats.values():
        s.elapsed = time.perf_counter() - started
    return stats


def _reader(
    openings: list[int], talents: list[int], kinds: tuple[str, ...]
) -> Callable[[random.Random], tuple[str, str]]:
    def pick(rng: random.Random) -> tuple[str, str]:
        kind = rng.choice(kinds)
        if kind == "list":
            return kind, rng.choice(
                [
                    f"/api/talents?page={rng.randint(1, 5)}&size=20",
                    f"/api/openings?page={rng.randint(1, 3)}&size=20&status=open",
                    "/api/talents?region=seoul&size=20",
                ]
            )
        if rng.random() < 0.5:
            return kind, f"/api/openings/{rng.choice(openings)}/recommendations?top=20"
        return kind, f"/api/talents/{rng.choice(talents)}/recommendations?top=20"

    return pick


async def _writers(base: str, token: str, concurrency: int, seconds: float, run: str) -> tuple[Stats, list[int]]:
    stats = Stats()
    acknowledged: list[int] = []
    stop = time.monotonic() + seconds

    async def writer(n: int) -> None:
        i = 0
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
            while time.monotonic() < stop:
                i += 1
                body = {
                    "name": f"부하 {n}-{i}",
                    "external_id": f"{run}-{n}-{i}",
                    "region": "seoul",
                    "consent_visible": True,
                    "skills": [{"skill_id": "python", "level": 3}],
                }
                started = time.perf_counter()
                try:
                    r = await http.post("/api/talents", json=body)
                    status: int | str = r.status_code
                    if r.status_code == 201:
                        acknowledged.append(int(r.json()["id"]))
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                stats.record(status, time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(writer(i) for i in range(concurrency)))
    stats.elapsed = time.perf_counter() - started
    return stats, acknowledged


def _stored(url: str, ids: list[int]) -> int:
    from sqlalchemy import func, select

    from talentbridge.storage import Database
    from talentbridge.storage.tables import TalentRow

    db = Database(url)
    try:
        with db.session() as session:
            found = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                found += int(session.scalar(select(func.count()).where(TalentRow.id.in_(chunk))) or 0)
            return found
    finally:
        db.dispose()


# -- one database --------------------------------------------------------------------------------------------------


def run_database(name: str, url: str, data_dir: Path, args: argparse.Namespace) -> list[list[str]]:
    rows: list[list[str]] = []
    env = _env(data_dir, url)
    print(f"[{name}] demo data: {args.talents} talents, {args.orgs} organizations ...", flush=True)
    _demo(env, args.talents, args.orgs)
    # As an operator does after a bulk load: build the talent index and encode every text now, so that the server
    # is measured in its steady state, not while one of its threads encodes thousands of new texts.
    print(f"[{name}] recommend reindex ...", flush=True)
    _cli(env, "recommend", "reindex")
    token, openings, talents = _token(url)
    read_seconds = 4 if args.quick else args.read_seconds
    write_seconds = 4 if args.quick else args.write_seconds
    with serve(env, _free_port()) as base:
        # warm up: the first recommendation builds the index; not measured
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600) as http:
            for path in (f"/api/openings/{openings[0]}/recommendations", f"/api/talents/{talents[0]}/recommendations"):
                http.get(path)
        phases = [(c, ("list", "recommend")) for c in (1, 8)]
        if name == "postgresql":
            phases = [(8, ("list", "recommend")), (8, ("recommend",))]
        for concurrency, kinds in phases:
            print(f"[{name}] reads {'+'.join(kinds)} at concurrency {concurrency}, {read_seconds} s ...", flush=True)
            stats = asyncio.run(_drive(base, token, concurrency, read_seconds, _reader(openings, talents, kinds)))
            for kind in kinds:
                s = stats.get(kind, Stats())
                rows.append(
                    _row(
                        name, f"{kind} ({'+'.join(kinds)})", concurrency, s, _goal(name, kind, concurrency, len(kinds))
                    )
                )
        print(f"[{name}] 8 writers, {write_seconds} s ...", flush=True)
        run = uuid.uuid4().hex[:8]
        stats, acknowledged = asyncio.run(_writers(base, token, 8, write_seconds, run))
    stored = _stored(url, acknowledged)
    lost = len(acknowledged) - stored
    stats.failures += lost
    rows.append(
        _row(
            name,
            f"write talents ({len(acknowledged)} acknowledged, {stored} stored)",
            8,
            stats,
            "0 errors, every acknowledged row stored",
        )
    )
    return rows


def _goal(name: str, kind: str, concurrency: int, mixed: int) -> str:
    if name == "sqlite":
        return "0 failures"
    if kind == "recommend" and concurrency == 8 and mixed == 1:
        return ">= 100 req/s, p95 < 150 ms, 0 errors"
    return "0 errors"


def _row(db: str, scenario: str, concurrency: int, s: Stats, goal: str) -> list[str]:
    other = {k: v for k, v in s.statuses.items() if k not in (200, 201)}
    rate = s.requests / s.elapsed if s.elapsed else 0.0
    return [
        db,
        scenario,
        str(concurrency),
        str(s.requests),
        str(s.failures),
        f"{rate:.1f}",
        f"{s.pct(0.5):.0f}",
        f"{s.pct(0.95):.0f}",
        ", ".join(f"{k}:{v}" for k, v in sorted(other.items(), key=str)) or "-",
        goal,
    ]


def _pg_server() -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - unreachable: the PostgreSQL part is skipped
        return False


@contextmanager
def pg_database() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    name = f"tb_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="A few seconds per phase (smoke run).")
    parser.add_argument("--talents", type=int, default=2000)
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--read-seconds", type=float, default=60.0)
    parser.add_argument("--write-seconds", type=float, default=20.0)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.talents, args.orgs = min(args.talents, 300), min(args.orgs, 30)
    rows: list[list[str]] = []
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        if not args.no_sqlite:
            rows += run_database(
                "sqlite", f"sqlite:///{work / 'sqlite' / 'talentbridge.sqlite3'}", work / "sqlite", args
            )
        if not args.no_postgres:
            if _pg_server():
                with pg_database() as url:
                    rows += run_database("postgresql", url, work / "pg", args)
            else:
                print(f"PostgreSQL not reachable at {PG_ADMIN_URL}: skipped")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    header = [
        "database",
        "scenario",
        "clients",
        "requests",
        "failures",
        "req/s",
        "p50 ms",
        "p95 ms",
        "other statuses",
        "goal (issue #13)",
    ]
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
