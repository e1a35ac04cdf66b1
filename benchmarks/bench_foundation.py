"""Foundation benchmark: demo generation, CSV import throughput and list-endpoint latency, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_foundation.py [--talents 100000] [--orgs 5000] [--requests 200]
                                                     [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
                                                     [--no-postgres]

For each engine it
1. times ``talentbridge demo --talents N --orgs M`` (a subprocess, as a user would run it) into a fresh database
   (goal: under 180 s for 100,000 talents and 5,000 organizations);
2. exports the organizations and talents to CSV and times ``import_file`` of the N-row talents CSV into another
   fresh database (rows/s);
3. measures p50/p95 of list endpoints (page of 50 with a filter, random pages 1-100) through the real app
   (``create_app`` + TestClient, signed in with an operator API token) on the demo data (goal: p95 under 100 ms).

PostgreSQL runs in dedicated databases ``tb_bench`` and ``tb_bench_import`` (dropped and created here, dropped at
the end), so other test runs on the same server are not disturbed. Prints one table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = [
    ("talents", "/api/talents?region=seoul&size=50&page={page}"),
    ("talents", "/api/talents?skill=pytorch&size=50&page={page}"),
    ("organizations", "/api/organizations?kind=ai_startup&size=50&page={page}"),
    ("openings", "/api/openings?kind=job&status=open&size=50&page={page}"),
]
DEMO_GOAL_S = 180.0
P95_GOAL_MS = 100.0


def _env(url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["TALENTBRIDGE_DATABASE_URL"] = url
    env["TALENTBRIDGE_DATA_DIR"] = str(data_dir)
    env["TALENTBRIDGE_ENVIRONMENT"] = "development"
    return env


def run_demo(url: str, data_dir: Path, talents: int, orgs: int) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds of the demo process (the machine may be shared)."""
    import resource

    cli = [sys.executable, "-c", "from talentbridge.cli import main; main()"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [*cli, "demo", "--talents", str(talents), "--orgs", str(orgs), "--seed", "42"],
        env=_env(url, data_dir),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run_import(source_url: str, target_url: str, workdir: Path) -> tuple[float, int]:
    from talentbridge.services.exporting import export_entities
    from talentbridge.services.importing import import_file
    from talentbridge.storage import Database

    source = Database(source_url)
    orgs_csv, talents_csv = workdir / "organizations.csv", workdir / "talents.csv"
    export_entities(source, "organizations", "csv", orgs_csv)
    rows = export_entities(source, "talents", "csv", talents_csv)
    source.dispose()
    target = Database(target_url)
    target.upgrade()
    import_file(target, "organizations", orgs_csv)
    started = time.perf_counter()
    result = import_file(target, "talents", talents_csv)
    elapsed = time.perf_counter() - started
    target.dispose()
    assert result.created == rows, (result.created, rows)
    return elapsed, rows


def measure_lists(url: str, data_dir: Path, requests: int, seed: int = 1) -> dict[str, tuple[float, float]]:
    from fastapi.testclient import TestClient

    from talentbridge.config import build_settings
    from talentbridge.storage import Database
    from talentbridge.web.app import create_app

    db = Database(url)
    headers = _operator_token(db)
    settings = build_settings(database_url=url, data_dir=data_dir, environment="development")
    rng = random.Random(seed)
    out: dict[str, tuple[float, float]] = {}
    with TestClient(create_app(settings, db)) as client:
        for _entity, template in ENDPOINTS:
            first = client.get(template.format(page=1), headers=headers)
            first.raise_for_status()
            pages = max(1, min(100, first.json()["pages"]))
            for _ in range(10):  # warm-up
                client.get(template.format(page=rng.randint(1, pages)), headers=headers)
            timings = []
            for _ in range(requests):
                path = template.format(page=rng.randint(1, pages))
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                timings.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            timings.sort()
            out[template.split("&page")[0]] = (
                statistics.median(timings),
                timings[int(0.95 * (len(timings) - 1))],
            )
    db.dispose()
    return out


def _operator_token(db: Any) -> dict[str, str]:
    try:
        from talentbridge.services.accounts import Role, create_api_token, create_user
    except ImportError:  # no accounts module: the API is open
        return {}
    from sqlalchemy import select

    from talentbridge.storage.account_tables import UserRow

    email = "bench-operator@example.com"
    with db.session() as session:
        user_id = session.scalar(select(UserRow.id).where(UserRow.email == email))
        if user_id is None:
            user_id = create_user(
                session, email=email, password="bench-password-123", role=Role.OPERATOR, name="Bench"
            ).id
        _id, token = create_api_token(session, user_id, "bench")
    return {"Authorization": f"Bearer {token}"}


def _pg_admin(url: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _pg_fresh(admin_url: str, name: str) -> str:
    _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def bench_engine(engine: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    data_dir = workdir / engine
    data_dir.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        demo_url = f"sqlite:///{data_dir / 'demo.sqlite3'}"
        import_url = f"sqlite:///{data_dir / 'import.sqlite3'}"
    else:
        demo_url = _pg_fresh(args.postgres_url, "tb_bench")
        import_url = _pg_fresh(args.postgres_url, "tb_bench_import")
    try:
        print(f"[{engine}] demo --talents {args.talents} --orgs {args.orgs} ...", file=sys.stderr, flush=True)
        demo_s, demo_cpu = run_demo(demo_url, data_dir, args.talents, args.orgs)
        print(f"[{engine}] demo {demo_s:.1f} s; import ...", file=sys.stderr, flush=True)
        import_s, rows = run_import(demo_url, import_url, data_dir)
        print(
            f"[{engine}] import {rows / import_s:,.0f} rows/s; list endpoints ...",
            file=sys.stderr,
            flush=True,
        )
        lists = measure_lists(demo_url, data_dir, args.requests)
        return {
            "demo_s": demo_s,
            "demo_cpu": demo_cpu,
            "import_rows_s": rows / import_s,
            "import_rows": rows,
            "lists": lists,
        }
    finally:
        if engine == "postgresql" and not args.keep:
            for name in ("tb_bench", "tb_bench_import"):
                _pg_admin(args.postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_reachable(url: str) -> str | None:
    try:
        _pg_admin(url, "SELECT 1")
        return None
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--orgs", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=200, help="Requests per endpoint.")
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true", help="Keep the PostgreSQL benchmark databases.")
    args = parser.parse_args()

    engines = [] if args.no_sqlite else ["sqlite"]
    pg_note = ""
    if not args.no_postgres:
        problem = _pg_reachable(args.postgres_url)
        if problem:
            pg_note = f"PostgreSQL skipped: {problem}"
        else:
            engines.append("postgresql")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="tb-bench-") as tmp:
        for engine in engines:
            results[engine] = bench_engine(engine, args, Path(tmp))
    print_table(results, args, pg_note)


def print_table(results: dict[str, dict[str, Any]], args: argparse.Namespace, note: str) -> None:
    engines = list(results)
    rows: list[list[str]] = []
    rows.append(
        [f"talentbridge demo --talents {args.talents:,} --orgs {args.orgs:,} (s)"]
        + [f"{results[e]['demo_s']:.1f}" for e in engines]
        + [f"< {DEMO_GOAL_S:.0f}"]
    )
    rows.append(
        ["  of which CPU time of the demo process (s)"] + [f"{results[e]['demo_cpu']:.1f}" for e in engines] + ["-"]
    )
    rows.append(
        [f"import {results[engines[0]]['import_rows']:,}-row talents CSV (rows/s)"]
        + [f"{results[e]['import_rows_s']:,.0f}" for e in engines]
        + ["-"]
    )
    for endpoint in results[engines[0]]["lists"]:
        cells = []
        for e in engines:
            p50, p95 = results[e]["lists"][endpoint]
            cells.append(f"{p50:.1f} / {p95:.1f}")
        rows.append([f"GET {endpoint} p50 / p95 (ms)"] + cells + [f"p95 < {P95_GOAL_MS:.0f}"])
    header = ["measure", *engines, "goal"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True))))
    print(line)
    for r in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    print(line)
    print(
        f"{args.requests} requests per endpoint (random pages 1-100, after 10 warm-up requests); "
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[1]:.1f} (5 min) at the end."
    )
    if note:
        print(note)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
