"""The scale path end to end: PostgreSQL, ``serve --workers 4``, two ``talentbridge worker`` on a Redis queue.

    .venv/bin/python benchmarks/bench_scale.py                           # 60 s at c=32, import of 100,000 talents
    .venv/bin/python benchmarks/bench_scale.py --seconds 15 --talents 20000   # a short run

1. A fresh PostgreSQL database (dropped afterwards) gets demo data (``--base-talents``, ``--orgs``) and a talent
   index (``recommend reindex``), as after an operator's first bulk load.
2. ``talentbridge serve --workers N`` and ``M`` × ``talentbridge worker`` start on that database with the job
   queue on Redis (``--redis``; a database index no one else uses: the script empties it).
3. An import of ``--talents`` generated rows (CSV) is submitted as a job; meanwhile ``--concurrency`` clients call
   the recommendation endpoints (talents for an opening, openings for a talent) for ``--seconds``: requests,
   errors (status >= 500 or no answer), req/s, p50/p95.
4. A ``reindex`` job is submitted; requests go on (fresh connections, so every web worker gets some). Each
   request is followed on the same connection by ``GET /api/health``, which names the worker (``index.pid``) and
   the index version it answers from (``index.talents``, loaded at ``index.loaded_at``). Pick-up: from the job's
   end (its ``finished_at``) until the last web worker loaded the new version (and answers from it).

Text encoding and skill inference are off by default (``--infer-skills`` turns them on): encoding 100,000 résumés
takes hours on two cores, and what is measured here is the serving path and the hand-over between processes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import (  # noqa: E402 - the sibling script's helpers
    Stats,
    _cli,
    _demo,
    _env,
    _free_port,
    _pg_server,
    _token,
    pg_database,
    wait_healthy,
)

SKILLS = ["python", "pytorch", "tensorflow", "sql", "kubernetes", "docker", "java", "aws", "html", "css"]
REGIONS = ["seoul", "gyeonggi", "daejeon", "ulsan", "busan", "incheon", "gwangju"]


def _talents_csv(path: Path, n: int, run: str) -> None:
    from talentbridge.services.files import write_csv

    rng = random.Random(7)
    rows = []
    for i in range(n):
        skills = rng.sample(SKILLS, 3)
        rows.append(
            {
                "external_id": f"scale-{run}-{i:07d}",
                "name": f"김하늘{i}",
                "email": f"scale{i}@example.com",
                "region": rng.choice(REGIONS),
                "skills": ";".join(f"{s}:{rng.randint(1, 5)}" for s in skills),
                "employment_types": "full_time;secondment",
                "resume_text": "",
            }
        )
    write_csv(path, list(rows[0]), rows)


@contextmanager
def _processes(env: dict[str, str], port: int, web: int, jobs: int, logs: Path) -> Iterator[str]:
    procs: list[subprocess.Popen[bytes]] = []
    cli = [sys.executable, "-c", "from talentbridge.cli import main; main()"]
    try:
        for i in range(jobs):
            with (logs / f"worker-{i}.log").open("wb") as log:
                procs.append(subprocess.Popen([*cli, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                              start_new_session=True))
        with (logs / "serve.log").open("wb") as log:
            procs.append(subprocess.Popen(
                [*cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(web)],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            ))
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, procs, 180, f"the logs in {logs}")
        yield base
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


def _path(rng: random.Random, openings: list[int], talents: list[int]) -> str:
    if rng.random() < 0.5:
        return f"/api/openings/{rng.choice(openings)}/recommendations?top=20"
    return f"/api/talents/{rng.choice(talents)}/recommendations?top=20"


async def _load(base: str, token: str, concurrency: int, seconds: float, openings: list[int],
                talents: list[int]) -> Stats:
    """``concurrency`` keep-alive clients on the recommendation endpoints for ``seconds``."""
    stats = Stats()
    stop = time.monotonic() + seconds

    async def client(n: int) -> None:
        rng = random.Random(n)
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits,
                                     timeout=60) as http:
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    status: int | str = (await http.get(_path(rng, openings, talents))).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                stats.record(status, time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(concurrency)))
    stats.elapsed = time.perf_counter() - started
    return stats


async def _probe(base: str, token: str, n: int, rng: random.Random, openings: list[int],
                 talents: list[int]) -> tuple[int, str | None, int | str, float | None]:
    """A recommendation then the health check on one fresh connection: (pid, index version, status)."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits,
                                 timeout=60) as http:
        try:
            status: int | str = (await http.get(_path(rng, openings, talents))).status_code
            health = (await http.get("/api/health")).json()
        except httpx.HTTPError as exc:
            return -1, None, type(exc).__name__, None
    index = health["index"]
    return int(index["pid"]), index["talents"], status, index.get("loaded_at")


async def _until_all_workers(base: str, token: str, workers: int, want: str | None, timeout: float,
                             openings: list[int], talents: list[int], stats: Stats) -> dict[int, float]:
    """Probe with 8 clients until ``workers`` distinct pids answered from ``want`` (any version when None);
    returns pid -> when it started answering from it (the worker's ``loaded_at``, epoch seconds)."""
    first: dict[int, float] = {}
    stop = time.monotonic() + timeout

    async def client(n: int) -> None:
        rng = random.Random(1000 + n)
        while time.monotonic() < stop and len(first) < workers:
            started = time.perf_counter()
            pid, version, status, loaded_at = await _probe(base, token, n, rng, openings, talents)
            stats.record(status, time.perf_counter() - started)
            if pid > 0 and (want is None or version == want):
                first.setdefault(pid, loaded_at or time.time())

    await asyncio.gather(*(client(i) for i in range(8)))
    return first


def _job(url: str, settings: object, job_id: int) -> object:
    from talentbridge.services.jobs import JobService
    from talentbridge.storage import Database

    db = Database(url)
    try:
        return JobService(db, settings).get(job_id)  # type: ignore[arg-type]
    finally:
        db.dispose()


def run(args: argparse.Namespace, url: str, work: Path) -> list[list[str]]:
    import redis

    from talentbridge.config import build_settings
    from talentbridge.services.job_queue import submit_import, submit_job
    from talentbridge.storage import Database

    redis.Redis.from_url(args.redis).flushdb()
    data_dir = work / "data"
    env = _env(data_dir, url)
    env["TALENTBRIDGE_QUEUE_URL"] = args.redis
    env["TALENTBRIDGE_INFER_SKILLS"] = "true" if args.infer_skills else "false"
    settings = build_settings(environment="development", data_dir=data_dir, database_url=url, queue_url=args.redis,
                              infer_skills=args.infer_skills, secret_key=env["TALENTBRIDGE_SECRET_KEY"])
    print(f"demo data: {args.base_talents} talents, {args.orgs} organizations; talent index ...", flush=True)
    _demo(env, args.base_talents, args.orgs)
    _cli(env, "recommend", "reindex")
    token, openings, talents = _token(url)
    run_id = uuid.uuid4().hex[:6]
    csv = work / "talents.csv"
    print(f"writing {args.talents:,} talents to {csv.name} ...", flush=True)
    _talents_csv(csv, args.talents, run_id)
    rows: list[list[str]] = []
    logs = work / "logs"
    logs.mkdir()
    with _processes(env, _free_port(), args.web_workers, args.job_workers, logs) as base:
        print(f"{args.web_workers} web workers, {args.job_workers} job workers up; warming up ...", flush=True)
        warm = Stats()
        pids = asyncio.run(_until_all_workers(base, token, args.web_workers, None, 300, openings, talents, warm))
        print(f"  workers answering: {sorted(pids)}", flush=True)
        db = Database(url)
        try:
            job, _ = submit_import(db, settings, entity="talents", filename="talents.csv", content=csv.read_bytes(),
                                   started_by_label="bench_scale")
        finally:
            db.dispose()
        print(f"import job {job.id} submitted; c={args.concurrency} for {args.seconds:.0f} s ...", flush=True)
        load = asyncio.run(_load(base, token, args.concurrency, args.seconds, openings, talents))
        imported = _job(url, settings, job.id)
        if imported.status == "failed":  # type: ignore[attr-defined]
            print(f"  the import failed: {imported.error_en}", flush=True)  # type: ignore[attr-defined]
        rows.append(_row(f"recommendations, c={args.concurrency}, {args.seconds:.0f} s, import of "
                         f"{args.talents:,} running (job {imported.status}, "  # type: ignore[attr-defined]
                         f"{imported.progress_done:,}/{imported.progress_total or 0:,})", load,  # type: ignore[attr-defined]
                         ">= 200 req/s, p95 < 100 ms, 0 errors"))
        print(rows[-1], flush=True)
        if args.wait_import:
            print("waiting for the import to finish ...", flush=True)
            while not imported.finished:  # type: ignore[attr-defined]
                time.sleep(2)
                imported = _job(url, settings, job.id)
        db = Database(url)
        try:
            reindex, _ = submit_job(db, settings, "reindex", {}, key=f"bench-{run_id}", started_by_label="bench_scale")
        finally:
            db.dispose()
        print(f"reindex job {reindex.id} submitted; serving meanwhile ...", flush=True)
        during = Stats()

        async def serve_until_done() -> object:
            while True:
                current = _job(url, settings, reindex.id)
                if current.finished:  # type: ignore[attr-defined]
                    return current
                await _load(base, token, 4, 2.0, openings, talents)

        done = asyncio.run(serve_until_done())
        if done.status != "done":  # type: ignore[attr-defined]
            raise RuntimeError(f"the reindex job ended {done.status}: {done.error_en}")  # type: ignore[attr-defined]
        version = done.result["version"]  # type: ignore[attr-defined]
        ended = done.finished_at.timestamp()  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        seen = asyncio.run(_until_all_workers(base, token, len(pids), version, args.pickup_timeout, openings,
                                              talents, during))
        during.elapsed = time.perf_counter() - t0
        lag = max(seen.values()) - ended if len(seen) >= len(pids) else float("nan")
        rows.append(_row(f"requests after the reindex job ({version}, {done.result['talents']:,} talents)",  # type: ignore[attr-defined]
                         during, "0 errors"))
        rows.append([f"pick-up: job end -> every web worker ({len(seen)}/{len(pids)}) answers from {version}",
                     "-", "-", "-", "-", "-", f"pick-up {lag:.2f} s", "<= 5 s"])
    return rows


def _row(scenario: str, s: Stats, goal: str) -> list[str]:
    rate = s.requests / s.elapsed if s.elapsed else 0.0
    return [scenario, str(s.requests), str(s.failures), f"{rate:.1f}", f"{s.pct(0.5):.0f}", f"{s.pct(0.95):.0f}",
            ", ".join(f"{k}:{v}" for k, v in sorted(s.statuses.items(), key=str)), goal]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="Length of the load phase.")
    parser.add_argument("--talents", type=int, default=100_000, help="Rows of the import job run meanwhile.")
    parser.add_argument("--base-talents", type=int, default=2000, help="Demo talents before the import.")
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--job-workers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9", help="Redis database for the queue (emptied).")
    parser.add_argument("--pickup-timeout", type=float, default=60.0)
    parser.add_argument("--wait-import", action="store_true", help="Let the import finish before the reindex.")
    parser.add_argument("--infer-skills", action="store_true", help="Skill inference and text encoding on.")
    args = parser.parse_args()
    if not _pg_server():
        sys.exit("PostgreSQL is not reachable (TALENTBRIDGE_TEST_POSTGRES_URL)")
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    started = datetime.now(UTC)
    try:
        with pg_database() as url:
            rows = run(args, url, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    header = ["scenario", "requests", "errors", "req/s", "p50 ms", "p95 ms", "statuses", "goal (issue #18)"]
    print(f"\nbench_scale {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs (shared)\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
