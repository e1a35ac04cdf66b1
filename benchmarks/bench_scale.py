"""The scale path end to end: PostgreSQL, ``serve --workers 4``, two ``talentbridge worker`` on a Redis queue.

    .venv/bin/python benchmarks/bench_scale.py                           # 60 s at c=32, import of 100,000 talents
    .venv/bin/python benchmarks/bench_scale.py --seconds 15 --talents 20000   # a short run

1. A fresh PostgreSQL database (dropped afterwards) gets demo data (``--base-talents``, ``--orgs``), an import of
   ``--preload`` generated talents (100,000: the recommendation requests then read and rank a national-size pool)
   and a talent index (``recommend reindex``), as after an operator's first bulk load.
2. ``talentbridge serve --workers N`` and ``M`` × ``talentbridge worker`` start on that database with the job
   queue on Redis (``--redis``; a database index no one else uses: the script empties it).
3. ``--warm-seconds`` of closed-loop requests first (every list asked for, as on a server that was serving before
   the import). Then an import of ``--talents`` generated rows (CSV) is submitted as a job; meanwhile
   ``--concurrency`` connections call the recommendation endpoints (talents for an opening, openings for a talent):
   first at a fixed ``--rate`` (200 req/s in all for ``--seconds``: wrk2's model, each request timed from when it
   was due, so a server that falls behind is charged for the wait), then closed loop for ``--closed-seconds`` (the
   servers' capacity; its latency is the queue's). Requests, errors (status >= 500 or no answer), req/s, p50/p95.
   The client is ``_http_load``: raw HTTP/1.1 on asyncio streams (httpx took about 2.5 ms of CPU per request from
   the same two cores).
4. A ``reindex`` job is submitted; requests go on (fresh connections, so every web worker gets some). Each
   request is followed on the same connection by ``GET /api/health``, which names the worker (``index.pid``) and
   the index version it answers from (``index.talents``, loaded at ``index.loaded_at``). Pick-up: from the job's
   end (its ``finished_at``) until the last web worker loaded the new version (and answers from it). While the
   import runs, requests may have asked for reindex jobs of their own (a backlog is never synced in a request), so
   a worker may already answer from a newer version: its pick-up is then counted from that version's publication
   (``version.json``), never from the bench's job.

CPU view (load-independent): the CPU seconds the web workers (and the job workers) used in each phase, per
request, from ``/proc``; in the load phase also PostgreSQL's (every ``postgres`` process of the machine; backends
that ended meanwhile are missed) and this client's own (it shares the two cores); ``--py-spy DIR`` also records one web worker's stacks while it holds the GIL (its Python CPU) during the load phase (py-spy's raw
format, one line per stack with its sample count). The table ends with the load average at the start and end.

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
from _http_load import lean_load  # noqa: E402 - the sibling module
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
#: pids of the ``talentbridge worker`` processes started by ``_processes`` (for the CPU view)
JOB_PIDS: list[int] = []
REGIONS = ["seoul", "gyeonggi", "daejeon", "ulsan", "busan", "incheon", "gwangju"]


def _talents_csv(path: Path, n: int, run: str) -> None:
    from talentbridge.services.file_writing import write_csv

    rng = random.Random(7)
    rows = []
    for i in range(n):
        skills = rng.sample(SKILLS, 3)
        rows.append(
            {
                "external_id": f"scale-{run}-{i:07d}",
                "name": f"김하늘{i}",
                "email": f"scale-{run}-{i}@example.com",
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
                procs.append(
                    subprocess.Popen(
                        [*cli, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                    )
                )
            JOB_PIDS.append(procs[-1].pid)
        with (logs / "serve.log").open("wb") as log:
            procs.append(
                subprocess.Popen(
                    [*cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(web)],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
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


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes used so far (``/proc/<pid>/stat``; gone processes count 0)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / tick


def _postgres_cpu() -> dict[int, float]:
    """CPU seconds of every PostgreSQL process on the machine, by pid (backends that ended are not counted)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    out[int(entry.name)] = _cpu_seconds([int(entry.name)])
            except OSError:
                continue
    return out


def _postgres_since(before: dict[int, float]) -> float:
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in _postgres_cpu().items())


def _version_number(name: str | None) -> int:
    return int(name[1:]) if name and name.startswith("v") and name[1:].isdigit() else -1


def _published_at(data_dir: Path, name: str) -> float | None:
    import json

    try:
        stamp = json.loads((data_dir / "indexes" / "talents" / name / "version.json").read_text())["published_at"]
    except (OSError, ValueError, KeyError):
        return None
    return datetime.fromisoformat(stamp).timestamp()


def _path(rng: random.Random, openings: list[int], talents: list[int]) -> str:
    if rng.random() < 0.5:
        return f"/api/openings/{rng.choice(openings)}/recommendations?top=20"
    return f"/api/talents/{rng.choice(talents)}/recommendations?top=20"


async def _load(
    base: str,
    token: str,
    concurrency: int,
    seconds: float,
    openings: list[int],
    talents: list[int],
    rate: float | None = None,
    stats: Stats | None = None,
) -> Stats:
    """``concurrency`` keep-alive connections on the recommendation endpoints for ``seconds``: closed loop, or
    ``rate`` requests per second in all, each timed from when it was due (``_http_load``)."""
    stats = stats if stats is not None else Stats()
    stats.elapsed += await lean_load(base, token, concurrency, seconds, lambda rng: _path(rng, openings, talents),
                                     stats, rate)  # fmt: skip
    return stats


async def _probe(
    base: str, token: str, n: int, rng: random.Random, openings: list[int], talents: list[int]
) -> tuple[int, str | None, int | str, float | None, bool]:
    """A recommendation then the health check on one fresh connection: (pid, index version, status, loaded at,
    warmed up)."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=60
    ) as http:
        try:
            status: int | str = (await http.get(_path(rng, openings, talents))).status_code
            health = (await http.get("/api/health")).json()
        except httpx.HTTPError as exc:
            return -1, None, type(exc).__name__, None, False
    index = health["index"]
    return int(index["pid"]), index["talents"], status, index.get("loaded_at"), bool(health.get("ready"))


async def _until_all_workers(
    base: str,
    token: str,
    workers: int,
    want: str | None,
    timeout: float,
    openings: list[int],
    talents: list[int],
    stats: Stats,
    warmed: bool = False,
) -> dict[int, tuple[str, float]]:
    """Probe with 8 clients until ``workers`` distinct pids answered from ``want`` or a newer version (any version
    when None); returns pid -> (version, when it started answering from it: the worker's ``loaded_at``)."""
    first: dict[int, tuple[str, float]] = {}
    stop = time.monotonic() + timeout

    async def client(n: int) -> None:
        rng = random.Random(1000 + n)
        while time.monotonic() < stop and len(first) < workers:
            started = time.perf_counter()
            pid, version, status, loaded_at, ready = await _probe(base, token, n, rng, openings, talents)
            stats.record(status, time.perf_counter() - started)
            if warmed and not ready:
                await asyncio.sleep(0.5)
                continue
            if pid > 0 and (want is None or _version_number(version) >= _version_number(want)):
                first.setdefault(pid, (str(version), loaded_at or time.time()))

    await asyncio.gather(*(client(i) for i in range(8)))
    return first


@contextmanager
def _job_service(url: str, settings: object) -> Iterator[object]:
    from talentbridge.services.jobs import JobService
    from talentbridge.storage import Database

    db = Database(url)
    try:
        yield JobService(db, settings)  # type: ignore[arg-type]
    finally:
        db.dispose()


def _job(url: str, settings: object, job_id: int) -> object:
    with _job_service(url, settings) as jobs:
        return jobs.get(job_id)  # type: ignore[attr-defined]


def _jobs_between(url: str, settings: object, start: datetime, end: datetime) -> str:
    """The jobs that ran between ``start`` and ``end``: kind, id and when they ran, in seconds from ``start``
    ("before": started before the phase; "…": still running)."""
    with _job_service(url, settings) as service:
        jobs, _ = service.list(limit=200)  # type: ignore[attr-defined]
    out = []
    for j in sorted(jobs, key=lambda j: j.id):
        if j.started_at is None or j.started_at > end or (j.finished_at is not None and j.finished_at < start):
            continue
        since = (j.started_at - start).total_seconds()
        until = f"{(j.finished_at - start).total_seconds():.1f}" if j.finished_at else "…"
        out.append(f"{j.kind} {j.id} {'before' if since < 0 else f'{since:.1f}'}–{until} s")
    return ", ".join(out) or "none"


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
    settings = build_settings(
        environment="development",
        data_dir=data_dir,
        database_url=url,
        queue_url=args.redis,
        infer_skills=args.infer_skills,
        secret_key=env["TALENTBRIDGE_SECRET_KEY"],
    )
    print(f"demo data: {args.base_talents} talents, {args.orgs} organizations; talent index ...", flush=True)
    _demo(env, args.base_talents, args.orgs)
    run_id = uuid.uuid4().hex[:6]
    if args.preload:
        base = work / "preload.csv"
        print(f"importing {args.preload:,} more talents (talentbridge import talents) ...", flush=True)
        _talents_csv(base, args.preload, f"{run_id}-base")
        t0 = time.perf_counter()
        _cli(env, "import", "talents", str(base))
        print(f"  imported in {time.perf_counter() - t0:.0f} s", flush=True)
    # as a deployment does before ``serve``: the taxonomy's label encodings on disk once, so that the web workers
    # read them back instead of each encoding them at warm-up (minutes of CPU per worker on two cores)
    _cli(env, "db", "upgrade")
    _cli(env, "recommend", "reindex")
    token, openings, talents = _token(url)
    csv = work / "talents.csv"
    print(f"writing {args.talents:,} talents to {csv.name} ...", flush=True)
    _talents_csv(csv, args.talents, run_id)
    rows: list[list[str]] = []
    logs = work / "logs"
    logs.mkdir()
    with _processes(env, _free_port(), args.web_workers, args.job_workers, logs) as base:
        print(f"{args.web_workers} web workers, {args.job_workers} job workers up; warming up ...", flush=True)
        warm = Stats()
        t0 = time.perf_counter()
        pids = asyncio.run(_until_all_workers(base, token, args.web_workers, None, args.warm_timeout, openings,
                                              talents, warm, warmed=True))  # fmt: skip
        print(
            f"  workers answering, warm-up done (/api/health ready) in {time.perf_counter() - t0:.0f} s: "
            f"{sorted(pids)}",
            flush=True,
        )
        if len(pids) < args.web_workers:
            print(f"  only {len(pids)} of {args.web_workers} workers warmed up within {args.warm_timeout:.0f} s",
                  flush=True)  # fmt: skip
        web_pids = sorted(pids)
        job_pids = list(JOB_PIDS)
        if args.warm_seconds:
            # as a server that was already serving when the import started: the lists asked for are computed once
            # (each of the 400 paths is asked about 20 times in this phase), not all at once inside the measured one
            print(f"warming the lists: c={args.concurrency}, closed loop, {args.warm_seconds:.0f} s ...", flush=True)
            cpu_web = _cpu_seconds(web_pids)
            warm = asyncio.run(_load(base, token, args.concurrency, args.warm_seconds, openings, talents))
            rows.append(_row(f"before the import: c={args.concurrency}, closed loop, {args.warm_seconds:.0f} s "
                             "(first requests for every list)", warm, "-",
                             (_cpu_seconds(web_pids) - cpu_web, 0.0)))  # fmt: skip
            print(rows[-1], flush=True)
        spy = None
        if args.py_spy:
            Path(args.py_spy).mkdir(parents=True, exist_ok=True)
            spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--nonblocking", "--gil", "--format", "raw",
                                    "-d", str(int(args.seconds)), "-r", "50", "-p", str(web_pids[0]),
                                    "-o", str(Path(args.py_spy) / f"web-{web_pids[0]}.txt")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        db = Database(url)
        try:
            job, _ = submit_import(
                db,
                settings,
                entity="talents",
                filename="talents.csv",
                content=csv.read_bytes(),
                started_by_label="bench_scale",
            )
        finally:
            db.dispose()
        phases = [(args.rate, args.seconds)] if args.rate else []
        phases += [(None, args.closed_seconds)] if args.closed_seconds else []
        for n, (rate, seconds) in enumerate(phases):
            cpu_web, cpu_jobs = _cpu_seconds(web_pids), _cpu_seconds(job_pids)
            cpu_pg, cpu_client = _postgres_cpu(), time.process_time()
            mode = f"{rate:.0f} req/s offered" if rate else "closed loop (capacity)"
            print(f"import job {job.id} running; c={args.concurrency}, {mode}, for {seconds:.0f} s ...", flush=True)
            phase_start = datetime.now(UTC)
            load = asyncio.run(_load(base, token, args.concurrency, seconds, openings, talents, rate=rate))
            phase_end = datetime.now(UTC)
            cpu = (_cpu_seconds(web_pids) - cpu_web, _cpu_seconds(job_pids) - cpu_jobs)
            others = (_postgres_since(cpu_pg), time.process_time() - cpu_client)
            if spy is not None and n == 0:
                try:
                    spy.wait(120)
                except subprocess.TimeoutExpired:
                    spy.terminate()
                    print("  py-spy did not finish in time (stopped)", flush=True)
            imported = _job(url, settings, job.id)
            if imported.status == "failed":  # type: ignore[attr-defined]
                print(f"  the import failed: {imported.error_en}", flush=True)  # type: ignore[attr-defined]
            goal = ">= 200 req/s, p95 < 100 ms, 0 errors" if rate else "(capacity: no goal; p95 is the queue's)"
            rows.append(
                _row(
                    f"recommendations, c={args.concurrency}, {mode}, {seconds:.0f} s, import of "
                    f"{args.talents:,} running (job {imported.status}, "  # type: ignore[attr-defined]
                    f"{imported.progress_done:,}/{imported.progress_total or 0:,})",
                    load,  # type: ignore[attr-defined]
                    goal,
                    cpu,
                )
            )
            rows[-1][6] += f"; PostgreSQL {others[0]:.0f} s, this client {others[1]:.0f} s"
            print(rows[-1], flush=True)
            # when the latency was lost: p95 of the requests due in each --window seconds of the phase, and the jobs
            # that ran meanwhile
            windows = load.windows(args.window)
            print(f"  p95 by {args.window:g} s: " + ", ".join(f"{at:g}s {ms:.0f} ms" for at, ms in windows), flush=True)
            print("  jobs meanwhile: " + _jobs_between(url, settings, phase_start, phase_end), flush=True)
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
        cpu_web, cpu_jobs = _cpu_seconds(web_pids), _cpu_seconds(job_pids)

        async def serve_until_done() -> object:
            while True:
                current = _job(url, settings, reindex.id)
                if current.finished:  # type: ignore[attr-defined]
                    return current
                await _load(base, token, 4, 2.0, openings, talents, stats=during)

        done = asyncio.run(serve_until_done())
        if done.status != "done":  # type: ignore[attr-defined]
            raise RuntimeError(f"the reindex job ended {done.status}: {done.error_en}")  # type: ignore[attr-defined]
        version = done.result["version"]  # type: ignore[attr-defined]
        ended = done.finished_at.timestamp()  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        seen = asyncio.run(
            _until_all_workers(base, token, len(pids), version, args.pickup_timeout, openings, talents, during)
        )
        during.elapsed += time.perf_counter() - t0
        cpu = (_cpu_seconds(web_pids) - cpu_web, _cpu_seconds(job_pids) - cpu_jobs)
        lags = []
        for got, loaded_at in seen.values():  # from the end of the job that made the version the worker answers from
            start = ended if got == version else (_published_at(data_dir, got) or ended)
            lags.append(loaded_at - start)
        lag = max(lags) if len(seen) >= len(pids) else float("nan")
        newer = sorted({got for got, _ in seen.values()} - {version})
        rows.append(
            _row(
                f"requests during and after the reindex job ({version}, {done.result['talents']:,} talents)",  # type: ignore[attr-defined]
                during,
                "0 errors",
                cpu,
            )
        )
        rows.append(
            [
                f"pick-up: job end -> every web worker ({len(seen)}/{len(pids)}) answers from {version}"
                + (f" or newer ({', '.join(newer)}, from their publication)" if newer else ""),
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                f"pick-up {lag:.2f} s (worst worker)",
                "<= 5 s",
            ]
        )
    return rows


def _row(scenario: str, s: Stats, goal: str, cpu: tuple[float, float] | None = None) -> list[str]:
    rate = s.requests / s.elapsed if s.elapsed else 0.0
    view = "-"
    if cpu is not None and s.requests:
        view = f"{cpu[0] * 1000 / s.requests:.1f} ms/req web ({cpu[0]:.0f} s), jobs {cpu[1]:.0f} s"
    return [
        scenario,
        str(s.requests),
        str(s.failures),
        f"{rate:.1f}",
        f"{s.pct(0.5):.0f}",
        f"{s.pct(0.95):.0f}",
        view,
        ", ".join(f"{k}:{v}" for k, v in sorted(s.statuses.items(), key=str)),
        goal,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="Length of the load phase.")
    parser.add_argument("--talents", type=int, default=100_000, help="Rows of the import job run meanwhile.")
    parser.add_argument("--base-talents", type=int, default=2000, help="Demo talents before the import.")
    parser.add_argument(
        "--preload",
        type=int,
        default=100_000,
        help="Generated talents imported after the demo data and indexed before serving (the "
        "serving path at national size; 0: the demo's talents only).",
    )
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--rate",
        type=float,
        default=200.0,
        help="Requests per second offered in the goal's phase (each timed from when it was due; 0: no such phase).",
    )
    parser.add_argument(
        "--warm-seconds",
        type=float,
        default=30.0,
        help="Closed-loop requests before the import starts (every list asked for, as on a server that was serving "
        "before; 0: none, the first phase then computes them all).",
    )
    parser.add_argument(
        "--closed-seconds",
        type=float,
        default=30.0,
        help="Length of the closed-loop phase after it (the servers' capacity; 0: none).",
    )
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--job-workers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9", help="Redis database for the queue (emptied).")
    parser.add_argument("--pickup-timeout", type=float, default=60.0)
    parser.add_argument("--wait-import", action="store_true", help="Let the import finish before the reindex.")
    parser.add_argument("--infer-skills", action="store_true", help="Skill inference and text encoding on.")
    parser.add_argument(
        "--warm-timeout",
        type=float,
        default=900.0,
        help="Seconds to wait for every web worker's warm-up (models) before the load phase.",
    )
    parser.add_argument("--window", type=float, default=10.0, help="Seconds per p95 printed for the load phases.")
    parser.add_argument("--py-spy", metavar="DIR", help="Record one web worker's stacks during the load phase.")
    args = parser.parse_args()
    if not _pg_server():
        sys.exit("PostgreSQL is not reachable (TALENTBRIDGE_TEST_POSTGRES_URL)")
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    try:
        with pg_database() as url:
            rows = run(args, url, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    header = [
        "scenario",
        "requests",
        "errors",
        "req/s",
        "p50 ms",
        "p95 ms",
        "CPU (web workers; job workers)",
        "statuses",
        "goal (issue #18)",
    ]
    load_after = os.getloadavg()
    print(
        f"\nbench_scale {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs (shared); load average "
        f"{load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end (1 min); "
        f"{' '.join(sys.argv[1:]) or 'defaults'}\n"
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
