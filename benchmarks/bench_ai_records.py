"""What an AI Basic Act record costs a request (docs/ai-act.md): one row per list shown, output as JSON.

    PYTHONPATH=src python benchmarks/bench_ai_records.py [--lists 2000] [--items 20] \
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

For each database (a temporary SQLite file; PostgreSQL when ``--postgres`` names a server: a scratch database is
made and dropped), builds the record of a ``--items``-long recommendation list (``recommendation_run``: ids, scores,
weights, filters, the taxonomy version looked up) and writes it in its own short write transaction, as a GET's
session dependency does after the read transaction — ``--lists`` times. Prints per-list milliseconds (building
the record, which includes the taxonomy-version query; and the whole transaction with its commit: median, p95)
and the stored bytes per row beside the target. On a GET that also shows other people's data the commit is shared
with the audit log's entries, which take the same after-read write transaction. No assertion: the numbers go into the closing note.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

TARGET_MS = 5.0  # a recommendation request takes tens of milliseconds; its record must stay a small part of it


def _result(n: int, i: int) -> dict[str, Any]:
    return {
        "opening": {"id": i},
        "top": n,
        "method": "ann",
        "filters": {"region": ["seoul"], "nationality": None, "min_score": 0.0},
        "weights": {
            "skills": 45.0,
            "experience": 15.0,
            "education": 5.0,
            "location": 10.0,
            "availability": 10.0,
            "salary": 5.0,
            "text": 10.0,
        },  # fmt: skip
        "text": {"status": "active", "model": "use-multilingual-v3"},
        "items": [{"talent_id": 100_000 + i * n + j, "score": 90.0 - j * 0.5} for j in range(n)],
    }


def _measure(url: str, lists: int, items: int) -> dict[str, Any]:
    import talentbridge.storage.models  # noqa: F401 - every table
    from talentbridge.services.ai_records import Viewer, recommendation_run, write_runs
    from talentbridge.storage import Database
    from talentbridge.storage.base import Base

    db = Database(url)
    Base.metadata.create_all(db.engine)
    viewer = Viewer(user_id=1, role="org_member", label="벤치 <bench@test.kr>")
    times, builds = [], []
    for i in range(lists):
        result = _result(items, i)
        started = time.perf_counter()
        with db.session(write=True) as session:
            run = recommendation_run(session, result, surface="bench", viewer=viewer)
            builds.append((time.perf_counter() - started) * 1000)
            write_runs(session, [run])
        times.append((time.perf_counter() - started) * 1000)
    from sqlalchemy import text

    with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            size = conn.execute(text("SELECT pg_total_relation_size('ai_run_records')")).scalar_one()
        else:
            size = conn.execute(text("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE '%ai_run_records%'")).scalar()
    db.dispose()
    times.sort()
    return {
        "build": statistics.median(builds),
        "median": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "bytes": (size or 0) / lists,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lists", type=int, default=2000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--postgres", default=None, help="server URL with rights to create databases")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("SQLite", _measure(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.lists, args.items)))
    if args.postgres:
        from sqlalchemy import create_engine, text

        name = f"aiact_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
            rows.append(("PostgreSQL", _measure(url, args.lists, args.items)))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()
    print(f"AI run record per list shown: {args.lists} lists of {args.items} items, one write transaction each")
    print()
    print("| database | build (median ms) | build + write + commit (median ms) | p95 ms | target ms | bytes per row |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {r['build']:.2f} | {r['median']:.2f} | {r['p95']:.2f} | < {TARGET_MS:.0f} | {r['bytes']:.0f} |"
        )


if __name__ == "__main__":
    main()
